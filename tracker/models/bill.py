from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, json_list, tz_datetime


class Bill(SQLModel, table=True):
    """A bill or resolution; `key` is stable and readable: us-119-hr1234, ny-2025-s609."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    session_id: int = Field(foreign_key="legislative_session.id", index=True)
    identifier: str = Field(description="as the legislature writes it, e.g. H.R. 1234")
    normalized_identifier: str = Field(index=True, description="e.g. HR1234")
    bill_type: str = Field(description="bill, resolution, joint resolution, concurrent resolution, ...")
    classification: list = json_list()
    origin_chamber: str | None = None
    title: str = Field(sa_type=Text)
    titles: list = json_list()
    summary: str | None = Field(default=None, sa_type=Text)
    subjects: list = json_list()
    policy_area: str | None = None
    introduced_date: dt.date | None = None
    latest_action_date: dt.date | None = Field(default=None, index=True)
    latest_action_text: str | None = Field(default=None, sa_type=Text)
    stage: str = Field(index=True)
    stage_date: dt.date | None = None
    related_bills: list = json_list()
    laws: list = json_list()
    versions: list = json_list()
    documents: list = json_list(server_default="[]")  # the column default of migration 0019
    committees: list = json_list()
    sources: list = json_list()
    extras: dict = json_dict()
    source_url: str | None = None
    source_format: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()


class BillAction(SQLModel, table=True):
    __tablename__ = "bill_action"
    __table_args__ = (UniqueConstraint("bill_id", "natural_key"),)

    id: int | None = Field(default=None, primary_key=True)
    # no index of its own: the unique (bill_id, natural_key) index serves lookups by bill
    bill_id: int = Field(foreign_key="bill.id")
    natural_key: str = Field(description="hash of date, actor and text, plus a repeat counter")
    position: int = Field(description="order of the action within the bill")
    date: dt.date
    actor: str = Field(description="upper, lower, legislature, executive, or a committee")
    chamber: str | None = None
    committee: str | None = None
    description: str = Field(sa_type=Text)
    classification: list = json_list()
    code: str | None = None
    extras: dict = json_dict()
    # Which source's record this action comes from (migration 0013): one bill's actions are the
    # best source's list plus the actions only other sources know.
    source_format: str | None = None


class Sponsorship(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("bill_id", "natural_key"),)

    id: int | None = Field(default=None, primary_key=True)
    # no index of its own: the unique (bill_id, natural_key) index serves lookups by bill
    bill_id: int = Field(foreign_key="bill.id")
    natural_key: str
    name: str
    legislator_id: int | None = Field(default=None, foreign_key="legislator.id", index=True)
    person_ids: dict = json_dict()
    entity_type: str = "person"
    primary: bool = False
    classification: str = Field(default="cosponsor", description="primary, cosponsor, joint, ...")
    original: bool | None = None
    date: dt.date | None = None
    withdrawn_date: dt.date | None = None
    position: int = 0
    # How a sponsor named without a known id was matched (added by migration 0004).
    match_method: str | None = None
    match_confidence: float | None = None
