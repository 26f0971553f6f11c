"""Read models: what the CLI and the API show of bills, actions, sponsors and votes."""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    entity_type: str = "person"
    classification: str
    primary: bool
    original: bool | None = None
    date: dt.date | None = None
    withdrawn_date: dt.date | None = None
    legislator_key: str | None = None
    legislator_name: str | None = None   # the resolved person's name (the source's is `name`)
    person_ids: dict[str, str] = {}


class PersonVoteView(_View):
    voter_name: str
    option: str
    raw_option: str | None = None
    legislator_key: str | None = None
    legislator_name: str | None = None   # the resolved person's full name (the source's is `voter_name`)
    party: str | None = None             # party key on the day of the vote (tracker.people.parties)
    match_method: str | None = None
    match_confidence: float | None = None


class PartyTally(BaseModel):
    """One party's votes in a roll call; `party` None counts voters whose party is not known."""

    party: str | None = None
    yes: int = 0
    no: int = 0
    other: int = 0


class CommitteeLink(BaseModel):
    """A stored committee (its page is `/committees/{key}`)."""

    key: str
    name: str


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
    vote_type: str | None = None
    committee: CommitteeLink | None = None   # the committee that voted, when it is stored
    votes: list[PersonVoteView] = []
    party_totals: list[PartyTally] = []


class BillHearingView(BaseModel):
    """A hearing with this bill on its agenda."""

    key: str
    start: dt.datetime | None = Field(None, description="in UTC")
    committee_name: str | None = Field(None, description="as the source names it")
    committee: CommitteeLink | None = None
    chamber: str | None = None
    location: str | None = None
    status: str
    description: str | None = None
    note: str | None = Field(None, description="what the agenda says of this bill")
    links: list[str] = Field(default_factory=list, description="agendas and notices (http and https only)")


class TextVersionView(BaseModel):
    """A version of the bill's text: stored (`bill_text`) or only listed by the source."""

    name: str
    date: dt.date | None = None
    code: str | None = None
    url: str | None = Field(None, description="the source's page of this version (http and https only)")
    stored: bool = Field(False, description="edtracker holds this version's text")


class PublicPosition(BaseModel):
    """A coalition's public position on the bill (never a private one)."""

    coalition: str
    coalition_name: str
    stance: str
    rationale: str | None = None


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
    hearings: list[BillHearingView] = []
    text_versions: list[TextVersionView] = []
    positions: list[PublicPosition] = []


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[BillSummary]
    total_is_estimate: bool = False   # true: at least `total` (searches with words and filters cap the count)
