"""Read models of `/hearings` and `/api/hearings` (one shape for the page and the JSON)."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class CommitteeRef(BaseModel):
    """The stored committee a hearing belongs to (its page is `/committees/{key}`)."""

    key: str
    name: str
    jurisdiction: str
    chamber: str | None = None


class AgendaBill(BaseModel):
    """A bill on a hearing's agenda; `stored` is false for a bill edtracker does not hold
    (then it has no page, and no title or stage)."""

    key: str
    identifier: str
    stored: bool
    title: str | None = None
    stage: str | None = None
    session: str | None = None
    education: bool = False
    note: str | None = None


class HearingItem(BaseModel):
    key: str
    jurisdiction: str
    chamber: str | None = Field(None, description="upper, lower or legislature, when known")
    committee_name: str | None = Field(None, description="as the source names it")
    committee: CommitteeRef | None = None
    start: dt.datetime = Field(description="in UTC")
    local_start: dt.datetime = Field(description="in the legislature's time zone, with its offset")
    timezone: str
    location: str | None = None
    description: str | None = None
    status: str
    links: list[str] = Field(default_factory=list, description="agendas and notices (http and https only)")
    bills: list[AgendaBill] = Field(default_factory=list)
    education: bool = Field(description="an education committee, or an education bill on the agenda")
    source_url: str | None = None


class HearingPage(BaseModel):
    total: int
    limit: int
    offset: int
    when: str
    scope: str
    items: list[HearingItem]
    committees: list[CommitteeRef] = Field(
        default_factory=list, description="committees of the hearings this filter finds, whatever the committee filter")
