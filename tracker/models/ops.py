from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Text
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, tz_datetime


class JobRun(SQLModel, table=True):
    """One run of a scheduled job or crawl: when, how it ended, what it changed."""

    __tablename__ = "job_run"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(index=True)
    started_at: dt.datetime | None = tz_datetime(index=True)
    finished_at: dt.datetime | None = tz_datetime()
    outcome: str = Field(default="running",
                         description="running, success, failed, timeout, interrupted, skipped")
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    stats: dict = json_dict()
    message: str | None = Field(default=None, sa_type=Text)
    host: str | None = None
    pid: int | None = None


class SchedulerLease(SQLModel, table=True):
    """A named lease in the database: which process holds it, until when (SQLite's stand-in
    for PostgreSQL advisory locks)."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True)
    holder: str
    expires_at: dt.datetime = Field(sa_type=DateTime(timezone=True))


class ApiBudgetUse(SQLModel, table=True):
    """Requests made to a metered API in one window of its published limit (a day, an hour, a
    month), by every crawl of every process: the ledger crawls plan within (tracker/ops/budget.py)."""

    __tablename__ = "api_budget_use"

    source: str = Field(primary_key=True, description="openstates, legiscan, congress-gov")
    period: str = Field(primary_key=True, description="minute, hour, day or month")
    window_start: dt.datetime = Field(sa_type=DateTime(timezone=True), primary_key=True)
    used: int = 0
    updated_at: dt.datetime | None = tz_datetime()
