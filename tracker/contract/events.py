"""Things that happen on a date: committee hearings and roll-call votes."""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from tracker.contract.base import Record, _check_ids, _check_jurisdiction, _Strict
from tracker.vocab import VOTE_OPTIONS, VOTE_RESULTS


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
