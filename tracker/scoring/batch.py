"""Every scorecard recomputed from scratch (the nightly reference job, issue 19).

Each scorecard is its own transaction: one that fails is rolled back and reported, the others are
kept. On PostgreSQL several scorecards are recomputed at once, one connection each: a full
recompute is the database server's work (about 95% of its CPU is the server's), and scorecards
share no rows they write (cells are keyed by item, summaries by scorecard; the rule words are
added insert-if-absent in one sorted order, so two recomputes adding the same words wait rather
than deadlock). SQLite has one writer at a time, so its scorecards go one after the other.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.models import Scorecard
from tracker.scoring.engine import RecomputeStats, recompute
from tracker.settings import get_settings

log = logging.getLogger(__name__)


@dataclass
class CardResult:
    scorecard_id: int
    stats: RecomputeStats | None = None
    error: str | None = None


def workers_for(engine: Engine, wanted: int) -> int:
    """How many scorecards to recompute at once: 1 on SQLite, at most the connection pool's size
    on PostgreSQL (waiting for a pooled connection would only time out)."""
    if engine.dialect.name != "postgresql":
        return 1
    pool_size = getattr(engine.pool, "size", lambda: wanted)()
    return max(1, min(wanted, pool_size))


def _one(engine: Engine, card_id: int) -> CardResult:
    with Session(engine) as db:
        try:
            stats = recompute(db, card_id)
            db.commit()
            return CardResult(card_id, stats=stats)
        except Exception as exc:  # reported with its scorecard; the other scorecards go on
            db.rollback()
            log.exception("recomputing scorecard %s failed", card_id)
            return CardResult(card_id, error=f"{type(exc).__name__}: {exc}")


def recompute_all(engine: Engine, card_ids: Iterable[int] | None = None, workers: int | None = None) -> list[CardResult]:
    """Recompute `card_ids` (default: every scorecard), `workers` at a time (default: the
    `scoring_workers` setting), each committed on its own; results in scorecard order."""
    if card_ids is None:
        with Session(engine) as db:
            card_ids = db.execute(select(Scorecard.id).order_by(Scorecard.id)).scalars().all()
    ids = sorted(card_ids)
    if workers is None:
        workers = get_settings().scoring_workers
    n = workers_for(engine, workers)
    if n == 1 or len(ids) < 2:
        return [_one(engine, cid) for cid in ids]
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="rescore") as pool:
        return list(pool.map(lambda cid: _one(engine, cid), ids))
