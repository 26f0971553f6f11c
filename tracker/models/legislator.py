from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, json_list, tz_datetime


class Legislator(SQLModel, table=True):
    """A person who serves or served in a legislature."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, description="stable key, e.g. bioguide:B000944 or ocd-person/…")
    name: str = Field(index=True)
    given_name: str | None = None
    family_name: str | None = Field(default=None, index=True)
    other_names: list = json_list()
    party: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    image: str | None = None
    extras: dict = json_dict()
    source_url: str | None = None
    source_format: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()


class LegislatorIdentifier(SQLModel, table=True):
    """An external id; (scheme, value) is unique, so one id names at most one person."""

    __tablename__ = "legislator_identifier"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    legislator_id: int = Field(foreign_key="legislator.id", index=True)
    scheme: str
    value: str


class LegislatorRole(SQLModel, table=True):
    """A seat held over time: jurisdiction, chamber, district, party, start and end."""

    __tablename__ = "legislator_role"

    id: int | None = Field(default=None, primary_key=True)
    legislator_id: int = Field(foreign_key="legislator.id", index=True)
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    chamber: str = Field(description="upper, lower or legislature")
    district: str | None = None
    division_id: str | None = None
    party: str | None = None
    title: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class LegislatorSource(SQLModel, table=True):
    """One source's record of a legislator; the legislator row is their merge (see
    `tracker.people.sources`), so loading two sources in either order gives the same row."""

    __tablename__ = "legislator_source"
    __table_args__ = (UniqueConstraint("legislator_id", "source_format"),)

    id: int | None = Field(default=None, primary_key=True)
    legislator_id: int = Field(foreign_key="legislator.id", index=True)
    source_format: str
    source_url: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()
    record_hash: str = Field(description="sha1 of the record's content fields")
    payload: dict = json_dict()
