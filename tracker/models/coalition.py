"""Coalitions and what they own: members, staff, API keys, positions and saved searches.

Positions name bills by their stable key (not a foreign key) so that a coalition's YAML file can
set a position on a bill before any source has delivered it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, tz_datetime, utcnow


def stamped():
    """A timezone-aware timestamp column that defaults to now."""
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=True)


class Coalition(SQLModel, table=True):
    """An advocacy coalition; `settings` holds e.g. `embed_origins` (list of allowed origins)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=64)
    name: str
    description: str | None = Field(default=None, sa_type=Text)
    website: str | None = None
    settings: dict = json_dict()
    created_at: dt.datetime | None = stamped()


class MemberOrganization(SQLModel, table=True):
    """An organization that belongs to a coalition and may record its own stances."""

    __tablename__ = "member_organization"
    __table_args__ = (UniqueConstraint("coalition_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    slug: str
    name: str
    website: str | None = None


class StaffUser(SQLModel, table=True):
    """An account of one coalition; role is admin, editor or viewer (see tracker.vocab), or
    "member" for a member organization's own login (`member_id` says which; no staff access)."""

    __tablename__ = "staff_user"
    __table_args__ = (UniqueConstraint("coalition_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    email: str = Field(index=True)
    display_name: str | None = None
    password_hash: str
    role: str = "viewer"
    member_id: int | None = Field(default=None, foreign_key="member_organization.id", index=True)
    active: bool = True
    created_at: dt.datetime | None = stamped()
    last_login_at: dt.datetime | None = tz_datetime()


class ApiKey(SQLModel, table=True):
    """A per-coalition API key: only a hash is stored; `prefix` is shown to identify it."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    name: str
    prefix: str = Field(unique=True, max_length=32)
    key_hash: str
    role: str = "viewer"
    created_at: dt.datetime | None = stamped()
    revoked_at: dt.datetime | None = tz_datetime()
    last_used_at: dt.datetime | None = tz_datetime()


class Position(SQLModel, table=True):
    """A coalition's current stance on a bill (see `tracker.vocab.STANCES`)."""

    __table_args__ = (UniqueConstraint("coalition_id", "bill_key"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    bill_key: str = Field(index=True)
    stance: str
    rationale: str | None = Field(default=None, sa_type=Text)
    priority: int = Field(default=0, description="0 normal; higher is more important")
    public: bool = False
    set_by: str | None = Field(default=None, description="staff email, api key prefix or 'yaml:FILE'")
    set_at: dt.datetime | None = stamped()


class PositionHistory(SQLModel, table=True):
    """Every change of a position, oldest first; the id is a cursor for alert readers."""

    __tablename__ = "position_history"

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    bill_key: str = Field(index=True)
    previous_stance: str | None = None
    stance: str | None = Field(default=None, description="None when the position was removed")
    rationale: str | None = Field(default=None, sa_type=Text)
    priority: int = 0
    public: bool = False
    set_by: str | None = None
    set_at: dt.datetime | None = stamped()


class MemberStance(SQLModel, table=True):
    """A member organization's own stance on a bill, shown beside the coalition's."""

    __tablename__ = "member_stance"
    __table_args__ = (UniqueConstraint("member_id", "bill_key"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    member_id: int = Field(foreign_key="member_organization.id", index=True)
    bill_key: str = Field(index=True)
    stance: str
    note: str | None = Field(default=None, sa_type=Text, description="seen by the member and staff only")
    set_by: str | None = Field(default=None, description="account email or 'yaml:FILE'")
    set_at: dt.datetime | None = stamped()


class SavedSearch(SQLModel, table=True):
    """A named search (the query parameters of `tracker.search.search_bills`) a coalition keeps."""

    __tablename__ = "saved_search"
    __table_args__ = (UniqueConstraint("coalition_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    slug: str
    name: str
    params: dict = json_dict()
    owner_email: str | None = None
    created_at: dt.datetime | None = stamped()
