"""Bills and sessions: the records of what a legislature considers."""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from tracker.contract.base import Record, _check_jurisdiction, _Strict
from tracker.bills.keys import bill_key, normalize_identifier
from tracker.vocab import ACTION_CLASSIFICATIONS, BILL_TYPES, CHAMBERS, ID_SCHEMES, STAGES


class SessionIn(Record):
    kind: ClassVar[str] = "session"
    type: Literal["session"] = "session"
    jurisdiction: str
    identifier: str
    name: str
    classification: Literal["primary", "special"] = "primary"
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    carry_over: bool = False
    sine_die: bool | None = Field(default=None, description="the source says it adjourned sine die")

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    def natural_key(self) -> str:
        return f"{self.jurisdiction}-{self.identifier}"


# Closed vocabularies as Literal types: pydantic checks them in its core, with no Python call
# per value (a per-action validator was a sixth of a BILLSTATUS normalization).
Actor = Literal[tuple(sorted(CHAMBERS))]  # type: ignore[valid-type]
ActionClassification = Literal[tuple(sorted(ACTION_CLASSIFICATIONS))]  # type: ignore[valid-type]
IdScheme = Literal[tuple(sorted(ID_SCHEMES))]  # type: ignore[valid-type]


class ActionIn(_Strict):
    date: dt.date
    description: str = Field(min_length=1)
    actor: Actor = Field(description="upper, lower, legislature, executive, joint")
    committee: str | None = None
    classification: list[ActionClassification] = Field(  # type: ignore[valid-type]
        default_factory=list, description="OCD classifications, no repeats (BillIn drops them)")
    code: str | None = None
    extras: dict[str, Any] = Field(default_factory=dict)


class SponsorshipIn(_Strict):
    name: str = Field(min_length=1)
    ids: dict[IdScheme, str] = Field(default_factory=dict)  # type: ignore[valid-type]
    entity_type: Literal["person", "organization"] = "person"
    primary: bool = False
    classification: str = "cosponsor"
    original: bool | None = None
    date: dt.date | None = None
    withdrawn_date: dt.date | None = None

    def natural_key(self) -> str:
        for scheme in sorted(self.ids):
            return f"{scheme}:{self.ids[scheme]}:{self.classification}"
        return f"name:{self.name.lower()}:{self.classification}"


class VersionIn(_Strict):
    note: str
    date: dt.date | None = None
    url: str | None = None
    media_type: str | None = None


class DocumentIn(_Strict):
    """A document about a bill that is not its text: a committee or floor analysis, a veto
    message, a fiscal note. `text` holds short ones whole (a veto message); long ones are linked."""

    note: str = Field(min_length=1)
    kind: str = Field(default="document", description="analysis, veto message, fiscal note, ...")
    date: dt.date | None = None
    url: str | None = None
    media_type: str | None = None
    text: str | None = None
    extras: dict[str, Any] = Field(default_factory=dict)


class RelatedBillIn(_Strict):
    identifier: str
    session: str
    jurisdiction: str
    relation_type: str = "related"

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    @property
    def key(self) -> str:
        return bill_key(self.jurisdiction, self.session, self.identifier)


class LawIn(_Strict):
    type: str = Field(description="public, private, chapter, act")
    number: str


class TitleIn(_Strict):
    title: str
    type: str | None = None


class BillIn(Record):
    kind: ClassVar[str] = "bill"
    type: Literal["bill"] = "bill"
    jurisdiction: str
    session: str
    identifier: str = Field(min_length=1)
    bill_type: str = "bill"
    classification: list[str] = Field(default_factory=list)
    origin_chamber: str | None = None
    title: str = Field(min_length=1)
    other_titles: list[TitleIn] = Field(default_factory=list)
    summary: str | None = None
    subjects: list[str] = Field(default_factory=list)
    policy_area: str | None = None
    introduced_date: dt.date | None = None
    actions: list[ActionIn] = Field(default_factory=list)
    sponsorships: list[SponsorshipIn] = Field(default_factory=list)
    versions: list[VersionIn] = Field(default_factory=list)
    documents: list[DocumentIn] = Field(default_factory=list)
    related_bills: list[RelatedBillIn] = Field(default_factory=list)
    laws: list[LawIn] = Field(default_factory=list)
    committees: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    stage: str | None = Field(default=None, description="the source's own stage, when it has one")
    extras: dict[str, Any] = Field(default_factory=dict)

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    @field_validator("identifier")
    @classmethod
    def _ident(cls, v: str) -> str:
        normalize_identifier(v)
        return v

    @field_validator("bill_type")
    @classmethod
    def _type(cls, v: str) -> str:
        if v not in BILL_TYPES:
            raise ValueError(f"bill_type {v!r} is not one of {sorted(BILL_TYPES)}")
        return v

    @field_validator("origin_chamber")
    @classmethod
    def _origin(cls, v: str | None) -> str | None:
        if v is not None and v not in {"upper", "lower", "legislature"}:
            raise ValueError(f"origin_chamber {v!r} must be upper, lower or legislature")
        return v

    @field_validator("stage")
    @classmethod
    def _stage(cls, v: str | None) -> str | None:
        if v is not None and v not in STAGES:
            raise ValueError(f"stage {v!r} is not one of {list(STAGES)}")
        return v

    @model_validator(mode="after")
    def _tidy_children(self) -> "BillIn":
        # one pass per bill rather than a validator call per action and per sponsor: repeated
        # classifications and empty sponsor ids go
        for action in self.actions:
            classes = action.classification
            if len(classes) > 1 and len(set(classes)) != len(classes):
                action.classification = list(dict.fromkeys(classes))
        for sponsor in self.sponsorships:
            if "" in sponsor.ids.values():
                sponsor.ids = {k: v for k, v in sponsor.ids.items() if v}
        return self

    @property
    def key(self) -> str:
        return bill_key(self.jurisdiction, self.session, self.identifier)

    def natural_key(self) -> str:
        return self.key
