"""Staff accounts: logging in (throttled, same work for unknown accounts), server-side
sessions, password changes, deactivation and single-use password reset links."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlmodel import Session

from tracker.coalitions import throttle
from tracker.coalitions.auth import check_password, hash_password, password_problem
from tracker.models import PasswordReset, StaffSession, StaffUser
from tracker.models.base import utcnow


def _sha(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Throttled(Exception):
    """Too many attempts: wait `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many attempts; try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass
class Limits:
    per_account: int
    per_client: int
    window: int

    @classmethod
    def of(cls, settings) -> "Limits":
        return cls(settings.login_max_attempts_per_account, settings.login_max_attempts_per_client,
                   settings.login_window_seconds)


def _user(db: Session, coalition_id: int, email: str) -> StaffUser | None:
    return db.execute(select(StaffUser).where(StaffUser.coalition_id == coalition_id,
                                              StaffUser.email == email.strip().lower())).scalar_one_or_none()


def authenticate(db: Session, coalition_id: int, email: str, password: str, client: str,
                 limits: Limits) -> StaffUser | None:
    """The account when the password is right, else None; raise `Throttled` past the limits.
    Unknown and known accounts take the same path (one password hash check, the same writes)."""
    client_key = throttle.key("login-client", client)
    account_key = throttle.key("login-account", f"{coalition_id}:{email.strip().lower()}")
    wait = throttle.take(db, client_key, limits.per_client, limits.window)
    wait = wait or throttle.take(db, account_key, limits.per_account, limits.window)
    db.commit()
    if wait:
        raise Throttled(wait)
    user = _user(db, coalition_id, email)
    ok = check_password(password, user.password_hash if user is not None else None)
    if not ok or not user.active:
        return None
    throttle.clear(db, account_key)
    throttle.give_back(db, client_key)
    return user


def start_session(db: Session, user: StaffUser, max_age: int, client: str | None = None) -> str:
    """A new login session; returns the random id the cookie carries (only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.execute(delete(StaffSession).where(StaffSession.expires_at < now))   # housekeeping
    db.add(StaffSession(id_hash=_sha(raw), user_id=user.id, created_at=now,
                        expires_at=now + dt.timedelta(seconds=max_age), client=(client or "")[:64] or None))
    user.last_login_at = now
    db.add(user)
    return raw


def session_user(db: Session, raw: str | None) -> StaffUser | None:
    """The active account of a live (not revoked, not expired) session id."""
    if not raw or not isinstance(raw, str):
        return None
    row = db.execute(select(StaffUser).join(StaffSession, StaffSession.user_id == StaffUser.id)
                     .where(StaffSession.id_hash == _sha(raw), StaffSession.revoked_at.is_(None),
                            StaffSession.expires_at > utcnow(), StaffUser.active.is_(True))).scalar_one_or_none()
    return row


def end_session(db: Session, raw: str | None) -> None:
    if raw and isinstance(raw, str):
        db.execute(update(StaffSession).where(StaffSession.id_hash == _sha(raw), StaffSession.revoked_at.is_(None))
                   .values(revoked_at=utcnow()).execution_options(synchronize_session=False))


def revoke_sessions(db: Session, user_id: int) -> int:
    """End every session of an account; returns how many were live."""
    return db.execute(update(StaffSession).where(StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
                      .values(revoked_at=utcnow()).execution_options(synchronize_session=False)).rowcount


def set_password(db: Session, user: StaffUser, new_password: str) -> None:
    """Store a new password (ValueError when too short); every session and reset link of the
    account ends, so a stolen cookie or an old link stops working."""
    user.password_hash = hash_password(new_password)
    db.add(user)
    revoke_sessions(db, user.id)
    db.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
               .values(used_at=utcnow()).execution_options(synchronize_session=False))


def deactivate(db: Session, user: StaffUser) -> None:
    """Lock an account out: it can no longer log in, and its sessions end now."""
    user.active = False
    db.add(user)
    revoke_sessions(db, user.id)


# --- password reset links ------------------------------------------------------------------

def request_reset(db: Session, coalition_id: int, email: str, *, max_age: int, per_hour: int) -> tuple[StaffUser, str] | None:
    """A reset token for an active account (None for unknown accounts or past `per_hour`)."""
    k = throttle.key("reset-account", f"{coalition_id}:{email.strip().lower()}")
    if throttle.take(db, k, per_hour, 3600):
        return None
    user = _user(db, coalition_id, email)
    if user is None or not user.active:
        return None
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(PasswordReset(token_hash=_sha(raw), user_id=user.id, created_at=now,
                         expires_at=now + dt.timedelta(seconds=max_age)))
    return user, raw


def reset_user(db: Session, coalition_id: int, raw: str) -> StaffUser | None:
    """The account a reset token is for, if the token is unused, unexpired and of this coalition."""
    if not raw or len(raw) > 128:
        return None
    return db.execute(select(StaffUser).join(PasswordReset, PasswordReset.user_id == StaffUser.id)
                      .where(PasswordReset.token_hash == _sha(raw), PasswordReset.used_at.is_(None),
                             PasswordReset.expires_at > utcnow(), StaffUser.active.is_(True),
                             StaffUser.coalition_id == coalition_id)).scalar_one_or_none()


def redeem_reset(db: Session, coalition_id: int, raw: str, new_password: str) -> StaffUser | None:
    """Set the password through a reset token and use the token up; None when it is not valid.
    Raise ValueError (nothing changed) when the new password is refused."""
    problem = password_problem(new_password)
    if problem:
        raise ValueError(problem)
    user = reset_user(db, coalition_id, raw)
    if user is None:
        return None
    used = db.execute(update(PasswordReset).where(PasswordReset.token_hash == _sha(raw),
                                                  PasswordReset.used_at.is_(None))
                      .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if used != 1:   # used by a parallel request in the meantime
        return None
    set_password(db, user, new_password)
    return user
