"""Read and save the state incremental crawls keep between runs."""
from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.models import CrawlState
from tracker.models.base import utcnow


def load_state(engine: Engine, spider: str) -> dict[str, str]:
    """Everything `spider` remembered from its last successful crawl."""
    with Session(engine) as session:
        return {r.key: r.value for r in session.exec(
            select(CrawlState).where(CrawlState.spider == spider)).all()}


def save_state(engine: Engine, spider: str, values: dict[str, str]) -> int:
    """Merge `values` into the spider's state in one transaction; return rows written."""
    if not values:
        return 0
    now = utcnow()
    written = 0
    with Session(engine) as session:
        existing = {r.key: r for r in session.exec(
            select(CrawlState).where(CrawlState.spider == spider)).all()}
        for key, value in values.items():
            row = existing.get(key)
            if row is None:
                session.add(CrawlState(spider=spider, key=key, value=value, updated_at=now))
            elif row.value != value:
                row.value, row.updated_at = value, now
                session.add(row)
            else:
                continue
            written += 1
        session.commit()
    return written
