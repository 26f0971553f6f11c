"""Read models of `/districts/{leaid}`, `/api/school-districts` and `edtracker districts show`."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from tracker.districts.views import Level, SeatMember
from tracker.people.views import BillRef, Grade


class SchoolDistrictRef(BaseModel):
    leaid: str | None = Field(None, description="NCES LEAID (7 digits)")
    ocd_id: str | None = Field(None, description="Open Civic Data division id")
    name: str
    state: str = Field(description="postal code, lower case")
    kind: str | None = Field(None, description="unified, elementary, secondary, charter, county, ... told by its name")
    county: str | None = None
    place: str | None = None


class PastMember(BaseModel):
    key: str
    name: str
    party: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class Representation(BaseModel):
    """A seat whose district holds part of the school district, with who holds it."""

    level: Level
    jurisdiction: str = Field(description="us for Congress, else the state's postal code")
    chamber: str
    state: str
    district: str | None = Field(None, description="as the legislature numbers it; AL at large; none for the Senate")
    share: float | None = Field(None, description="share of the school district's land area in this district, 0-1")
    land_area: float | None = Field(None, description="land area of the part (square miles in NCES files)")
    vintage: str | None = Field(None, description="boundaries of the file: cd116 is the 116th Congress's")
    tracked: bool = Field(description="edtracker holds current members of this chamber")
    members: list[SeatMember] = Field(default_factory=list, description="current members, grades on published scorecards only")
    past: list[PastMember] = Field(default_factory=list, description="members in past sessions; for parts with a "
                                   "Congress's boundaries (cd116), those who served in that Congress")


class SchoolDistrictDetail(BaseModel):
    district: SchoolDistrictRef
    representation: list[Representation] = Field(default_factory=list)
    boundaries: list[str] = Field(default_factory=list, description="vintages of the boundaries used (cd116, ...)")
    other_states: list[SchoolDistrictRef] = Field(
        default_factory=list, description="the same district's parts NCES lists under another state (interstate districts)")
    bills: list[BillRef] = Field(default_factory=list, description="education bills naming the district, its county or city")


class SchoolDistrictMatch(BaseModel):
    matches: list[SchoolDistrictRef] = Field(default_factory=list)
    total: int


class SchoolRepresentative(BaseModel):
    """A current member whose district holds part of the coalition's school districts."""

    key: str
    name: str
    party: str | None = None
    level: Level
    state: str
    district: str | None = None
    grades: list[Grade] = Field(default_factory=list, description="grades on published scorecards only")
    school_districts: list[SchoolDistrictRef] = Field(default_factory=list)


class CoalitionSchools(BaseModel):
    """'Our schools are represented by ...': the school districts a coalition's members are
    placed in, and the current members of every seat that holds part of one of them."""

    school_districts: list[SchoolDistrictRef] = Field(default_factory=list)
    representatives: list[SchoolRepresentative] = Field(default_factory=list)
    boundaries: list[str] = Field(default_factory=list)
