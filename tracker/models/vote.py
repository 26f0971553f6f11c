from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, json_list, tz_datetime


class VoteEvent(SQLModel, table=True):
    """A roll call (or a vote known only by its counts) in a chamber or committee."""

    __tablename__ = "vote_event"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, description="e.g. us-house-2025-17, us-senate-108-2-213")
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="legislative_session.id")
    bill_key: str | None = Field(default=None, index=True)
    action_position: int | None = Field(default=None, description="the bill action this vote belongs to")
    chamber: str | None = None
    organization: str | None = Field(default=None, description="chamber or committee that voted")
    date: dt.date
    start_time: dt.datetime | None = tz_datetime()
    roll_number: str | None = None
    motion_text: str = Field(sa_type=Text)
    motion_classification: list = json_list()
    vote_type: str | None = Field(default=None, description="roll-call, voice, unanimous-consent, ...")
    result: str = Field(description="pass, fail or other")
    counts: dict = json_dict()
    extras: dict = json_dict()
    source_url: str | None = None
    source_format: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()
    record_hash: str | None = Field(default=None, description=(
        "content hash of the record last stored (issue 19): an import of the same record again "
        "is a noop without reading its votes"))


class PersonVote(SQLModel, table=True):
    """One legislator's recorded vote, with the name as printed and how it was matched."""

    __tablename__ = "person_vote"
    # One legislator has at most one vote per roll call (unmatched rows, NULL, are not counted).
    __table_args__ = (UniqueConstraint("vote_event_id", "natural_key"),
                      Index("uq_person_vote_event_legislator", "vote_event_id", "legislator_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    vote_event_id: int = Field(foreign_key="vote_event.id")  # indexed by the unique (vote_event_id, ...)
    natural_key: str
    voter_name: str
    voter_ids: dict = json_dict()
    legislator_id: int | None = Field(default=None, foreign_key="legislator.id", index=True)
    option: str = Field(description="yes, no, present, abstain, not voting, absent, excused, paired, other")
    raw_option: str | None = None
    match_method: str | None = Field(default=None, description=(
        "id:<scheme>, alias, name:..., or why unmatched: unknown-id, id-conflict, duplicate, "
        "ambiguous, low-confidence"))
    match_confidence: float | None = None
    note: str | None = Field(default=None, sa_type=Text)
