from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import tz_datetime


class CrawlState(SQLModel, table=True):
    """What an incremental crawl remembers between runs (lastmod per file, last roll number...).

    Spiders write it only when a crawl finishes successfully, so a failed crawl is redone.
    """

    __tablename__ = "crawl_state"
    __table_args__ = (UniqueConstraint("spider", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    spider: str = Field(index=True)
    key: str
    value: str = Field(sa_type=Text)
    updated_at: dt.datetime | None = tz_datetime()
