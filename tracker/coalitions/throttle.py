"""Attempts per key in a fixed window, kept in the database so every API worker shares them.

Each attempt is counted atomically before it is checked (an UPDATE, or an INSERT for a new
key), so parallel requests to several workers cannot slip past the limit together.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math

from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tracker.models import LoginThrottle
from tracker.models.base import utcnow


def key(kind: str, value: str) -> str:
    """The stored key: a hash, so attempted emails (or passwords typed into the email field) are not kept."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones.
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def take(db: Session, k: str, limit: int, window: int, now: dt.datetime | None = None) -> int | None:
    """Count one attempt for `k`; return the seconds to wait when it is over `limit`, else None."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=window)
    expired = LoginThrottle.window_start <= cutoff
    bump = (update(LoginThrottle).where(LoginThrottle.key == k)
            .values(attempts=case((expired, 1), else_=LoginThrottle.attempts + 1),
                    window_start=case((expired, now), else_=LoginThrottle.window_start))
            .execution_options(synchronize_session=False))
    if db.execute(bump).rowcount == 0:
        try:
            with db.begin_nested():
                db.add(LoginThrottle(key=k, attempts=1, window_start=now))
        except IntegrityError:   # another worker inserted it first
            db.execute(bump)
    attempts, start = db.execute(select(LoginThrottle.attempts, LoginThrottle.window_start)
                                 .where(LoginThrottle.key == k)).one()
    if attempts <= limit:
        return None
    return max(1, math.ceil((_aware(start) + dt.timedelta(seconds=window) - now).total_seconds()))


def give_back(db: Session, k: str) -> None:
    """Uncount one attempt (a successful login does not count against its client address)."""
    db.execute(update(LoginThrottle).where(LoginThrottle.key == k, LoginThrottle.attempts > 0)
               .values(attempts=LoginThrottle.attempts - 1).execution_options(synchronize_session=False))


def clear(db: Session, k: str) -> None:
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == k).execution_options(synchronize_session=False))
