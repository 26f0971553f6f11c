"""Following a school district: bills naming it (its county or city in its state's bills) and
roll calls in which one of its current representatives voted."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.jurisdictions import clock
from tracker.models import Bill, Legislator, SchoolDistrict
from tracker.schools.service import _terms, display_name, representation
from tracker.schools.rows import LEAID


@dataclass(frozen=True)
class Watch:
    """What a school district's followers care about, loaded once per batch of events."""

    state: str
    names: tuple[str, ...]          # the district's names: any bill
    local: tuple[str, ...]          # its county and city: its state's bills only
    representatives: frozenset[int]

    def names_bill(self, bill: Bill) -> bool:
        text = f"{bill.title or ''} {bill.summary or ''}".lower()
        phrases = self.names + (self.local if bill.jurisdiction_id == self.state else ())
        if bill.jurisdiction_id not in ("us", self.state):
            return False
        return any(p.lower() in text for p in phrases)


def watch(db: Session, leaid: str, *, on: dt.date | None = None) -> Watch | None:
    row = db.exec(select(SchoolDistrict).where(SchoolDistrict.leaid == leaid)).first() if LEAID.match(leaid or "") else None
    if row is None:
        return None
    keys = {m.key for seat in representation(db, row, on or clock.today()) for m in seat.members}
    ids = set(db.exec(select(Legislator.id).where(Legislator.key.in_(sorted(keys))))) if keys else set()
    names, local = _terms(row)
    return Watch(row.state, tuple(names), tuple(local), frozenset(ids))


def choices(db: Session, text: str, limit: int = 10) -> list[tuple[str, str, str]]:
    """(LEAID, name, state) of the districts `text` names: a LEAID, or words of the name."""
    from tracker.schools.service import search
    try:
        found = search(db, text, limit=limit)
    except Exception:  # noqa: BLE001 - a bad query simply finds nothing here
        return []
    return [(d.leaid, d.name, d.state) for d in found.matches]


__all__ = ["Watch", "choices", "display_name", "watch"]
