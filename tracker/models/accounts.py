"""Staff account security: server-side login sessions, login throttling and password resets.

Only hashes of session ids and reset tokens are stored: a copy of the database does not log
anyone in. Throttle keys are hashes too (a mistyped password typed into the email field must
not end up in the database).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from tracker.models.base import tz_datetime, utcnow


class StaffSession(SQLModel, table=True):
    """One login of a staff member; the cookie carries the random id, this row its SHA-256."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    id_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    expires_at: dt.datetime = Field(sa_type=DateTime(timezone=True), index=True)
    revoked_at: dt.datetime | None = tz_datetime()
    client: str | None = Field(default=None, max_length=64, description="client address at login")


class LoginThrottle(SQLModel, table=True):
    """Attempts counted in a fixed window per key (an account or a client address), shared by
    every API worker through the database."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=64, description="SHA-256 of kind:value")
    attempts: int = 0
    window_start: dt.datetime = Field(sa_type=DateTime(timezone=True))


class PasswordReset(SQLModel, table=True):
    """A single-use, expiring password reset link sent by email; only the token's hash is kept."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    expires_at: dt.datetime = Field(sa_type=DateTime(timezone=True))
    used_at: dt.datetime | None = tz_datetime()
