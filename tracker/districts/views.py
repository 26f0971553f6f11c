"""Read models of `/find` and `/api/find` (one shape for the page and the JSON)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tracker.people.views import Grade

Level = Literal["us_senate", "us_house", "state_upper", "state_lower"]


class SeatMember(BaseModel):
    key: str
    name: str
    party: str | None = None
    title: str | None = Field(None, description="Senator, Representative, Delegate, ... as the source says")
    district: str | None = Field(None, description="the seat's district as stored")
    grades: list[Grade] = Field(default_factory=list, description="grades on published scorecards only")


class Seat(BaseModel):
    """One seat that represents the place: the U.S. Senate (two members), the House seat, and
    the state legislature's upper and lower seats."""

    level: Level
    jurisdiction: str = Field(description="us for Congress, else the state's postal code")
    chamber: str
    state: str
    district: str | None = Field(None, description="as the legislature numbers it; AL for an at-large seat")
    district_name: str | None = Field(None, description="the Census name of the district, when it gave one")
    tracked: bool = Field(description="edtracker holds current members of this chamber")
    members: list[SeatMember] = Field(default_factory=list)


class DistrictOptions(BaseModel):
    """The districts a state's form offers: those of the current members edtracker holds."""

    state: str
    congressional: list[str] = Field(default_factory=list)
    upper: list[str] = Field(default_factory=list)
    lower: list[str] = Field(default_factory=list)


class FindResult(BaseModel):
    status: Literal["ok", "partial", "no_match", "rejected", "unavailable", "throttled"] = Field(
        description="ok; partial (the address was found but some district layers failed: the seats known "
        "are shown); no_match (the geocoder found no such address); rejected (the geocoder refused the "
        "address, see message); unavailable (the geocoder is down or too slow); throttled (too many "
        "look-ups from this client)")
    source: Literal["address", "district"]
    matched_address: str | None = Field(None, description="the address as the geocoder matched it")
    state: str | None = None
    message: str | None = None
    failed_layers: list[str] = Field(default_factory=list)
    other_matches: int = Field(0, description="other matches of the address in other districts")
    retry_after: int | None = None
    seats: list[Seat] = Field(default_factory=list)
