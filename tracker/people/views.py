"""Read models of the legislator and committee pages and their JSON API (one shape for both)."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class RoleView(BaseModel):
    """A seat held over time. `state` is the state of a member of Congress (from the division)."""

    jurisdiction: str
    chamber: str
    district: str | None = None
    state: str | None = None
    division_id: str | None = None
    party: str | None = None
    title: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    current: bool = False


class LegislatorItem(BaseModel):
    """One legislator in a list: the seat shown is the current one, else the latest."""

    key: str
    name: str
    party: str | None = None
    current: bool
    role: RoleView | None = None


class LegislatorPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[LegislatorItem]


class Office(BaseModel):
    kind: str | None = None
    name: str | None = None
    address: str | None = None
    voice: str | None = None
    fax: str | None = None


class Link(BaseModel):
    url: str
    note: str | None = None


class Contact(BaseModel):
    email: str | None = None
    offices: list[Office] = []
    links: list[Link] = []


class CommitteeSeat(BaseModel):
    """A committee a legislator sits on, with the role held."""

    key: str
    name: str
    jurisdiction: str
    chamber: str | None = None
    classification: str
    parent_key: str | None = None
    role: str
    education: bool = False


class CoalitionPosition(BaseModel):
    """A coalition's public position on a bill (never a private one)."""

    coalition: str
    coalition_name: str
    stance: str


class BillRef(BaseModel):
    key: str
    jurisdiction: str
    session: str
    identifier: str
    title: str
    stage: str
    introduced_date: dt.date | None = None
    latest_action_date: dt.date | None = None


class SponsoredBill(BillRef):
    primary: bool
    classification: str
    withdrawn_date: dt.date | None = None


class EducationVote(BaseModel):
    vote_event_key: str
    date: dt.date
    chamber: str | None = None
    organization: str | None = None
    motion: str
    option: str
    result: str
    source_url: str | None = None
    bill: BillRef
    positions: list[CoalitionPosition] = []


class Grade(BaseModel):
    """The legislator's result on a published scorecard (its default session)."""

    coalition: str
    coalition_name: str
    scorecard: str
    title: str
    jurisdiction: str
    session: str
    score: float | None = None
    grade: str | None = None
    path: str


class Photo(BaseModel):
    url: str
    host: str


class Paged(BaseModel):
    total: int
    limit: int
    offset: int


class SponsoredPage(Paged):
    primary: int = 0
    items: list[SponsoredBill]


class VotePage(Paged):
    items: list[EducationVote]


class ExternalLink(BaseModel):
    scheme: str
    value: str
    url: str


class LegislatorProfile(BaseModel):
    key: str
    name: str
    given_name: str | None = None
    family_name: str | None = None
    party: str | None = None
    current: bool
    current_roles: list[RoleView] = []
    roles: list[RoleView] = []
    photo: Photo | None = None
    contact: Contact
    ids: dict[str, list[str]] = {}
    elsewhere: list[ExternalLink] = []
    committees: list[CommitteeSeat] = []
    sponsored: SponsoredPage
    votes: VotePage
    grades: list[Grade] = []
    source_url: str | None = None
    source_format: str | None = None


class CommitteeItem(BaseModel):
    key: str
    name: str
    jurisdiction: str
    chamber: str | None = None
    classification: str
    parent_key: str | None = None
    members: int = 0
    education: bool = False


class CommitteePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CommitteeItem]


class Member(BaseModel):
    key: str
    name: str
    role: str
    party: str | None = None
    district: str | None = None
    state: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class HearingView(BaseModel):
    key: str
    start: dt.datetime | None = None
    location: str | None = None
    description: str | None = None
    status: str
    links: list[str] = []
    bills: list[BillRef] = []
    bill_keys: list[str] = []


class ReferredBill(BillRef):
    referred_on: dt.date | None = None


class ReferredPage(Paged):
    items: list[ReferredBill]


class CommitteeDetail(CommitteeItem):
    url: str | None = None
    parent: CommitteeItem | None = None
    subcommittees: list[CommitteeItem] = []
    member_list: list[Member] = []
    hearings: list[HearingView] = []
    referred: ReferredPage
    source_url: str | None = None
