"""Change events: derived from what ingest reports as changed, stored insert-if-absent.

Every event has a natural key, so the same change seen twice (a re-crawl, a replayed import)
makes no second event; the auto-increment id is the delivery cursor. Events are written in the
transaction of the record that caused them (see `tracker.ingest.service`).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import event as sa_event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession

from tracker.alerts.kinds import EVENT_KINDS, OPS_EVENT_KINDS
from tracker.store.sqlutil import insert_ignore, insert_ignore_many
from tracker.alerts.text_events import text_events
from tracker.contract import BillIn, BillTextIn, HearingIn, Record, VoteEventIn
from tracker.models.alerts import ChangeEvent
from tracker.models.base import utcnow
from tracker.models.bill import Bill, Sponsorship
from tracker.models.coalition import PositionHistory
from tracker.models.vote import PersonVote, VoteEvent

EventRow = dict[str, Any]


def event_row(kind: str, natural_key: str, payload: dict | None = None, *, bill_key: str | None = None,
              jurisdiction_id: str | None = None, committee_key: str | None = None,
              coalition_id: int | None = None, legislator_ids: Iterable[int] = ()) -> EventRow:
    """The values of one change event (not yet stored)."""
    if kind not in EVENT_KINDS and kind not in OPS_EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}; expected one of {sorted(EVENT_KINDS)}")
    return {"natural_key": natural_key, "kind": kind, "bill_key": bill_key,
            "jurisdiction_id": jurisdiction_id, "committee_key": committee_key,
            "coalition_id": coalition_id,
            "legislator_ids": sorted({int(i) for i in legislator_ids if i is not None}),
            "payload": payload or {}, "created_at": utcnow()}


def store_events(conn_or_session, rows: list[EventRow]) -> int:
    """Insert the rows whose natural key is new (INSERT ... ON CONFLICT DO NOTHING); return how many."""
    conn = conn_or_session if isinstance(conn_or_session, Connection) else conn_or_session.connection()
    return len(insert_ignore(conn, ChangeEvent.__table__, rows, "natural_key"))


def record_event(session, kind: str, natural_key: str, payload: dict | None = None, **kw) -> bool:
    """Record one event in the caller's transaction unless its natural key exists; True if new.

    For other writers, e.g. the scorecards' "scored-vote notice published":
    `record_event(session, "scored_vote_notice", f"notice:{scorecard}:{vote_key}", {...},
    bill_key=..., jurisdiction_id=..., coalition_id=...)`.
    """
    return store_events(session, [event_row(kind, natural_key, payload, **kw)]) == 1


# --- derived from ingest -------------------------------------------------------------------


_SPONSOR_FIELDS = (Sponsorship.name, Sponsorship.primary, Sponsorship.legislator_id, Sponsorship.natural_key,
                   Sponsorship.classification, Sponsorship.date, Sponsorship.withdrawn_date)


def _bill_events(session, rec: BillIn, outcome: str, changes: dict) -> Iterator[EventRow]:
    from tracker.ingest.diff import text_key, with_repeat_counters  # tracker.ingest imports us

    key = rec.key
    # Only the columns events use: the whole rows (titles, versions, extras, person ids as JSON)
    # were decoded for every ingested bill.
    bill = session.execute(select(Bill.id, Bill.stage, Bill.stage_date, Bill.introduced_date)
                           .where(Bill.key == key)).one()
    base = {"bill_key": key, "jurisdiction_id": rec.jurisdiction}
    about = {"title": rec.title, "identifier": rec.identifier, "stage": bill.stage}
    sponsors = session.execute(select(*_SPONSOR_FIELDS).where(Sponsorship.bill_id == bill.id)
                               .order_by(Sponsorship.id)).all()
    if outcome == "insert":
        yield new_bill_event(rec, bill.stage, bill.introduced_date,
                             [(s.name, s.primary, s.legislator_id) for s in sponsors])
        return
    if "stage" in changes:
        new, old = changes["stage"]["new"], changes["stage"]["old"]
        yield event_row("stage_changed", f"bill:{key}:stage:{new}:{_iso(bill.stage_date) or ''}",
                        dict(about, old_stage=old, new_stage=new, stage_date=_iso(bill.stage_date)),
                        **base)
        if new == "dead" and old != "dead":
            # Same key as the daily sweep's (tracker.bills.adjournment): one death per bill and session.
            yield event_row("died_at_adjournment", f"bill:{key}:died:{rec.session}",
                            dict(about, old_stage=old, new_stage=new, date=_iso(bill.stage_date),
                                 stage_date=_iso(bill.stage_date), session=rec.session), **base)
    added_actions = (changes.get("actions") or {}).get("added") or []
    if added_actions:
        actions = sorted(rec.actions, key=lambda a: a.date)  # the handler's order and keys
        keys = with_repeat_counters(text_key(a.date, a.actor, a.description) for a in actions)
        for desc, count in Counter(added_actions).items():
            # The diff names actions by text; when a text repeats, the new ones are the latest.
            same = [(k, a) for k, a in zip(keys, actions) if a.description == desc][-count:]
            for akey, a in same:
                yield event_row("new_action", f"bill:{key}:action:{akey}",
                                dict(about, date=_iso(a.date), description=a.description,
                                     actor=a.actor, committee=a.committee,
                                     classification=a.classification),
                                committee_key=a.committee, **base)
    if "versions" in changes:
        old = changes["versions"]["old"] or []
        for v in changes["versions"]["new"] or []:
            if v not in old:
                yield event_row("new_version",
                                f"bill:{key}:version:{text_key(v.get('note'), v.get('date'), v.get('url'))}",
                                dict(about, note=v.get("note"), date=v.get("date"), url=v.get("url")),
                                **base)
    sp = changes.get("sponsorships") or {}
    by_name: dict[str, list] = {}
    for s in sponsors:
        by_name.setdefault(s.name, []).append(s)
    for name in sp.get("added") or []:
        for s in by_name.get(name, []):
            state = "withdrawn" if s.withdrawn_date else "added"
            yield event_row(f"sponsor_{state}", f"bill:{key}:sponsor:{s.natural_key}:{state}",
                            dict(about, sponsor=s.name, classification=s.classification,
                                 date=_iso(s.withdrawn_date or s.date)),
                            legislator_ids=[s.legislator_id], **base)
    for name in sp.get("changed") or []:
        for s in by_name.get(name, []):
            if s.withdrawn_date:
                yield event_row("sponsor_withdrawn", f"bill:{key}:sponsor:{s.natural_key}:withdrawn",
                                dict(about, sponsor=s.name, classification=s.classification,
                                     date=_iso(s.withdrawn_date)),
                                legislator_ids=[s.legislator_id], **base)
    for name in sp.get("removed") or []:
        yield event_row("sponsor_withdrawn", f"bill:{key}:sponsor:name:{text_key(name)}:removed",
                        dict(about, sponsor=name, removed_by_source=True), **base)


def new_bill_event(rec: BillIn, stage: str, introduced_date: dt.date | None,
                   sponsors: list[tuple[str, bool, int | None]]) -> EventRow:
    """The `new_bill` event of a bill stored for the first time (`sponsors`: name, primary,
    legislator id, in stored order); the bulk path of new bills makes it without a query."""
    return event_row("new_bill", f"bill:{rec.key}:new",
                     {"title": rec.title, "identifier": rec.identifier, "stage": stage,
                      "introduced_date": _iso(introduced_date), "subjects": rec.subjects,
                      "policy_area": rec.policy_area, "summary": rec.summary,
                      "sponsors": [name for name, primary, _ in sponsors if primary]},
                     legislator_ids=[lid for _, primary, lid in sponsors if primary],
                     bill_key=rec.key, jurisdiction_id=rec.jurisdiction)


def store_many_events(conn_or_session, rows: list[EventRow]) -> None:
    """Insert-if-absent many events in one statement (no ids back): the bulk path's writes."""
    conn = conn_or_session if isinstance(conn_or_session, Connection) else conn_or_session.connection()
    insert_ignore_many(conn, ChangeEvent.__table__, rows, "natural_key")


