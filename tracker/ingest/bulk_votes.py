"""The bulk path of new roll calls: a run of roll calls not stored yet, written with one
multi-row statement per table (issue 19) instead of about ten statements each.

It stores exactly what `tracker.ingest.votes.ingest_vote_event` and the ingest service's hooks
store for a roll call they insert (the same functions compute the rows; tests/test_ingest_batches.py
compares whole databases): the roll call, its votes with their matches, its `roll_call` event,
the notices it answers and the scored items it touches. The caller runs it in one savepoint and,
if anything fails, stores the run again one record per savepoint.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from tracker.alerts.events import roll_call_event, store_many_events
from tracker.bills.links import link_vote
from tracker.contract import VoteEventIn
from tracker.ingest.bulk import _insert, insert_returning_ids
from tracker.ingest.votes import content_hash, vote_values, voter_ids, voter_rows
from tracker.jurisdictions.seed import get_or_create_session
from tracker.models import PersonVote, ScoredItem, VoteEvent
from tracker.people.matching import IdResolver
from tracker.scoring.dirty import items_by_key, mark
from tracker.scoring.notices import attach
from tracker.store.keyed import key_filters


def store_new_votes(session: Session, recs: list[VoteEventIn], today: dt.date) -> int:
    """Insert the roll calls of `recs` (none stored yet, all different); return how many scored
    items were queued. Raises on any failure: the caller's savepoint then leaves nothing."""
    session.info.pop("edtracker_namematcher", None)  # candidates as this run sees them
    session.flush()
    resolver = IdResolver(session)
    resolver.prefetch(voter_ids(recs))
    sessions: dict[tuple[str, str], int] = {}
    rows, votes = [], []
    for rec in recs:
        session_id = None
        if rec.session:
            place = (rec.jurisdiction, rec.session)
            if place not in sessions:
                sessions[place] = get_or_create_session(session, rec.jurisdiction, rec.session).id
            session_id = sessions[place]
        bill_key, position = link_vote(session, rec, stored=False)
        rows.append(dict(vote_values(rec, session_id, bill_key, position), key=rec.key, record_hash=content_hash(rec)))
        votes.append(voter_rows(session, rec, resolver))
    ids = insert_returning_ids(session, VoteEvent, rows)
    _insert(session, PersonVote, [dict(values, vote_event_id=event_id, natural_key=key)
                                  for event_id, desired in zip(ids, votes) for key, values in desired.items()])
    # Alerts (issue 7): a roll_call event each, from the votes in hand.
    store_many_events(session, [
        roll_call_event(rec, [(v["legislator_id"], v["option"]) for v in desired.values()])
        for rec, desired in zip(recs, votes)])
    return _mark_scores(session, recs)


def _mark_scores(session: Session, recs: list[VoteEventIn]) -> int:
    """Scorecards (issue 6), in the order the record path queues them: per roll call, the
    notices it answers (`tracker.scoring.notices.attach`), then the items scoring it."""
    waiting = _bills_with_notices(session, {r.bill_key for r in recs if r.bill_key and r.chamber})
    scoring = items_by_key(session, ScoredItem.vote_event_key, [r.key for r in recs])
    marked = 0
    for rec in recs:
        if rec.bill_key in waiting:
            marked += mark(session, attach(session, rec), f"notice attached to {rec.key}")
            scoring.update(items_by_key(session, ScoredItem.vote_event_key, [rec.key]))  # attach gave it items
        marked += mark(session, scoring.get(rec.key, []), f"vote {rec.key}")
    return marked


def _bills_with_notices(session: Session, bill_keys: set[str]) -> set[str]:
    """The bills among `bill_keys` that a "will be scored" notice waits on (usually none)."""
    out: set[str] = set()
    for cond in key_filters(session.connection(), ScoredItem.bill_key, bill_keys):
        out.update(session.execute(select(ScoredItem.bill_key).where(
            ScoredItem.vote_event_key.is_(None), ScoredItem.notice_chamber.is_not(None), cond)).scalars())
    return out
