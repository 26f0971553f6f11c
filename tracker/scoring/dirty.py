"""Automatic incremental scoring: a small queue of stale scored items.

Whatever changes a scored roll call (its votes, result or date), the sponsors of a scored bill,
or a coalition's stance that items follow marks those items in `score_dirty`, in the same
transaction as the change, with one indexed lookup (`scored_item.vote_event_key` or
`.bill_key`): unscored records cost that lookup only. `process_dirty` recomputes the marked
items of each scorecard (cells and, by delta, the summaries of the legislators they touch) and
removes the queue rows in the same transaction. It runs right after an ingest batch
(`Ingestor.ingest`, the crawl pipeline at close) and as the scheduler job
`tracker.scoring.jobs:update_dirty` (every minute, and after every crawl).
"""
from __future__ import annotations

import logging
from collections import defaultdict

from sqlalchemy import delete, event as sa_event, inspect as sa_inspect, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from tracker.models.base import utcnow
from tracker.models.coalition import Position
from tracker.models.scorecard import Scorecard, ScoreDirty, ScoredItem
from tracker.store.keyed import key_filters

log = logging.getLogger("edtracker.scoring")

VOTE_KINDS = ("floor_vote", "committee_vote")
SPONSOR_KINDS = ("sponsorship", "cosponsorship")
LOCK_NAME = "scoring:dirty"
POSITION_REASON = "position"  # the start of the reason of every item queued by a stance change


def _conn(conn_or_session) -> Connection:
    return conn_or_session if isinstance(conn_or_session, Connection) else conn_or_session.connection()


def mark(conn_or_session, pairs: list[tuple[int, int]], reason: str) -> int:
    """Queue (scorecard id, item id) pairs, insert-if-absent; return how many pairs were given."""
    if not pairs:
        return 0
    conn = _conn(conn_or_session)
    table = ScoreDirty.__table__
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).on_conflict_do_nothing(index_elements=["scorecard_id", "item_id"])
    now = utcnow()
    conn.execute(stmt, [{"scorecard_id": c, "item_id": i, "reason": reason[:200], "created_at": now}
                        for c, i in sorted(set(pairs))])
    return len(pairs)


def mark_vote(conn_or_session, vote_event_key: str) -> int:
    """Queue the items scoring this roll call (one lookup on the indexed vote_event_key)."""
    conn = _conn(conn_or_session)
    rows = conn.execute(select(ScoredItem.scorecard_id, ScoredItem.id)
                        .where(ScoredItem.vote_event_key == vote_event_key)).all()
    return mark(conn, [tuple(r) for r in rows], f"vote {vote_event_key}")


def mark_sponsors(conn_or_session, bill_key: str) -> int:
    """Queue the (co)sponsorship items of this bill."""
    conn = _conn(conn_or_session)
    rows = conn.execute(select(ScoredItem.scorecard_id, ScoredItem.id)
                        .where(ScoredItem.bill_key == bill_key, ScoredItem.kind.in_(SPONSOR_KINDS))).all()
    return mark(conn, [tuple(r) for r in rows], f"sponsors of {bill_key}")


def items_by_key(session: Session, column, keys: list[str], *where) -> dict[str, list[tuple[int, int]]]:
    """{key: [(scorecard id, item id), ...]} of the items whose `column` (`ScoredItem.vote_event_key`
    or `.bill_key`) is one of `keys` (`tracker.store.keyed.key_filters`): the lookup of
    `mark_vote` and `mark_sponsors` for a whole run of new records."""
    out: dict[str, list[tuple[int, int]]] = {}
    for cond in key_filters(session.connection(), column, keys):
        for key, card_id, item_id in session.execute(select(column, ScoredItem.scorecard_id, ScoredItem.id)
                                                     .where(cond, *where)):
            out.setdefault(key, []).append((card_id, item_id))
    return out


def mark_position(conn_or_session, coalition_id: int, bill_key: str) -> int:
    """Queue the coalition's items whose preferred option follows its stance on the bill."""
    conn = _conn(conn_or_session)
    rows = conn.execute(select(ScoredItem.scorecard_id, ScoredItem.id)
                        .join(Scorecard, Scorecard.id == ScoredItem.scorecard_id)
                        .where(ScoredItem.bill_key == bill_key, Scorecard.coalition_id == coalition_id,
                               or_(ScoredItem.preferred_source == "stance",
                                   ScoredItem.preferred.is_(None)))).all()
    return mark(conn, [tuple(r) for r in rows], f"{POSITION_REASON} of coalition {coalition_id} on {bill_key}")


