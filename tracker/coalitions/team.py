"""A coalition's staff, run by its admins: invitations by email (to the staff, or to a member
organization's own login), roles, deactivation and reactivation, and password reset links sent
on someone's behalf. Every change is audited."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import func, select, update

from tracker.coalitions import accounts, audit
from tracker.coalitions.auth import hash_password, password_problem
from tracker.models import Coalition, MemberOrganization, StaffInvitation, StaffUser
from tracker.models.base import utcnow
from tracker.vocab import MEMBER_ROLE, ROLES

EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
NAME_MAX = 200


class TeamError(ValueError):
    """A refused change, naming the form field and a message key (`admin.error.<code>`)."""

    def __init__(self, field: str, code: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field, self.code, self.problem = field, code, problem


def _sha(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def members(db, coalition_id: int) -> list[StaffUser]:
    return list(db.execute(select(StaffUser).where(StaffUser.coalition_id == coalition_id)
                           .order_by(StaffUser.active.desc(), StaffUser.email)).scalars())


def pending_invitations(db, coalition_id: int) -> list[StaffInvitation]:
    return list(db.execute(select(StaffInvitation).where(
        StaffInvitation.coalition_id == coalition_id, StaffInvitation.accepted_at.is_(None),
        StaffInvitation.revoked_at.is_(None), StaffInvitation.expires_at > utcnow())
        .order_by(StaffInvitation.created_at.desc())).scalars())


def _member(db, coalition: Coalition, user_id: int) -> StaffUser:
    user = db.get(StaffUser, user_id)
    if user is None or user.coalition_id != coalition.id:
        raise LookupError(f"no staff account {user_id} in {coalition.slug}")
    return user


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise TeamError("role", "role", f"role must be one of {', '.join(ROLES)}")


def invite(db, coalition: Coalition, by: StaffUser, email: str, role: str, *,
           max_age: int, member: MemberOrganization | None = None) -> tuple[StaffInvitation, str]:
    """A new invitation (an older pending one to the same address stops working); returns it and
    the token for the emailed link. With `member`, the account will be that member organization's
    login (role "member", its own stances only). Refuses addresses that already have an account here."""
    email = (email or "").strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise TeamError("email", "email", "not an email address")
    if member is not None:
        if member.coalition_id != coalition.id:
            raise LookupError(f"no member organization {member.id} in {coalition.slug}")
        role = MEMBER_ROLE
    else:
        _check_role(role)
    taken = db.execute(select(StaffUser.id).where(StaffUser.coalition_id == coalition.id,
                                                  StaffUser.email == email)).first()
    if taken:
        raise TeamError("email", "already_staff", f"{email} already has a staff account here")
    now = utcnow()
    db.execute(update(StaffInvitation).where(
        StaffInvitation.coalition_id == coalition.id, StaffInvitation.email == email,
        StaffInvitation.accepted_at.is_(None), StaffInvitation.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False))
    raw = secrets.token_urlsafe(32)
    inv = StaffInvitation(coalition_id=coalition.id, email=email, role=role, token_hash=_sha(raw),
                          member_id=member.id if member is not None else None,
                          invited_by=by.id, created_at=now, expires_at=now + dt.timedelta(seconds=max_age))
    db.add(inv)
    db.flush()
    if member is not None:
        audit.record(db, coalition, by, "staff.member_invited", email, {"member": member.slug, "invitation": inv.id})
    else:
        audit.record(db, coalition, by, "staff.invited", email, {"role": role, "invitation": inv.id})
    return inv, raw


def invited_member(db, inv: StaffInvitation | None) -> MemberOrganization | None:
    """The member organization an invitation's account will speak for (None for staff ones)."""
    if inv is None or inv.member_id is None:
        return None
    org = db.get(MemberOrganization, inv.member_id)
    return org if org is not None and org.coalition_id == inv.coalition_id else None


def invitation(db, coalition_id: int, raw: str | None) -> StaffInvitation | None:
    """The pending, unexpired invitation of this coalition a token names."""
    if not raw or not isinstance(raw, str) or len(raw) > 128:
        return None
    return db.execute(select(StaffInvitation).where(
        StaffInvitation.token_hash == _sha(raw), StaffInvitation.coalition_id == coalition_id,
        StaffInvitation.accepted_at.is_(None), StaffInvitation.revoked_at.is_(None),
        StaffInvitation.expires_at > utcnow())).scalar_one_or_none()