def _hearing_events(session, rec: HearingIn, outcome: str, changes: dict) -> Iterator[EventRow]:
    from tracker.ingest.diff import text_key

    start = rec.start.isoformat() if rec.start else "tba"
    payload = {"hearing_key": rec.key, "committee": rec.committee_name, "start": _iso(rec.start),
               "location": rec.location, "status": rec.status, "description": rec.description,
               "links": rec.links}
    agenda = [b.bill_key for b in rec.bills]
    moved = {f: changes[f] for f in ("start", "status", "location") if f in changes}
    if outcome == "insert":
        kind, base, bills = "hearing_scheduled", f"hearing:{rec.key}:{rec.status}:{start}", agenda
    elif moved:
        kind, bills = "hearing_changed", agenda
        base = f"hearing:{rec.key}:{rec.status}:{start}:{text_key(rec.location)}"
        payload["changed"] = moved
    else:
        kind, base = "hearing_scheduled", f"hearing:{rec.key}:{rec.status}:{start}"
        bills = [b for b in ((changes.get("bills") or {}).get("added") or [])]
        if not bills:
            return
    for bill_key in bills or [None]:
        yield event_row(kind, base + (f":bill:{bill_key}" if bill_key else ""), payload,
                        bill_key=bill_key, jurisdiction_id=rec.jurisdiction,
                        committee_key=rec.committee_key or rec.committee_name)


