"""A coalition's positions on bills: the one place they are set (staff pages, the JSON API and the
coalition file all call `set_position`), their history and its CSV, and member stances."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from tracker.coalitions.csvout import to_csv
from tracker.models import Bill, Coalition, MemberStance, Position, PositionHistory
from tracker.models.base import utcnow
from tracker.vocab import STANCES

# The JSON API's bounds (api/routes/coalitions.py PositionIn): nothing it accepts is refused here.
RATIONALE_MAX = 10_000
NOTE_MAX = 4000
PRIORITY_MIN, PRIORITY_MAX = -1000, 1000


class PositionError(ValueError):
    """Refused input; `field` names the form field or JSON property at fault, `code` the kind of
    problem (pages show a translated message for it)."""

    def __init__(self, field: str, problem: str, code: str | None = None):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem, self.code = field, problem, code or field


def check_stance(stance: str, field: str = "stance") -> str:
    if stance not in STANCES:
        raise PositionError(field, f"{stance!r} is not one of {', '.join(STANCES)}")
    return stance


def _coalition_id(coalition: Coalition | int) -> int:
    return coalition if isinstance(coalition, int) else coalition.id


def _check(bill_key: str, stance: str, rationale: str | None, priority) -> tuple[str | None, int]:
    if not bill_key or len(bill_key) > 200:
        raise PositionError("bill_key", "a bill key has 1 to 200 characters")
    check_stance(stance)
    if isinstance(priority, bool) or not isinstance(priority, int) or not PRIORITY_MIN <= priority <= PRIORITY_MAX:
        raise PositionError("priority", f"priority is a whole number from {PRIORITY_MIN} to {PRIORITY_MAX}")
    rationale = (rationale or "").strip() or None
    if rationale and len(rationale) > RATIONALE_MAX:
        raise PositionError("rationale", f"a rationale has at most {RATIONALE_MAX} characters")
    return rationale, priority


def set_position(db: Session, coalition: Coalition | int, bill_key: str, stance: str, public: bool = False,
                 rationale: str | None = None, priority: int = 0, actor: str | None = None, *,
                 by: str | None = None) -> tuple[Position, bool]:
    """Create or change a position; a change writes a history row (who, when, what). Returns
    (position, changed). Raises PositionError naming the field. `by` is the old name of `actor`."""
    cid = _coalition_id(coalition)
    actor = actor or by
    rationale, priority = _check(bill_key, stance, rationale, priority)
    pos = db.execute(select(Position).where(Position.coalition_id == cid,
                                            Position.bill_key == bill_key)).scalar_one_or_none()
    values = {"stance": stance, "rationale": rationale, "priority": priority, "public": bool(public)}
    previous = None
    if pos is not None:
        if all(getattr(pos, k) == v for k, v in values.items()):
            return pos, False
        previous = pos.stance
    else:
        pos = Position(coalition_id=cid, bill_key=bill_key, **values)
    for k, v in values.items():
        setattr(pos, k, v)
    pos.set_by, pos.set_at = actor, utcnow()
    db.add(pos)
    db.add(PositionHistory(coalition_id=cid, bill_key=bill_key, previous_stance=previous,
                           set_by=actor, set_at=pos.set_at, **values))
    db.flush()
    return pos, True


@dataclass
class Change:
    """One change of a position: what it was before (None for the first) and what it became."""

    id: int
    bill_key: str
    when: dt.datetime | None
    who: str | None
    from_stance: str | None
    to_stance: str | None
    from_public: bool | None
    to_public: bool
    from_priority: int | None
    to_priority: int
    rationale: str | None
    rationale_changed: bool


def position_history(db: Session, coalition: Coalition | int, bill_key: str | None = None) -> list[Change]:
    """Every change of the coalition's positions (of one bill, or all), newest first."""
    q = select(PositionHistory).where(PositionHistory.coalition_id == _coalition_id(coalition))
    if bill_key is not None:
        q = q.where(PositionHistory.bill_key == bill_key)
    last: dict[str, PositionHistory] = {}
    out: list[Change] = []
    for h in db.execute(q.order_by(PositionHistory.bill_key, PositionHistory.id)).scalars():
        before = last.get(h.bill_key)
        out.append(Change(id=h.id, bill_key=h.bill_key, when=h.set_at, who=h.set_by,
                          from_stance=before.stance if before else h.previous_stance, to_stance=h.stance,
                          from_public=before.public if before else None, to_public=h.public,
                          from_priority=before.priority if before else None, to_priority=h.priority,
                          rationale=h.rationale,
                          rationale_changed=before is None or before.rationale != h.rationale))
        last[h.bill_key] = h
    out.sort(key=lambda c: c.id, reverse=True)
    return out


