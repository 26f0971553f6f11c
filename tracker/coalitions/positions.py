"""Setting a coalition's position on a bill, with history, and member organizations' stances."""
from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import MemberStance, Position, PositionHistory
from tracker.models.base import utcnow
from tracker.vocab import STANCES

_FIELDS = ("stance", "rationale", "priority", "public")


def check_stance(stance: str) -> str:
    if stance not in STANCES:
        raise ValueError(f"stance {stance!r} is not one of {', '.join(STANCES)}")
    return stance


def set_position(session: Session, coalition_id: int, bill_key: str, *, stance: str,
                 rationale: str | None = None, priority: int = 0, public: bool = False,
                 by: str | None = None) -> tuple[Position, bool]:
    """Create or change a position; a change writes a history row. Returns (position, changed)."""
    check_stance(stance)
    pos = session.execute(select(Position).where(Position.coalition_id == coalition_id,
                                                 Position.bill_key == bill_key)).scalar_one_or_none()
    values = {"stance": stance, "rationale": rationale, "priority": priority, "public": public}
    previous = None
    if pos is not None:
        if all(getattr(pos, k) == v for k, v in values.items()):
            return pos, False
        previous = pos.stance
    else:
        pos = Position(coalition_id=coalition_id, bill_key=bill_key, **values)
    for k, v in values.items():
        setattr(pos, k, v)
    pos.set_by, pos.set_at = by, utcnow()
    session.add(pos)
    session.add(PositionHistory(coalition_id=coalition_id, bill_key=bill_key, previous_stance=previous,
                                set_by=by, set_at=pos.set_at, **values))
    session.flush()
    return pos, True


def set_member_stance(session: Session, coalition_id: int, member_id: int, bill_key: str, *,
                      stance: str, note: str | None = None) -> tuple[MemberStance, bool]:
    check_stance(stance)
    row = session.execute(select(MemberStance).where(MemberStance.member_id == member_id,
                                                     MemberStance.bill_key == bill_key)).scalar_one_or_none()
    if row is not None and row.stance == stance and row.note == note:
        return row, False
    row = row or MemberStance(coalition_id=coalition_id, member_id=member_id, bill_key=bill_key, stance=stance)
    row.stance, row.note, row.set_at = stance, note, utcnow()
    session.add(row)
    session.flush()
    return row, True


def history(session: Session, coalition_id: int, bill_key: str) -> list[PositionHistory]:
    """Every change of the coalition's position on the bill, oldest first."""
    return list(session.execute(select(PositionHistory).where(PositionHistory.coalition_id == coalition_id,
                                                              PositionHistory.bill_key == bill_key)
                                .order_by(PositionHistory.id)).scalars())
