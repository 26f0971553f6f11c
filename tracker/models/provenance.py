"""Tables of the state-data work: voter-name aliases and per-source bill records."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, tz_datetime, utcnow


class VoterAlias(SQLModel, table=True):
    """A raw name a source prints for a legislator ("Mr. Speaker", "Taylor of Galveston").

    Aliases are data people add (`edtracker aliases add`); crawls never write or delete them,
    so they survive every re-crawl. `chamber` empty means any chamber of the jurisdiction.
    """

    __tablename__ = "voter_alias"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "chamber", "normalized_name"),)

    id: int | None = Field(default=None, primary_key=True)
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    chamber: str | None = None
    raw_name: str
    normalized_name: str = Field(index=True)
    legislator_id: int = Field(foreign_key="legislator.id", index=True)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    note: str | None = None
    created_at: dt.datetime | None = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class BillSource(SQLModel, table=True):
    """One source's record of a bill, kept as provenance when several sources carry it."""

    __tablename__ = "bill_source"
    __table_args__ = (UniqueConstraint("bill_id", "source_format"),)

    id: int | None = Field(default=None, primary_key=True)
    bill_id: int = Field(foreign_key="bill.id")  # indexed by the unique (bill_id, source_format)
    source_format: str
    source_url: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()
    record_hash: str = Field(description="sha1 of the record's content fields")
    payload: dict = json_dict()
