"""The bulk path of new bills: a run of bills not stored yet, written with one multi-row statement
per table (issue 19) instead of a dozen statements per bill.

It stores exactly what `tracker.ingest.bills.ingest_bill` stores for a bill it inserts (the
same plan functions compute the rows; `tests/test_ingest_bulk.py` compares whole databases):
the bill, its kept source record, actions, sponsorships, the links of roll calls stored before
it, its `new_bill` event, its search document and the scores it touches. The caller runs it in
one savepoint and, if anything fails, stores the run again one record per savepoint.
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from tracker.alerts.events import new_bill_event, store_many_events
from tracker.bills.links import link_new_bills_votes
from tracker.bills.provenance import merge, record_json
from tracker.contract import BillIn
from tracker.ingest.bills import bill_plan, sponsorship_plan
from tracker.ingest.diff import _defaults, repeated
from tracker.jurisdictions.seed import get_or_create_session
from tracker.models import (Bill, BillAction, BillSource, Jurisdiction, LegislativeSession, ScoredItem,
                            Sponsorship)
from tracker.people.matching import IdResolver
from tracker.store.keyed import key_filters
from tracker.store.rows import Prepared, prepare_dicts, rows_sent, write_rows
from tracker.scoring.dirty import SPONSOR_KINDS, items_by_key, mark
from tracker.search.index import new_docs

def new_records(session: Session, recs: list, model) -> set[int]:
    """`id()` of the records in `recs` (bills or roll calls, all of `model`'s kind) not stored
    yet and the only record of their key in `recs` (a repeated key's order decides: the whole
    path stores it)."""
    keys = [r.key for r in recs]  # computed once: a key is a property
    twice = repeated(keys)
    stored: set[str] = set()
    for cond in key_filters(session.connection(), model.key, set(keys) - twice):
        stored.update(session.execute(select(model.key).where(cond)).scalars())
    return {id(r) for r, key in zip(recs, keys) if key not in twice and key not in stored}


def new_bills(session: Session, recs: list[BillIn]) -> set[int]:
    """`new_records` of bills."""
    return new_records(session, recs, Bill)


class _Plan(NamedTuple):
    """One new bill's rows, computed before any is written."""

    rec: BillIn
    values: dict
    actions: dict[str, dict]
    sponsors: dict[str, dict]
    congress: str


def _prepared(session: Session, model, rows: list[dict]) -> Prepared:
    """A table's rows ready for the driver (the model's Python-side defaults filled in)."""
    return prepare_dicts(session.connection(), model.__table__, rows, _defaults(model))


def _insert(session: Session, model, rows: list[dict]) -> None:
    """One multi-row INSERT: plain tuples through the driver (COPY on PostgreSQL, one executemany
    on SQLite), no per-row parameter dicts."""
    if rows:
        write_rows(session.connection(), _prepared(session, model, rows))


def insert_returning_ids(session: Session, model, rows: list[dict]) -> list[int]:
    """Insert rows of a table with a unique `key` column; their ids in the rows' order, read back
    by key (`key_filters`): one query, cheaper than RETURNING (which SQLite would send one INSERT
    a row for, to keep its order, and PostgreSQL would take through SQLAlchemy's per-row work)."""
    _insert(session, model, rows)
    keys = [row["key"] for row in rows]
    found: dict[str, int] = {}
    for cond in key_filters(session.connection(), model.key, keys):
        found.update(session.execute(select(model.key, model.id).where(cond)).all())
    return [found[key] for key in keys]


def store_new_bills(session: Session, recs: list[BillIn], today: dt.date) -> int:
    """Insert the bills of `recs` (none stored yet, all different); return how many scored
    items were queued. Raises on any failure: the caller's savepoint then leaves nothing."""
    session.info.pop("edtracker_namematcher", None)  # candidates as this run sees them
    session.flush()
    resolver = IdResolver(session)
    resolver.prefetch({(s, v) for r in recs for sp in r.sponsorships for s, v in sp.ids.items()})
    plans: list[_Plan] = []
    # Held here: the identity map keeps rows only while something refers to them.
    places: dict[tuple[str, str], tuple[Jurisdiction, LegislativeSession]] = {}
    for rec in recs:
        merged = merge(session, rec, stored={})  # alone: the record itself
        place = places.get((rec.jurisdiction, rec.session))
        if place is None:
            place = places[(rec.jurisdiction, rec.session)] = (
                session.get(Jurisdiction, rec.jurisdiction),
                get_or_create_session(session, rec.jurisdiction, rec.session))
        juris, leg_session = place
        values, actions = bill_plan(merged.record, merged, juris, leg_session, today)
        sponsors = sponsorship_plan(session, merged.record, resolver, values["introduced_date"])
        plans.append(_Plan(rec, values, actions, sponsors, leg_session.identifier))

    ids = insert_returning_ids(session, Bill, [dict(p.values, key=p.rec.key) for p in plans])
    # Full-text search: their documents from the values in hand (nothing read back). On
    # PostgreSQL the server computes their search vectors while the rows below are made.
    with rows_sent(session.connection(), new_docs(session.connection(), [
            (bill_id, SimpleNamespace(**p.values), [(a["description"], a["committee"]) for a in p.actions.values()],
             [s["name"] for s in p.sponsors.values()])
            for bill_id, p in zip(ids, plans)])):
        sources = []
        for bill_id, p in zip(ids, plans):
            payload, digest = record_json(p.rec)  # the text the hash is made of, stored as it is
            sources.append({"bill_id": bill_id, "source_format": p.rec.source.format, "source_url": p.rec.source.url,
                            "fetched_at": p.rec.source.fetched_at, "record_hash": digest, "payload": payload})
        sources = _prepared(session, BillSource, sources)
        actions = _prepared(session, BillAction, [dict(row, bill_id=bill_id, natural_key=key)
                                                  for bill_id, p in zip(ids, plans) for key, row in p.actions.items()])
        sponsors = _prepared(session, Sponsorship, [dict(row, bill_id=bill_id, natural_key=key)
                                                    for bill_id, p in zip(ids, plans) for key, row in p.sponsors.items()])
        # Alerts (issue 7): a new_bill event each.
        events = [new_bill_event(p.rec, p.values["stage"], p.values["introduced_date"],
                                 [(s["name"], s["primary"], s["legislator_id"]) for s in p.sponsors.values()])
                  for p in plans]
    conn = session.connection()
    write_rows(conn, sources)
    write_rows(conn, actions)
    # roll calls stored before these bills now point at their actions
    link_new_bills_votes(session, [
        (SimpleNamespace(key=p.rec.key, jurisdiction_id=p.values["jurisdiction_id"],
                         session_id=p.values["session_id"]),
         [(row["position"], row["extras"]) for row in p.actions.values()], p.congress)
        for p in plans])
    write_rows(conn, sponsors)
    store_many_events(session, events)
    # Scorecards (issue 6): the sponsor items they touch.
    keys = [p.rec.key for p in plans]
    items = items_by_key(session, ScoredItem.bill_key, keys, ScoredItem.kind.in_(SPONSOR_KINDS))
    return sum(mark(session, items[key], f"sponsors of {key}") for key in keys if key in items)
