"""Bill text: every version of a bill's text, whatever the source's format (see docs/bill-text.md)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_list, tz_datetime


class BillText(SQLModel, table=True):
    """One version of a bill's text: the document as received plus a plain-text rendering with
    its sections (offsets into `text`). (bill, version code) is unique."""

    __tablename__ = "bill_text"
    __table_args__ = (UniqueConstraint("bill_id", "version_code"),)

    id: int | None = Field(default=None, primary_key=True)
    bill_id: int = Field(foreign_key="bill.id", index=True)
    version_code: str = Field(description="GPO's ih/enr, CA's bill version id, NY's amendment letter")
    version_name: str | None = Field(default=None, description="Introduced, Amended Assembly, ...")
    date: dt.date | None = None
    format: str = Field(description="caml, uslm, bill-xml, html, text")
    content: str = Field(sa_type=Text, description="the document as received")
    checksum: str = Field(description="sha256 of the content (UTF-8), hex")
    source_url: str | None = None
    text: str | None = Field(default=None, sa_type=Text, description="plain-text rendering")
    sections: list = json_list()
    source_format: str | None = None
    fetched_at: dt.datetime | None = tz_datetime()


class BillTextSection(SQLModel, table=True):
    """One section of a stored text version, as the full-text index of bill text reads it
    (SQLite FTS5 `bill_text_fts`, PostgreSQL a GIN index): rewritten when the version changes."""

    __tablename__ = "bill_text_section"

    id: int | None = Field(default=None, primary_key=True)
    bill_text_id: int = Field(foreign_key="bill_text.id", index=True)
    bill_id: int = Field(foreign_key="bill.id", index=True)
    position: int = Field(description="the section's place in the version, from 1 (its anchor #s-N)")
    label: str = Field(sa_type=Text, description="heading path, number and heading")
    body: str = Field(sa_type=Text)