def mark_ingested(session, rec, outcome: str, changes: dict) -> int:
    """Called by the ingest service in the record's transaction: queue what the record touches."""
    if outcome not in ("insert", "update"):
        return 0
    kind = getattr(rec, "kind", None)
    if kind == "vote_event":
        n = 0
        if outcome == "insert":  # a roll call announced by a "will be scored" notice gets its key
            from tracker.scoring.notices import attach
            n = mark(session, attach(session, rec), f"notice attached to {rec.key}")
        return n + mark_vote(session, rec.key)
    if kind == "bill" and (outcome == "insert" or "sponsorships" in changes):
        return mark_sponsors(session, rec.key)
    return 0


def pending(conn_or_session) -> int:
    """How many items are queued."""
    from sqlalchemy import func

    return _conn(conn_or_session).execute(select(func.count()).select_from(ScoreDirty.__table__)).scalar_one()


def process_dirty(engine: Engine) -> dict:
    """Recompute every queued item, one transaction per scorecard; skip if another process is at it.

    Queue rows are deleted first in that transaction: a change committed meanwhile by another
    process marks its item again (PostgreSQL makes its insert wait for our delete), so no update
    is lost."""
    from tracker.ops.locks import DbLock
    from tracker.scoring.engine import recompute

    with engine.connect() as conn:
        if not pending(conn):  # the common case every minute: nothing to do, no lock taken
            return {"updated": 0, "items": 0, "scorecards": {}}
    lock = DbLock(engine, LOCK_NAME, ttl=900)
    if not lock.acquire():
        return {"skipped": 1, "message": "another process is updating scores"}
    out: dict = {"updated": 0, "items": 0, "scorecards": {}}
    try:
        with Session(engine) as db:
            queued = db.execute(select(ScoreDirty.id, ScoreDirty.scorecard_id, ScoreDirty.item_id)).all()
        by_card: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row_id, card_id, item_id in queued:
            by_card[card_id].append((row_id, item_id))
        for card_id, rows in sorted(by_card.items()):
            with Session(engine) as db:
                db.execute(delete(ScoreDirty).where(ScoreDirty.id.in_([r for r, _ in rows])))
                if db.get(Scorecard, card_id) is not None:
                    stats = recompute(db, card_id, [i for _, i in rows])
                    out["scorecards"][str(card_id)] = {"items": stats.items, "cells": stats.cells,
                                                       "legislators": stats.legislators}
                    out["items"] += stats.items
                    out["updated"] += 1
                db.commit()
    finally:
        lock.release()
    return out


def has_pending(conn_or_session, scorecard_id: int, positions_only: bool = False) -> bool:
    """Whether items of this scorecard are queued (one indexed lookup); with `positions_only`,
    items queued because a stance changed (or became private or public)."""
    q = select(ScoreDirty.id).where(ScoreDirty.scorecard_id == scorecard_id)
    if positions_only:
        q = q.where(ScoreDirty.reason.like(POSITION_REASON + "%"))
    return _conn(conn_or_session).execute(q.limit(1)).first() is not None


def ensure_fresh(engine: Engine, scorecard_id: int, wait: float = 15.0) -> bool:
    """Work the queue before a scorecard is read. If another process is at it, a scorecard whose
    queue holds only roll-call or sponsor changes is served as it is (it is updating), but one
    with a stance change waits for it, up to `wait` seconds: a score that still follows a stance
    made private would publish it. False when such items are still queued then."""
    import time

    deadline = time.monotonic() + wait
    while True:
        with engine.connect() as conn:
            if not has_pending(conn, scorecard_id):
                return True
        if not process_dirty(engine).get("skipped"):
            continue
        with engine.connect() as conn:
            if not has_pending(conn, scorecard_id, positions_only=True):
                return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def process_quietly(engine: Engine) -> dict | None:
    """`process_dirty` for callers that must not fail (ingest batches): errors are logged and
    the queue stays for the scheduler job."""
    try:
        return process_dirty(engine)
    except Exception:  # noqa: BLE001 - the ingest already committed; the queue keeps the work
        log.exception("updating dirty scores failed; the scheduler job will retry")
        return None


# --- a coalition's stance changes -> the items following that stance are marked dirty ----------
# A SQLAlchemy flush hook, so a change made anywhere (API, staff pages, YAML loader, a direct
# edit) is seen in the transaction that writes it. Only the Position rows of the flush are looked
# at. Registered when this module is imported (tracker.db.register_store_hooks does it for every
# engine), so the models stay free of service imports.


@sa_event.listens_for(OrmSession, "after_flush")
def _positions_mark_scores(session, _ctx) -> None:
    touched = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Position):
            continue
        attrs = sa_inspect(obj).attrs
        # Public or private matters as much as the stance: only a public stance is scored.
        if obj in session.new or obj in session.deleted or attrs.stance.history.has_changes() \
                or attrs.public.history.has_changes():
            touched.add((obj.coalition_id, obj.bill_key))
    if touched:
        conn = session.connection()
        for coalition_id, bill_key in touched:
            mark_position(conn, coalition_id, bill_key)