def accept(db, coalition: Coalition, raw: str, name: str, password: str) -> StaffUser | None:
    """Make the account an invitation promises, with the chosen name and password, and use the
    invitation up; None when the link is not valid (any more). Raise TeamError for bad input."""
    name = (name or "").strip()
    if not name:
        raise TeamError("display_name", "name_missing", "a name is required")
    if len(name) > NAME_MAX:
        raise TeamError("display_name", "name_too_long", f"at most {NAME_MAX} characters")
    problem = password_problem(password)
    if problem:
        raise TeamError("new_password", "too_short" if len(password) < 8 else "too_long", problem)
    inv = invitation(db, coalition.id, raw)
    if inv is None:
        return None
    used = db.execute(update(StaffInvitation).where(StaffInvitation.id == inv.id, StaffInvitation.accepted_at.is_(None))
                      .values(accepted_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if used != 1:   # accepted by a parallel request in the meantime
        return None
    if db.execute(select(StaffUser.id).where(StaffUser.coalition_id == coalition.id,
                                             StaffUser.email == inv.email)).first():
        raise TeamError("email", "already_staff", f"{inv.email} already has a staff account here")
    org = invited_member(db, inv)
    if inv.member_id is not None and org is None:   # an invitation for an organization that is gone
        return None
    user = StaffUser(coalition_id=coalition.id, email=inv.email, display_name=name,
                     password_hash=hash_password(password), role=MEMBER_ROLE if org else inv.role,
                     member_id=org.id if org else None, active=True)
    db.add(user)
    db.flush()
    if org is not None:
        audit.record(db, coalition, user, "staff.member_joined", user.email, {"member": org.slug, "invitation": inv.id})
    else:
        audit.record(db, coalition, user, "staff.joined", user.email, {"role": user.role, "invitation": inv.id})
    return user


def revoke_invitation(db, coalition: Coalition, by: StaffUser, invitation_id: int) -> StaffInvitation:
    inv = db.get(StaffInvitation, invitation_id)
    if inv is None or inv.coalition_id != coalition.id:
        raise LookupError(f"no invitation {invitation_id} in {coalition.slug}")
    if inv.accepted_at is None and inv.revoked_at is None:
        inv.revoked_at = utcnow()
        db.add(inv)
        org = invited_member(db, inv)
        if org is not None:
            audit.record(db, coalition, by, "staff.member_invitation_revoked", inv.email,
                         {"member": org.slug, "invitation": inv.id})
        else:
            audit.record(db, coalition, by, "staff.invitation_revoked", inv.email, {"invitation": inv.id})
    return inv


def _active_admins(db, coalition_id: int) -> int:
    return db.execute(select(func.count()).select_from(StaffUser).where(
        StaffUser.coalition_id == coalition_id, StaffUser.role == "admin", StaffUser.active.is_(True))).scalar_one()


def _not_self_nor_last_admin(db, coalition: Coalition, by: StaffUser, user: StaffUser, field: str) -> None:
    if user.id == by.id:
        raise TeamError(field, "self", "you cannot change your own account here")
    if user.role == "admin" and user.active and _active_admins(db, coalition.id) <= 1:
        raise TeamError(field, "last_admin", "the coalition needs at least one active admin")


def change_role(db, coalition: Coalition, by: StaffUser, user_id: int, role: str) -> StaffUser:
    """Give an account another role (not one's own; an active admin always remains)."""
    _check_role(role)
    user = _member(db, coalition, user_id)
    if user.role == MEMBER_ROLE:   # a member organization's login never becomes staff
        raise TeamError("role", "member_login", "a member organization's login has no staff role")
    if user.role == role:
        return user
    if role != "admin":
        _not_self_nor_last_admin(db, coalition, by, user, "role")
    elif user.id == by.id:
        raise TeamError("role", "self", "you cannot change your own account here")
    before, user.role = user.role, role
    db.add(user)
    audit.record(db, coalition, by, "staff.role_changed", user.email, {"from": before, "to": role})
    return user


def set_active(db, coalition: Coalition, by: StaffUser, user_id: int, active: bool) -> StaffUser:
    """Deactivate (every session ends at once, no login) or reactivate an account."""
    user = _member(db, coalition, user_id)
    if user.active == active:
        return user
    if not active:
        _not_self_nor_last_admin(db, coalition, by, user, "active")
        accounts.deactivate(db, user)
        audit.record(db, coalition, by, "staff.deactivated", user.email)
    else:
        user.active = True
        db.add(user)
        audit.record(db, coalition, by, "staff.reactivated", user.email)
    return user


def send_reset(db, coalition: Coalition, by: StaffUser, user_id: int, *, max_age: int,
               per_hour: int) -> tuple[StaffUser, str]:
    """A password reset link for someone else's account (the email goes to its owner only)."""
    user = _member(db, coalition, user_id)
    if not user.active:
        raise TeamError("reset", "inactive", "reactivate the account first")
    issued = accounts.request_reset(db, coalition.id, user.email, max_age=max_age, per_hour=per_hour)
    if issued is None:
        raise TeamError("reset", "reset_limit", f"at most {per_hour} reset emails an hour per account")
    audit.record(db, coalition, by, "staff.reset_sent", user.email)
    return issued
