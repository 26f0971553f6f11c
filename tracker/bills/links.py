"""Link federal roll calls to the bill action they belong to, whichever is stored first.

BILLSTATUS actions carry `extras["recorded_votes"]` = [{"chamber": "lower"|"upper",
"roll_number": "17", "session_number": 1, "date": "<ISO, UTC>", "url": "https://clerk.house.gov/evs/2025/roll017.xml"}].
From each we compute the vote event key the vote parsers use (`us-house-{year}-{roll}`,
`us-senate-{congress}-{session}-{roll}`). Both directions write the same values, so a re-ingest
of either side is a noop.
"""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast
from sqlmodel import Session, select

from tracker.models import Bill, BillAction, LegislativeSession, VoteEvent

_EASTERN = ZoneInfo("America/New_York")
_CLERK_YEAR = re.compile(r"/evs/(\d{4})/")
_SENATE_SESSION = re.compile(r"vote_(\d+)_(\d)_\d+")


def _local_year(value: str | None) -> int | None:
    """The chamber's own year of a vote time: BILLSTATUS gives UTC, which can be the next day."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(_EASTERN)
    return when.year


def recorded_vote_key(rv: dict, congress: str) -> str | None:
    """The vote event key a BILLSTATUS recorded vote points at; None when it cannot be told."""
    roll = str(rv.get("roll_number") or "").strip()
    if not roll.isdigit():
        return None
    url = rv.get("url") or ""
    if rv.get("chamber") == "lower":
        m = _CLERK_YEAR.search(url)
        year = int(m.group(1)) if m else _local_year(rv.get("date"))
        return f"us-house-{year}-{int(roll)}" if year else None
    if rv.get("chamber") == "upper":
        session_no = rv.get("session_number")
        m = _SENATE_SESSION.search(url)
        if session_no in (None, "") and m:
            session_no = m.group(2)
        if session_no in (None, "") or not str(session_no).isdigit():
            return None
        return f"us-senate-{int(congress)}-{int(session_no)}-{int(roll)}"
    return None


def _action_votes(session: Session, bill,
                  actions: list[tuple[int, dict | None]] | None = None,
                  congress: str | None = None) -> dict[str, int]:
    """{vote event key: action position} for one federal bill (a `Bill` or a row with its id,
    jurisdiction_id and session_id); `actions` ((position, extras), in position order) and
    `congress` spare the queries when the caller has them."""
    if bill.jurisdiction_id != "us":
        return {}
    if congress is None:
        congress = session.get(LegislativeSession, bill.session_id).identifier
    if actions is None:
        actions = session.execute(select(BillAction.position, BillAction.extras)
                                  .where(BillAction.bill_id == bill.id).order_by(BillAction.position)).all()
    out: dict[str, int] = {}
    for position, extras in actions:
        for rv in (extras or {}).get("recorded_votes") or []:
            key = recorded_vote_key(rv, congress) if isinstance(rv, dict) else None
            if key:
                out.setdefault(key, position)
    return out


def action_position_for_vote(session: Session, vote_key: str, bill_key: str | None) -> int | None:
    """Position of the action of `bill_key` that records the vote `vote_key`, if stored."""
    if not bill_key:
        return None
    bill = session.execute(select(Bill.id, Bill.jurisdiction_id, Bill.session_id)
                           .where(Bill.key == bill_key)).first()
    if bill is None:
        return None
    return _action_votes(session, bill).get(vote_key)


def link_bill_votes(session: Session, bill: Bill, actions: list[tuple[int, dict | None]] | None = None,
                    congress: str | None = None) -> int:
    """Point stored vote events at the actions of `bill` that record them; return rows changed.
    `actions` and `congress`: see `_action_votes`."""
    return link_new_bills_votes(session, [(bill, actions, congress)])


def link_new_bills_votes(session: Session, bills: list[tuple]) -> int:
    """`link_bill_votes` for many bills in order with one query: `bills` holds (bill, actions,
    congress) triples (`bill` any object with key, jurisdiction_id and session_id)."""
    wanted = [(bill, _action_votes(session, bill, actions, congress)) for bill, actions, congress in bills]
    keys = sorted({key for _, links in wanted for key in links})
    if not keys:
        return 0
    events = {}
    for start in range(0, len(keys), 500):
        for event in session.exec(select(VoteEvent).where(VoteEvent.key.in_(keys[start:start + 500]))).all():
            events[event.key] = event
    changed = 0
    for bill, links in wanted:
        for key, position in links.items():
            event = events.get(key)
            if event is None or event.bill_key not in (None, bill.key):
                continue  # not stored, or the roll call names another bill: trust the vote record
            if event.action_position != position or event.bill_key != bill.key:
                event.action_position, event.bill_key = position, bill.key
                session.add(event)
                changed += 1
    if changed:
        session.flush()
    return changed


def link_vote(session: Session, rec, stored: bool = True) -> tuple[str | None, int | None]:
    """(bill_key, action_position) to store for an incoming `VoteEventIn`.

    The record's own values win; otherwise a link made earlier from the bill side is kept, so
    re-ingesting a vote that does not name its bill or action changes nothing. `stored=False`:
    the roll call is known not to be stored yet (nothing to read).
    """
    existing = session.execute(select(VoteEvent.bill_key, VoteEvent.action_position)
                               .where(VoteEvent.key == rec.key)).first() if stored else None
    bill_key = rec.bill_key or (existing.bill_key if existing else None)
    if bill_key is None and rec.jurisdiction == "us" and rec.session and rec.roll_number:
        bill_key = _bill_recording(session, rec.key, rec.session, rec.roll_number)
    if rec.action_position is not None:
        return bill_key, rec.action_position
    position = action_position_for_vote(session, rec.key, bill_key) if rec.jurisdiction == "us" else None
    if position is None and existing is not None and existing.bill_key == bill_key:
        position = existing.action_position
    return bill_key, position


def _bill_recording(session: Session, vote_key: str, congress: str, roll: str) -> str | None:
    """The federal bill of `congress` one of whose actions records `vote_key` (vote names no bill)."""
    # A coarse text filter on the JSON first (portable across SQLite and PostgreSQL), exact check after.
    candidates = session.exec(
        select(Bill).join(BillAction, BillAction.bill_id == Bill.id)
        .join(LegislativeSession, Bill.session_id == LegislativeSession.id)
        .where(Bill.jurisdiction_id == "us", LegislativeSession.identifier == congress,
               cast(BillAction.extras, String).like("%recorded_votes%"),
               cast(BillAction.extras, String).like(f"%{int(roll)}%"))).all()
    for bill in {b.id: b for b in candidates}.values():
        if vote_key in _action_votes(session, bill):
            return bill.key
    return None
