"""Change events of bill text: "text changed" (the sections a new version changed from the one
before it) and "money changed" (the line items whose amounts moved), for followers of the bill
and of the issue areas the money's headings name."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from sqlalchemy import select

from tracker.bills import money, redline as rl
from tracker.contract import BillTextIn
from tracker.models import Bill, BillText

MAX_LISTED = 12  # sections or amounts named in one event; the page has them all


def _order(r: BillText) -> tuple:
    # dated versions by date, undated ones (GPO's enrolled bills carry none) after them
    return (r.date is None, r.date or dt.date.min, r.id)


def _previous(session, bill_id: int, row: BillText) -> BillText | None:
    """The stored version just before `row` (by date, then by when it was stored)."""
    others = session.scalars(select(BillText).where(BillText.bill_id == bill_id, BillText.id != row.id))
    return max((r for r in others if _order(r) < _order(row)), key=_order, default=None)


def _usd(n: int | None) -> str:
    return "—" if n is None else f"${n:,}"


def _where(path: list[str], heading: str | None, num: str | None = None) -> str:
    return " / ".join([*path, *(x for x in (num, heading) if x)]) or "(opening text)"


def text_events(session, rec: BillTextIn, outcome: str, changes: dict) -> Iterator[dict]:
    from tracker.alerts.events import event_row  # events imports us

    if outcome != "insert" and "checksum" not in changes:
        return
    bill = session.scalars(select(Bill).where(Bill.key == rec.bill_key)).first() if not rec.bill_key.startswith(
        "legiscan:") else None
    if bill is None:
        return
    row = session.scalars(select(BillText).where(BillText.bill_id == bill.id,
                                                 BillText.version_code == rec.code)).one()
    prev = _previous(session, bill.id, row)
    if prev is None:
        return
    old, new = rl.sections_of(prev.text, prev.sections), rl.sections_of(row.text, row.sections)
    pairs = rl.align(old, new)
    changed = [c for c in rl.redline(old, new) if c.status != "same"]
    base = {"bill_key": bill.key, "jurisdiction_id": bill.jurisdiction_id}
    about = {"title": bill.title, "identifier": bill.identifier, "from_code": prev.version_code,
             "to_code": row.version_code, "to_name": row.version_name,
             "url": f"/bill/{bill.key}/diff?from={prev.version_code}&to={row.version_code}"}
    tag = f"{prev.version_code}:{row.version_code}:{row.checksum[:16]}"
    if changed:
        listed = [f"{c.status}: {_where(c.section.path, c.section.heading, c.section.num)}" for c in changed]
        yield event_row("text_changed", f"bill:{bill.key}:text:{tag}",
                        dict(about, count=len(changed), sections=listed[:MAX_LISTED],
                             summary_sections="; ".join(listed[:3]) + (" …" if len(listed) > 3 else "")), **base)
    moved = [c for c in money.compare(money.line_items(prev.text, prev.sections),
                                      money.line_items(row.text, row.sections), pairs) if c.status != "same"]
    if moved:
        lines = [f"{_where(c.path, c.heading)}: {_usd(c.old)} -> {_usd(c.new)}"
                 + (f" ({c.percent:+.1f}%)" if c.percent is not None else "") for c in moved]
        yield event_row("money_changed", f"bill:{bill.key}:money:{tag}",
                        dict(about, count=len(moved), amounts=lines[:MAX_LISTED],
                             areas=sorted({a for c in moved for a in c.areas}),
                             summary_amounts="; ".join(lines[:2]) + (" …" if len(lines) > 2 else "")), **base)