HISTORY_CSV = ("bill_key", "changed_at", "changed_by", "from_stance", "to_stance", "from_public", "to_public",
               "from_priority", "to_priority", "rationale")


def history_csv(changes: list[Change]) -> str:
    return to_csv(HISTORY_CSV, ([c.bill_key, c.when, c.who, c.from_stance, c.to_stance, c.from_public,
                                 c.to_public, c.from_priority, c.to_priority, c.rationale] for c in changes))


@dataclass
class PositionRow:
    position: Position
    title: str | None
    bill_exists: bool
    changes: int


def positions(db: Session, coalition: Coalition | int) -> list[PositionRow]:
    """Every position of the coalition (public and private), by bill key, with the bill's title."""
    cid = _coalition_id(coalition)
    rows = list(db.execute(select(Position).where(Position.coalition_id == cid)
                           .order_by(Position.bill_key)).scalars())
    keys = [p.bill_key for p in rows]
    titles = dict(db.execute(select(Bill.key, Bill.title).where(Bill.key.in_(keys or [""]))).all())
    counts: dict[str, int] = {}
    for k in db.execute(select(PositionHistory.bill_key).where(PositionHistory.coalition_id == cid)).scalars():
        counts[k] = counts.get(k, 0) + 1
    return [PositionRow(p, titles.get(p.bill_key), p.bill_key in titles, counts.get(p.bill_key, 0)) for p in rows]


POSITIONS_CSV = ("bill_key", "title", "stance", "public", "priority", "rationale", "set_by", "set_at")


def positions_csv(rows: list[PositionRow]) -> str:
    return to_csv(POSITIONS_CSV, ([r.position.bill_key, r.title, r.position.stance, r.position.public,
                                   r.position.priority, r.position.rationale, r.position.set_by,
                                   r.position.set_at] for r in rows))


def set_member_stance(db: Session, coalition_id: int, member_id: int, bill_key: str, *,
                      stance: str, note: str | None = None, by: str | None = None) -> tuple[MemberStance, bool]:
    """A member organization's own stance on a bill (its note is seen by the member and staff only)."""
    check_stance(stance)
    if not bill_key or len(bill_key) > 200:
        raise PositionError("bill_key", "a bill key has 1 to 200 characters")
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise PositionError("note", f"a note has at most {NOTE_MAX} characters")
    row = db.execute(select(MemberStance).where(MemberStance.member_id == member_id,
                                                MemberStance.bill_key == bill_key)).scalar_one_or_none()
    if row is not None and row.stance == stance and row.note == note:
        return row, False
    row = row or MemberStance(coalition_id=coalition_id, member_id=member_id, bill_key=bill_key, stance=stance)
    row.stance, row.note, row.set_at, row.set_by = stance, note, utcnow(), by
    db.add(row)
    db.flush()
    return row, True


def history(session: Session, coalition_id: int, bill_key: str) -> list[PositionHistory]:
    """Every change of the coalition's position on the bill, oldest first."""
    return list(session.execute(select(PositionHistory).where(PositionHistory.coalition_id == coalition_id,
                                                              PositionHistory.bill_key == bill_key)
                                .order_by(PositionHistory.id)).scalars())
