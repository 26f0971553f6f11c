"""Looking up the published scorecard (and legislator) a request names."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import HTTPException, Request
from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Coalition, Legislator, Scorecard
from tracker.scoring import dirty

READ_WAIT = 15.0  # seconds a read waits for another process rescoring a stance change
FILTERS = ("session", "chamber", "party", "district", "grade", "q", "sort", "dir", "lang", "frame", "parent")


def published_card(db: Session, coalition: str, slug: str) -> tuple[Coalition, Scorecard]:
    """The coalition and its published scorecard, or 404; its queued rescoring is done first
    (503 if another process is still at it), so no stale score, which could still follow a stance
    made private meanwhile, is ever served."""
    query = (select(Coalition, Scorecard).join(Scorecard, Scorecard.coalition_id == Coalition.id)
             .where(Coalition.slug == coalition, Scorecard.slug == slug))
    row = db.execute(query).first()
    if row is None or row[1].published_at is None:
        raise HTTPException(404, f"no published scorecard {coalition}/{slug}")
    if dirty.has_pending(db, row[1].id):
        db.rollback()  # end this session's reads; the queue is worked in transactions of its own
        if not dirty.ensure_fresh(db.get_bind(), row[1].id, READ_WAIT):
            raise HTTPException(503, "the scores are being updated; try again in a minute",
                                headers={"Retry-After": "60"})
        row = db.execute(query).first()
    return row[0], row[1]


def published_cards(db: Session, coalition: Coalition) -> list[Scorecard]:
    """The coalition's published scorecards, by title."""
    return list(db.execute(select(Scorecard).where(Scorecard.coalition_id == coalition.id,
                                                   Scorecard.published_at.is_not(None))
                           .order_by(Scorecard.title, Scorecard.slug)).scalars())


def legislator_by_key(db: Session, key: str) -> Legislator:
    leg = db.execute(select(Legislator).where(Legislator.key == key)).scalar_one_or_none()
    if leg is None:
        raise HTTPException(404, f"no legislator {key!r}")
    return leg


def table_params(request: Request) -> dict:
    """The table's filters from the query string (blank ones dropped)."""
    qp = {k: v.strip() for k, v in request.query_params.items() if k in FILTERS and v.strip()}
    return qp


def with_params(params: dict, **changes) -> str:
    """A query string: `params` with `changes` applied (None removes a key)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})
