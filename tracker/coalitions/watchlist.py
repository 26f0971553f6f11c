"""A coalition's watchlist: priority bills with a note, an owner among the staff and a status."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from tracker.coalitions.csvout import to_csv
from tracker.coalitions.positions import PositionError
from tracker.models import Bill, Position, StaffUser, WatchItem
from tracker.models.base import utcnow
from tracker.vocab import ROLES, WATCH_STATUSES

NOTE_MAX = 4000


def staff_owners(db: Session, coalition_id: int) -> list[StaffUser]:
    """Who can own a watched bill: the coalition's active staff (members are not staff)."""
    return list(db.execute(select(StaffUser).where(StaffUser.coalition_id == coalition_id,
                                                   StaffUser.active.is_(True), StaffUser.role.in_(ROLES))
                           .order_by(StaffUser.email)).scalars())


def watch(db: Session, coalition_id: int, bill_key: str, *, status: str = "watching", note: str | None = None,
          owner_id: int | None = None, actor: str | None = None) -> tuple[WatchItem, bool]:
    """Add a bill to the watchlist or change its item; PositionError names the field at fault.
    The bill must exist; the owner must be active staff of this coalition."""
    bill_key = (bill_key or "").strip()
    if not bill_key or db.execute(select(Bill.id).where(Bill.key == bill_key)).first() is None:
        raise PositionError("bill_key", f"no bill {bill_key!r}" if bill_key else "give a bill key")
    if status not in WATCH_STATUSES:
        raise PositionError("status", f"{status!r} is not one of {', '.join(WATCH_STATUSES)}")
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise PositionError("note", f"a note has at most {NOTE_MAX} characters")
    if owner_id is not None and owner_id not in {u.id for u in staff_owners(db, coalition_id)}:
        raise PositionError("owner", "the owner must be an active staff member of this coalition")
    item = db.execute(select(WatchItem).where(WatchItem.coalition_id == coalition_id,
                                              WatchItem.bill_key == bill_key)).scalar_one_or_none()
    if item is not None and (item.status, item.note, item.owner_id) == (status, note, owner_id):
        return item, False
    item = item or WatchItem(coalition_id=coalition_id, bill_key=bill_key)
    item.status, item.note, item.owner_id = status, note, owner_id
    item.updated_by, item.updated_at = actor, utcnow()
    db.add(item)
    db.flush()
    return item, True


def unwatch(db: Session, coalition_id: int, bill_key: str) -> bool:
    item = db.execute(select(WatchItem).where(WatchItem.coalition_id == coalition_id,
                                              WatchItem.bill_key == bill_key)).scalar_one_or_none()
    if item is None:
        return False
    db.delete(item)
    db.flush()
    return True


@dataclass
class WatchRow:
    item: WatchItem
    title: str | None
    stage: str | None
    owner: str | None
    stance: str | None
    public: bool | None


def watchlist(db: Session, coalition_id: int, status: str | None = None) -> list[WatchRow]:
    """The watched bills (open ones first: watching, working, then done), with title, stage, owner
    and the coalition's stance (staff see private ones)."""
    q = select(WatchItem).where(WatchItem.coalition_id == coalition_id)
    if status in WATCH_STATUSES:
        q = q.where(WatchItem.status == status)
    items = list(db.execute(q).scalars())
    keys = [i.bill_key for i in items] or [""]
    bills = {k: (t, s) for k, t, s in db.execute(select(Bill.key, Bill.title, Bill.stage).where(Bill.key.in_(keys)))}
    owners = {u.id: u.display_name or u.email for u in db.execute(
        select(StaffUser).where(StaffUser.coalition_id == coalition_id)).scalars()}
    pos = {p.bill_key: p for p in db.execute(select(Position).where(Position.coalition_id == coalition_id,
                                                                     Position.bill_key.in_(keys))).scalars()}
    items.sort(key=lambda i: (WATCH_STATUSES.index(i.status) if i.status in WATCH_STATUSES else 9, i.bill_key))
    return [WatchRow(i, *bills.get(i.bill_key, (None, None)), owners.get(i.owner_id),
                     pos[i.bill_key].stance if i.bill_key in pos else None,
                     pos[i.bill_key].public if i.bill_key in pos else None) for i in items]


WATCH_CSV = ("bill_key", "title", "stage", "status", "owner", "note", "stance", "stance_public", "updated_by",
             "updated_at")


def watchlist_csv(rows: list[WatchRow]) -> str:
    return to_csv(WATCH_CSV, ([r.item.bill_key, r.title, r.stage, r.item.status, r.owner, r.item.note, r.stance,
                               r.public, r.item.updated_by, r.item.updated_at] for r in rows))
