"""Staff administration (issue 17): invitations to join a coalition's staff and the audit log.

An invitation keeps only its token's SHA-256 (a copy of the database lets nobody join); the
account is made when the invitation is accepted, with the name and password the person chose.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, tz_datetime, utcnow


class StaffInvitation(SQLModel, table=True):
    """An emailed, single-use, expiring invitation to a coalition's staff with a given role, or
    (role "member", `member_id` set) to a member organization's own login."""

    __tablename__ = "staff_invitation"

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    email: str = Field(max_length=320, description="lower-cased address the invitation was sent to")
    role: str = Field(max_length=16, description="viewer, editor or admin; member with member_id")
    member_id: int | None = Field(default=None, foreign_key="member_organization.id",
                                  description="the member organization the invited person speaks for")
    token_hash: str = Field(unique=True, max_length=64)
    invited_by: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    expires_at: dt.datetime = Field(sa_type=DateTime(timezone=True))
    accepted_at: dt.datetime | None = tz_datetime()
    revoked_at: dt.datetime | None = tz_datetime()


class AuditEntry(SQLModel, table=True):
    """One staff action: who did what to what, when (tracker.coalitions.audit.record writes it)."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff_user.id")
    actor: str = Field(max_length=320, description="the actor's email (or 'system') at the time")
    action: str = Field(max_length=64, index=True, description="dotted verb, e.g. staff.role_changed")
    target: str | None = Field(default=None, max_length=500, description="what it was done to")
    detail: dict = json_dict()
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)
