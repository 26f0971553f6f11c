from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, json_list, tz_datetime


class Committee(SQLModel, table=True):
    """A standing, select or joint committee or a subcommittee."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, description="e.g. us-SSHR, ca-lower-education")
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    name: str
    chamber: str | None = Field(default=None, description="upper, lower, joint/legislature")
    classification: str = "committee"
    parent_key: str | None = None
    identifiers: dict = json_dict()
    url: str | None = None
    source_url: str | None = None
    source_format: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()


class CommitteeMembership(SQLModel, table=True):
    __tablename__ = "committee_membership"
    __table_args__ = (UniqueConstraint("committee_id", "legislator_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    legislator_id: int = Field(foreign_key="legislator.id", index=True)
    role: str = "member"
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class Hearing(SQLModel, table=True):
    """A committee meeting or hearing, with the bills on its agenda."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    committee_key: str | None = Field(default=None, index=True)
    committee_name: str | None = None
    start: dt.datetime | None = tz_datetime()
    location: str | None = None
    description: str | None = None
    status: str = "scheduled"
    links: list = json_list()
    source_url: str | None = None
    source_format: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()


class HearingBill(SQLModel, table=True):
    __tablename__ = "hearing_bill"
    __table_args__ = (UniqueConstraint("hearing_id", "bill_key"),)

    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearing.id", index=True)
    bill_key: str = Field(index=True)
    note: str | None = None
    position: int = 0
