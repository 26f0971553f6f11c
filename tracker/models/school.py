"""School districts (NCES local education agencies) and their overlap with legislative districts."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import tz_datetime


class SchoolDistrict(SQLModel, table=True):
    """One school district: NCES LEAID and/or OCD division id, its names as each source gives them."""

    __tablename__ = "school_district"

    id: int | None = Field(default=None, primary_key=True)
    leaid: str | None = Field(default=None, unique=True, max_length=7, description="NCES LEAID, 7 digits")
    ocd_id: str | None = Field(default=None, unique=True, description="OCD division id")
    state: str = Field(index=True, max_length=2, description="postal code, lower case")
    nces_name: str | None = Field(default=None, index=True)
    ocd_name: str | None = None
    kind: str | None = Field(default=None, description="unified, elementary, secondary, charter, ... by name rules")
    county: str | None = Field(default=None, description="county (or borough, parish) named by the OCD id")
    place: str | None = Field(default=None, description="city or town named by the OCD id")
    state_code: str | None = Field(default=None, description="the state's own district id (OCD mapping file)")
    updated_at: dt.datetime | None = tz_datetime()


class SchoolDistrictOverlap(SQLModel, table=True):
    """A part of a school district inside one legislative district, with its land area."""

    __tablename__ = "school_district_overlap"
    __table_args__ = (UniqueConstraint("school_district_id", "level", "state", "district"),)

    id: int | None = Field(default=None, primary_key=True)
    school_district_id: int = Field(foreign_key="school_district.id", index=True)
    level: str = Field(description="us_house, state_upper or state_lower")
    state: str = Field(max_length=2, description="the legislative district's state (a school district may cross a line)")
    district: str = Field(description="as the legislature numbers it; AL at large")
    land_area: float | None = Field(default=None, description="land area of the part, as the file gives it")
    water_area: float | None = None
    share: float | None = Field(default=None, description="the part's share of the district's land area, 0-1")
    vintage: str = Field(description="boundaries used: cd116 (116th Congress), or the crosswalk's own label")
    source: str = Field(description="the file it was read from")


class MemberSchoolDistrict(SQLModel, table=True):
    """A coalition member organization (a school, a network) placed in a school district."""

    __tablename__ = "member_school_district"
    __table_args__ = (UniqueConstraint("member_id", "school_district_id"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member_organization.id", index=True)
    school_district_id: int = Field(foreign_key="school_district.id", index=True)
