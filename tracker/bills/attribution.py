"""Credits owed for the data a page, export, feed or email shows.

LegiScan's data is licensed CC BY 4.0: wherever it shows, name LegiScan with a link to
legiscan.com, name the license with a link to it, and say the data was changed (we classify and
merge it). A record is LegiScan's when its source format starts with "legiscan" (dataset JSON or
XML, the Pull API); a bill counts when any of its source records does, even if another source
wins the merge, since fields may still come from LegiScan.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import or_, select

from tracker.models import Bill, BillSource, Legislator, ScoredItem, ScoreSummary, VoteEvent

LEGISCAN = {
    "source": "LegiScan",
    "url": "https://legiscan.com/",
    "license": "CC BY 4.0",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "notice": "Contains data from LegiScan (https://legiscan.com/), licensed under CC BY 4.0 "
              "(https://creativecommons.org/licenses/by/4.0/); classified and merged with other "
              "sources by edtracker.",
}
_PREFIX = "legiscan"


def _is_legiscan(column):
    return column.like(f"{_PREFIX}%")


def credits(needed: bool) -> list[dict]:
    """The credits to show: LegiScan's when `needed`, else none."""
    return [dict(LEGISCAN)] if needed else []


def credit_text(creds: list[dict]) -> str:
    """One line for plain-text surfaces (CSV, email text, feeds); empty when nothing is owed."""
    return " ".join(c["notice"] for c in creds)


def legiscan_bills(db, keys: Iterable[str]) -> set[str]:
    """Which of these bills hold data from LegiScan."""
    keys = {k for k in keys if k}
    if not keys:
        return set()
    from_source = select(BillSource.bill_id).where(_is_legiscan(BillSource.source_format))
    rows = db.execute(select(Bill.key).where(Bill.key.in_(keys), or_(
        _is_legiscan(Bill.source_format), Bill.id.in_(from_source)))).scalars()
    return set(rows)


def legiscan_votes(db, keys: Iterable[str]) -> set[str]:
    """Which of these roll calls came from LegiScan."""
    keys = {k for k in keys if k}
    if not keys:
        return set()
    return set(db.execute(select(VoteEvent.key).where(
        VoteEvent.key.in_(keys), _is_legiscan(VoteEvent.source_format))).scalars())


def bill_credits(db, bill_key: str, vote_keys: Iterable[str] = ()) -> list[dict]:
    """Credits for a bill page or answer: the bill's own records and the roll calls shown with it."""
    return credits(bool(legiscan_bills(db, [bill_key]) or legiscan_votes(db, vote_keys)))


def list_credits(db, bill_keys: Iterable[str]) -> list[dict]:
    """Credits for a list of bills (a page of results)."""
    return credits(bool(legiscan_bills(db, bill_keys)))


def scorecard_credits(db, scorecard_id: int) -> list[dict]:
    """Credits for a scorecard: its roll calls, its sponsored bills and its legislators."""
    items = db.execute(select(ScoredItem.vote_event_key, ScoredItem.bill_key)
                       .where(ScoredItem.scorecard_id == scorecard_id)).all()
    if legiscan_votes(db, [v for v, _ in items]) or legiscan_bills(db, [b for _, b in items]):
        return credits(True)
    people = select(ScoreSummary.legislator_id).where(ScoreSummary.scorecard_id == scorecard_id)
    found = db.execute(select(Legislator.id).where(Legislator.id.in_(people),
                                                   _is_legiscan(Legislator.source_format)).limit(1)).first()
    return credits(found is not None)


def legiscan_events(db, events) -> set[int]:
    """Ids of the change events that show LegiScan data (about a LegiScan bill or roll call)."""
    events = list(events)
    bills = legiscan_bills(db, [e.bill_key for e in events])
    votes = legiscan_votes(db, [(e.payload or {}).get("vote_key") for e in events])
    return {e.id for e in events if e.bill_key in bills or (e.payload or {}).get("vote_key") in votes}


def with_credit_column(table: str, creds: list[dict]) -> str:
    """A CSV table with a last column `data_credit` holding the credits on every row (empty when
    nothing is owed), so the credit travels with any copy of the file."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(table)))
    if not rows:
        return table
    text = credit_text(creds)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*rows[0], "data_credit"])
    writer.writerows([*row, text] for row in rows[1:])
    return out.getvalue()
