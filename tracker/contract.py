"""The ingest contract: typed records that spiders and importers produce.

Every record names its source (`SourceRef`) and has a natural key, so the ingest service can
upsert it idempotently and every error can say which source, record and field it is about.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tracker.jurisdictions import JURISDICTION_IDS
from tracker.keys import bill_key, normalize_identifier
from tracker.vocab import (ACTION_CLASSIFICATIONS, BILL_TYPES, CHAMBERS, ID_SCHEMES, STAGES,
                           VOTE_OPTIONS, VOTE_RESULTS)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceRef(_Strict):
    """Where a record came from: URL (or file path), format name and fetch time."""

    url: str | None = None
    format: str
    fetched_at: dt.datetime | None = None


def _check_jurisdiction(v: str) -> str:
    v = v.lower()
    if v not in JURISDICTION_IDS:
        raise ValueError(f"unknown jurisdiction {v!r} (expected us, a state postal code, dc or pr)")
    return v


def _check_ids(ids: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(ids) - set(ID_SCHEMES))
    if unknown:
        raise ValueError(f"unknown id scheme(s) {unknown}; known: {sorted(ID_SCHEMES)}")
    return {k: v for k, v in ids.items() if v not in (None, "", [])}


class Record(_Strict):
    """Base of every top-level record."""

    kind: ClassVar[str]
    source: SourceRef

    def natural_key(self) -> str:
        raise NotImplementedError


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

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    def natural_key(self) -> str:
        return f"{self.jurisdiction}-{self.identifier}"


class PersonRef(_Strict):
    """A person as a source names them: the printed name plus any ids it gives."""

    name: str
    ids: dict[str, str] = Field(default_factory=dict)

    _ids = field_validator("ids")(_check_ids)


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


class RoleIn(_Strict):
    jurisdiction: str
    chamber: str
    district: str | None = None
    division_id: str | None = None
    party: str | None = None
    title: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    @field_validator("chamber")
    @classmethod
    def _chamber(cls, v: str) -> str:
        if v not in {"upper", "lower", "legislature"}:
            raise ValueError(f"chamber {v!r} must be upper, lower or legislature")
        return v


# Which id makes a legislator's key when no explicit key is given, in order of preference.
KEY_SCHEMES = ("bioguide", "ocd-person", "legiscan", "ny-member", "lis", "govtrack")


class LegislatorIn(Record):
    kind: ClassVar[str] = "legislator"
    type: Literal["legislator"] = "legislator"
    key: str | None = None
    name: str = Field(min_length=1)
    given_name: str | None = None
    family_name: str | None = None
    other_names: list[str] = Field(default_factory=list)
    party: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    image: str | None = None
    ids: dict[str, str | list[str]] = Field(default_factory=dict)
    roles: list[RoleIn] = Field(default_factory=list)
    extras: dict[str, Any] = Field(default_factory=dict)

    _ids = field_validator("ids")(_check_ids)

    @model_validator(mode="after")
    def _has_key(self) -> "LegislatorIn":
        if self.key is None:
            for scheme in KEY_SCHEMES:
                value = self.ids.get(scheme)
                if isinstance(value, str):
                    self.key = f"{scheme}:{value}"
                    break
            else:
                raise ValueError(f"legislator needs a key or one of the ids {list(KEY_SCHEMES)}")
        return self

    def natural_key(self) -> str:
        return self.key or ""


class MembershipIn(_Strict):
    person: PersonRef
    role: str = "member"
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class CommitteeIn(Record):
    kind: ClassVar[str] = "committee"
    type: Literal["committee"] = "committee"
    key: str
    jurisdiction: str
    name: str
    chamber: str | None = None
    classification: str = "committee"
    parent_key: str | None = None
    identifiers: dict[str, str] = Field(default_factory=dict)
    url: str | None = None
    members: list[MembershipIn] | None = Field(
        default=None, description="None leaves stored memberships alone; a list replaces them")

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    def natural_key(self) -> str:
        return self.key


class AgendaItemIn(_Strict):
    bill_key: str
    note: str | None = None


class HearingIn(Record):
    kind: ClassVar[str] = "hearing"
    type: Literal["hearing"] = "hearing"
    key: str
    jurisdiction: str
    committee_key: str | None = None
    committee_name: str | None = None
    start: dt.datetime | None = None
    location: str | None = None
    description: str | None = None
    status: Literal["scheduled", "cancelled", "held", "postponed"] = "scheduled"
    links: list[str] = Field(default_factory=list)
    bills: list[AgendaItemIn] = Field(default_factory=list)

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    def natural_key(self) -> str:
        return self.key


class PersonVoteIn(_Strict):
    voter_name: str = Field(min_length=1)
    ids: dict[str, str] = Field(default_factory=dict)
    option: str
    raw_option: str | None = None
    note: str | None = None

    _ids = field_validator("ids")(_check_ids)

    @field_validator("option")
    @classmethod
    def _option(cls, v: str) -> str:
        if v not in VOTE_OPTIONS:
            raise ValueError(f"vote option {v!r} is not one of {sorted(VOTE_OPTIONS)}")
        return v

    def natural_key(self) -> str:
        for scheme in sorted(self.ids):
            return f"{scheme}:{self.ids[scheme]}"
        return f"name:{self.voter_name}"


class VoteEventIn(Record):
    kind: ClassVar[str] = "vote_event"
    type: Literal["vote_event"] = "vote_event"
    key: str
    jurisdiction: str
    session: str | None = None
    bill_key: str | None = None
    action_position: int | None = None
    chamber: str | None = None
    organization: str | None = None
    date: dt.date
    start_time: dt.datetime | None = None
    roll_number: str | None = None
    motion_text: str = Field(min_length=1)
    motion_classification: list[str] = Field(default_factory=list)
    vote_type: str | None = None
    result: str
    counts: dict[str, int] = Field(default_factory=dict)
    votes: list[PersonVoteIn] = Field(default_factory=list)
    extras: dict[str, Any] = Field(default_factory=dict)

    _j = field_validator("jurisdiction")(_check_jurisdiction)

    @field_validator("result")
    @classmethod
    def _result(cls, v: str) -> str:
        if v not in VOTE_RESULTS:
            raise ValueError(f"vote result {v!r} is not one of {sorted(VOTE_RESULTS)}")
        return v

    @field_validator("counts")
    @classmethod
    def _counts(cls, v: dict[str, int]) -> dict[str, int]:
        neg = [k for k, n in v.items() if n < 0]
        if neg:
            raise ValueError(f"negative vote count for {neg}")
        return v

    def natural_key(self) -> str:
        return self.key


RECORD_TYPES: dict[str, type[Record]] = {
    cls.kind: cls for cls in (SessionIn, BillIn, LegislatorIn, CommitteeIn, HearingIn, VoteEventIn)
}
AnyRecord = Annotated[Union[SessionIn, BillIn, LegislatorIn, CommitteeIn, HearingIn, VoteEventIn],
                      Field(discriminator="type")]


class RecordError(Exception):
    """A record that cannot be stored, naming its source, the record and the field."""

    def __init__(self, source: str | None, record: str | None, field: str | None, problem: str):
        self.source, self.record, self.field, self.problem = source, record, field, problem
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"field {self.field!r}: " if self.field else ""
        return f"{self.source or '<unknown source>'}: record {self.record or '<unknown>'}: {where}{self.problem}"

    def as_dict(self) -> dict[str, str | None]:
        return {"source": self.source, "record": self.record, "field": self.field,
                "problem": self.problem}


def _guess_record_name(data: dict) -> str | None:
    for k in ("key", "identifier", "name"):
        if isinstance(data.get(k), str):
            return data[k]
    return None


def build(kind: str, data: dict[str, Any], *, source: str | None = None) -> Record:
    """Validate `data` as a record of `kind`; raise `RecordError` naming source, record and field.

    With several bad fields, the first is named in `field` and all are listed in the message.
    """
    cls = RECORD_TYPES.get(kind)
    src = source or ((data.get("source") or {}).get("url") if isinstance(data.get("source"), dict) else None)
    if cls is None:
        raise RecordError(src, _guess_record_name(data), "type", f"unknown record kind {kind!r}")
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        fields = [".".join(str(p) for p in e["loc"]) or "<record>" for e in errors]
        problems = (errors[0]["msg"] if len(errors) == 1 else
                    "; ".join(f"{f}: {e['msg']}" for f, e in zip(fields, errors)))
        name = _guess_record_name(data)
        if kind == "bill" and name and isinstance(data.get("session"), str) and isinstance(data.get("jurisdiction"), str):
            try:
                name = bill_key(data["jurisdiction"], data["session"], name)
            except ValueError:
                pass
        raise RecordError(src, name, fields[0], problems) from None


def build_any(data: dict[str, Any], *, source: str | None = None) -> Record:
    """Validate a dict carrying its own `type` (the JSON-lines exchange format)."""
    return build(str(data.get("type", "")), data, source=source)
