from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint, false
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict


class Jurisdiction(SQLModel, table=True):
    """`us`, the 50 states, DC and PR, keyed by lowercase postal code."""

    id: str = Field(primary_key=True, max_length=8)
    name: str
    classification: str = Field(description="country, state, district or territory")
    division_id: str = Field(unique=True, description="OCD division id")
    ocd_jurisdiction_id: str = Field(unique=True)
    legislature_name: str | None = None
    unicameral: bool = False
    timezone: str | None = None


class LegislativeSession(SQLModel, table=True):
    """A session as the legislature names it: `119`, `20252026`, `2025`, `2025S1`."""

    __tablename__ = "legislative_session"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "identifier"),)

    id: int | None = Field(default=None, primary_key=True)
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    identifier: str
    name: str
    classification: str = Field(default="primary", description="primary or special")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    carry_over: bool = Field(default=False,
                             description="pending bills carry over between the years of this session")
    # Session calendars (migration 0013): tracker/jurisdictions/calendar.py resolves these.
    sine_die_date: dt.date | None = Field(default=None, description="the day it adjourned for good, when known")
    adjourned: bool = Field(default=False, sa_column_kwargs={"server_default": false()},
                            description="known to have adjourned sine die (date or not)")
    dates_source: str = Field(default="default", sa_column_kwargs={"server_default": "default"},
                              description="calendar, openstates, rule or default (nominal year ends)")
    reported: dict = json_dict(server_default="{}")  # per source format: what it said about the session
