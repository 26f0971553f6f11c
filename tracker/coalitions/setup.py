"""First run: the first coalition and its first admin, made in the browser.

An instance with no staff account at all can be claimed once, by whoever knows the setup token
the operator put in the environment (EDTRACKER_SETUP_TOKEN). Afterwards the first admin invites
everyone else from the People page, and the setup page is closed for good.
"""
from __future__ import annotations

import hmac

from sqlalchemy import func, select

from tracker.coalitions import audit
from tracker.coalitions.auth import hash_password, password_problem
from tracker.coalitions.members import SLUG
from tracker.coalitions.team import EMAIL_RE, NAME_MAX
from tracker.models import Coalition, StaffUser

WEBSITE_MAX = 500


class SetupError(ValueError):
    """Every problem of the form at once: field -> message key (`setup.error.<code>`)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def is_open(db) -> bool:
    """True while the instance has no staff account (the only time setup may run)."""
    return not db.scalar(select(func.count()).select_from(StaffUser))


def token_matches(expected: str | None, given: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected.encode(), (given or "").encode())


def _problems(db, *, coalition_name: str, slug: str, website: str, name: str, email: str,
              password: str, password_again: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not coalition_name:
        errors["coalition_name"] = "name_missing"
    elif len(coalition_name) > NAME_MAX:
        errors["coalition_name"] = "name_too_long"
    if not SLUG.match(slug):
        errors["slug"] = "slug"
    elif db.scalar(select(Coalition.id).where(Coalition.slug == slug)) is not None:
        errors["slug"] = "slug_taken"
    if website and (len(website) > WEBSITE_MAX or not website.startswith(("https://", "http://"))):
        errors["website"] = "website"
    if not name:
        errors["display_name"] = "name_missing"
    elif len(name) > NAME_MAX:
        errors["display_name"] = "name_too_long"
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = "email"
    problem = password_problem(password)
    if problem:
        errors["new_password"] = "too_short" if len(password) < 8 else "too_long"
    elif password != password_again:
        errors["new_password_again"] = "mismatch"
    return errors


def first_admin(db, *, coalition_name: str, slug: str, website: str = "", name: str, email: str,
                password: str, password_again: str) -> tuple[Coalition, StaffUser]:
    """Create the coalition and its admin in the caller's transaction; raise SetupError naming
    every field that is wrong, or RuntimeError when the instance already has staff."""
    coalition_name, slug, website = coalition_name.strip(), slug.strip().lower(), website.strip()
    name, email = name.strip(), email.strip().lower()
    if not is_open(db):
        raise RuntimeError("this instance is already set up")
    errors = _problems(db, coalition_name=coalition_name, slug=slug, website=website, name=name, email=email,
                       password=password, password_again=password_again)
    if errors:
        raise SetupError(errors)
    coal = Coalition(slug=slug, name=coalition_name, website=website or None, settings={})
    db.add(coal)
    db.flush()
    user = StaffUser(coalition_id=coal.id, email=email, display_name=name, password_hash=hash_password(password),
                     role="admin", active=True)
    db.add(user)
    db.flush()
    audit.record(db, coal, user, "coalition.created", coal.slug)
    audit.record(db, coal, user, "staff.first_admin", user.email, {"role": "admin"})
    return coal, user
