"""Column helpers shared by the tables."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def json_list():
    return Field(default_factory=list, sa_type=JSON)


def json_dict():
    return Field(default_factory=dict, sa_type=JSON)


def tz_datetime(nullable: bool = True, **kw):
    return Field(default=None, sa_type=DateTime(timezone=True), nullable=nullable, **kw)
