"""Column helpers shared by the tables."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def json_list(server_default: str | None = None):
    """A JSON list column; `server_default` only where a migration added the column with one."""
    kw = {"sa_column_kwargs": {"server_default": server_default}} if server_default else {}
    return Field(default_factory=list, sa_type=JSON, **kw)


def json_dict(server_default: str | None = None):
    kw = {"sa_column_kwargs": {"server_default": server_default}} if server_default else {}
    return Field(default_factory=dict, sa_type=JSON, **kw)


def tz_datetime(nullable: bool = True, **kw):
    return Field(default=None, sa_type=DateTime(timezone=True), nullable=nullable, **kw)
