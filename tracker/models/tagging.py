"""Issue areas, tagging rules as data, bill tags and the full-text search documents."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, json_list, tz_datetime
from tracker.models.coalition import stamped


class IssueArea(SQLModel, table=True):
    """An issue area of the default taxonomy (coalition_id NULL) or of one coalition."""

    __tablename__ = "issue_area"
    __table_args__ = (UniqueConstraint("coalition_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int | None = Field(default=None, foreign_key="coalition.id", index=True)
    slug: str
    name: str
    description: str | None = Field(default=None, sa_type=Text)
    parent_slug: str | None = None
    position: int = 0


class TaggingRule(SQLModel, table=True):
    """The rules of one issue area, as data: phrases, patterns, subjects, committees, exclusions.

    `spec` holds the rule block exactly as written in YAML (see docs/coalitions.md).
    """

    __tablename__ = "tagging_rule"
    __table_args__ = (UniqueConstraint("coalition_id", "issue_area_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int | None = Field(default=None, foreign_key="coalition.id", index=True)
    issue_area_slug: str
    spec: dict = json_dict()


class BillTag(SQLModel, table=True):
    """A bill in an issue area: score, explanation and review status (suggested/confirmed/rejected)."""

    __tablename__ = "bill_tag"
    __table_args__ = (UniqueConstraint("bill_id", "issue_area_id"),)

    id: int | None = Field(default=None, primary_key=True)
    bill_id: int = Field(foreign_key="bill.id", index=True)
    issue_area_id: int = Field(foreign_key="issue_area.id", index=True)
    coalition_id: int | None = Field(default=None, foreign_key="coalition.id", index=True)
    score: float = 0.0
    explanation: list = json_list()
    status: str = Field(default="suggested", index=True)
    decided_by: str | None = None
    decided_at: dt.datetime | None = tz_datetime()
    created_at: dt.datetime | None = stamped()
    updated_at: dt.datetime | None = stamped()


class BillSearchDoc(SQLModel, table=True):
    """The searchable text of a bill. SQLite indexes it with FTS5 (`bill_fts`, kept in sync by
    triggers); PostgreSQL with a GIN index on its tsvector (both made by migration 0005)."""

    __tablename__ = "bill_search_doc"

    bill_id: int = Field(primary_key=True, foreign_key="bill.id")
    title: str = Field(default="", sa_type=Text)
    summary: str = Field(default="", sa_type=Text)
    subjects: str = Field(default="", sa_type=Text)
    actions: str = Field(default="", sa_type=Text)
    committees: str = Field(default="", sa_type=Text)
    sponsors: str = Field(default="", sa_type=Text)
    updated_at: dt.datetime | None = tz_datetime()