def _vote_events(session, rec: VoteEventIn, outcome: str, changes: dict) -> Iterator[EventRow]:
    if outcome != "insert":  # corrections of a stored roll call are not news
        return
    event_id = session.execute(select(VoteEvent.id).where(VoteEvent.key == rec.key)).scalar_one()
    yield roll_call_event(rec, session.connection().execute(
        select(PersonVote.legislator_id, PersonVote.option).where(PersonVote.vote_event_id == event_id)).all())


def roll_call_event(rec: VoteEventIn, votes: Iterable[tuple[int | None, str]]) -> EventRow:
    """The `roll_call` event of a roll call stored for the first time, from its (legislator id,
    option) votes (the bulk path of new roll calls makes it from the rows it writes)."""
    by_member = {str(lid): opt for lid, opt in sorted((v for v in votes if v[0] is not None), key=lambda v: v[0])}
    return event_row("roll_call", f"vote:{rec.key}",
                     {"vote_key": rec.key, "motion": rec.motion_text, "result": rec.result,
                      "date": _iso(rec.date), "chamber": rec.chamber, "roll_number": rec.roll_number,
                      "counts": rec.counts, "votes": by_member},
                     bill_key=rec.bill_key, jurisdiction_id=rec.jurisdiction,
                     legislator_ids=[int(k) for k in by_member])


DERIVERS: dict[type[Record], Callable[..., Iterator[EventRow]]] = {
    BillIn: _bill_events, HearingIn: _hearing_events, VoteEventIn: _vote_events, BillTextIn: text_events,
}


def derive_events(session, rec: Record, outcome: str, changes: dict) -> int:
    """Store the events one ingested record's reported changes mean; call before commit."""
    if outcome not in ("insert", "update"):
        return 0
    derive = DERIVERS.get(type(rec))
    if derive is None:
        return 0
    return store_events(session, list(derive(session, rec, outcome, changes)))


# --- coalition positions: every PositionHistory row written anywhere becomes an event ---------


def _was_public(conn, h: PositionHistory) -> bool:
    """Whether the coalition's position on the bill just before `h` was public."""
    prev = conn.execute(select(PositionHistory.public).where(
        PositionHistory.coalition_id == h.coalition_id, PositionHistory.bill_key == h.bill_key,
        PositionHistory.id < h.id).order_by(PositionHistory.id.desc()).limit(1)).scalar()
    return bool(prev)


def _position_payload(conn, h: PositionHistory) -> dict:
    """What an event tells of a position change. Events go to subscribers and webhooks, so a
    private position leaves only the fact of a private change, and a public one names the
    previous stance only if that one was public too."""
    if not h.public:
        return {"public": False, "set_at": _iso(h.set_at)}
    previous = h.previous_stance if h.previous_stance and _was_public(conn, h) else None
    return {"previous_stance": previous, "stance": h.stance, "rationale": h.rationale, "public": True,
            "set_by": h.set_by, "set_at": _iso(h.set_at)}


def _position_rows(objs: Iterable[Any], conn) -> list[EventRow]:
    return [event_row("position_changed", f"position:{h.coalition_id}:{h.bill_key}:{h.id}",
                      _position_payload(conn, h),
                      bill_key=h.bill_key, coalition_id=h.coalition_id,
                      jurisdiction_id=h.bill_key.split("-", 1)[0] if h.bill_key else None)
            for h in objs if isinstance(h, PositionHistory)]


@sa_event.listens_for(OrmSession, "after_flush")
def _positions_after_flush(session, _ctx) -> None:
    # In the same transaction as the position write: the history row and its event commit together.
    if any(isinstance(o, PositionHistory) for o in session.new):
        conn = session.connection()
        store_events(conn, _position_rows(session.new, conn))


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
