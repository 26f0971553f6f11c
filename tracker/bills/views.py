"""Read models: what the CLI and the API show of bills, actions, sponsors and votes."""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict


class _View(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class TagView(_View):
    """A bill's issue area: review status, score and why the rules matched (tracker.tagging)."""

    slug: str
    name: str
    coalition: str | None = None
    status: str
    score: float
    explanation: list[dict[str, Any]] = []


class BillSummary(_View):
    key: str
    jurisdiction: str
    session: str
    identifier: str
    bill_type: str
    title: str
    stage: str
    stage_date: dt.date | None = None
    introduced_date: dt.date | None = None
    latest_action_date: dt.date | None = None
    latest_action_text: str | None = None
    issue_areas: list[TagView] = []
    # Credits the bill's data requires (LegiScan's CC BY 4.0: tracker.bills.attribution).
    attribution: list[dict[str, str]] = []


class ActionView(_View):
    position: int
    date: dt.date
    actor: str
    committee: str | None = None
    description: str
    classification: list[str]
    code: str | None = None
    source_format: str | None = None  # the source this action comes from (several may carry a bill)


class SponsorView(_View):
    name: str
    classification: str
    primary: bool
    original: bool | None = None
    date: dt.date | None = None
    withdrawn_date: dt.date | None = None
    legislator_key: str | None = None
    person_ids: dict[str, str] = {}


class PersonVoteView(_View):
    voter_name: str
    option: str
    raw_option: str | None = None
    legislator_key: str | None = None
    match_method: str | None = None
    match_confidence: float | None = None


class VoteEventView(_View):
    key: str
    date: dt.date
    chamber: str | None = None
    organization: str | None = None
    motion_text: str
    motion_classification: list[str]
    result: str
    counts: dict[str, int]
    roll_number: str | None = None
    action_position: int | None = None
    source_url: str | None = None
    votes: list[PersonVoteView] = []


class BillDetail(BillSummary):
    normalized_identifier: str
    classification: list[str]
    origin_chamber: str | None = None
    titles: list[dict[str, Any]]
    summary: str | None = None
    subjects: list[str]
    policy_area: str | None = None
    related_bills: list[dict[str, Any]]
    laws: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    documents: list[dict[str, Any]] = []
    committees: list[str]
    sources: list[str]
    source_url: str | None = None
    source_format: str | None = None
    fetched_at: dt.datetime | None = None
    actions: list[ActionView] = []
    sponsors: list[SponsorView] = []
    votes: list[VoteEventView] = []


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[BillSummary]
    total_is_estimate: bool = False   # true: at least `total` (searches with words and filters cap the count)
