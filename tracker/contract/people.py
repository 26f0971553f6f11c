"""Legislators, their roles, committees and committee memberships."""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from tracker.contract.base import PersonRef, Record, _check_ids, _check_jurisdiction, _Strict


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
