"""A coalition's watchlist: bills its staff follow closely, each with a note, an owner and a status."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import utcnow


class WatchItem(SQLModel, table=True):
    """One watched bill of a coalition (by bill key, like positions); status in WATCH_STATUSES."""

    __tablename__ = "watch_item"
    __table_args__ = (UniqueConstraint("coalition_id", "bill_key"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    bill_key: str = Field(index=True)
    status: str = "watching"
    note: str | None = Field(default=None, sa_type=Text)
    owner_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    updated_by: str | None = None
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
