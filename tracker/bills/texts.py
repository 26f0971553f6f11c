"""Stored bill text for people: one version by sections, and the redline between two versions.
Pages, the JSON API and `edtracker bills text|diff` all call these (docs/bill-text.md)."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from tracker.bills import money, redline as rl
from tracker.models import Bill, BillText


class Run(BaseModel):
    """A stretch of words: unchanged, deleted or inserted."""

    kind: str = Field(description="same, del or ins")
    text: str


class SectionView(BaseModel):
    num: str | None = None
    heading: str | None = None
    path: list[str] = Field(default_factory=list, description="enclosing headings, outermost first")
    anchor: str = Field(description="the section's id in the page (#s-3)")
    status: str = Field("same", description="same, changed, added, removed (a diff); same or marked (one version)")
    runs: list[Run]


class VersionRef(BaseModel):
    code: str
    name: str | None = None
    date: dt.date | None = None
    format: str


class BillTextView(BaseModel):
    bill_key: str
    version: VersionRef
    versions: list[VersionRef]
    sections: list[SectionView]
    marked: bool = Field(False, description="the runs carry the source's own insertion and deletion marks")


class BillDiffView(BaseModel):
    bill_key: str
    old: VersionRef
    new: VersionRef
    versions: list[VersionRef]
    counts: dict[str, int] = Field(description="sections same, changed, added, removed")
    sections: list[SectionView]


class TextNotFound(LookupError):
    """No such bill, or no stored text version of it with that code."""


def _ref(row: BillText) -> VersionRef:
    return VersionRef(code=row.version_code, name=row.version_name, date=row.date, format=row.format)


def versions(db: Session, bill_key: str) -> tuple[int, list[BillText]]:
    """The bill's id and its stored text versions, oldest first (undated last)."""
    bill_id = db.exec(select(Bill.id).where(Bill.key == bill_key)).first()
    if bill_id is None:
        raise TextNotFound(f"no bill {bill_key!r}")
    rows = db.exec(select(BillText).where(BillText.bill_id == bill_id)).all()
    return bill_id, sorted(rows, key=lambda r: (r.date is None, r.date or dt.date.max, r.id))


def _pick(rows: list[BillText], code: str | None, bill_key: str) -> BillText:
    if not rows:
        raise TextNotFound(f"bill {bill_key} has no stored text")
    if code is None:
        return rows[-1]
    for r in rows:
        if r.version_code.lower() == code.lower():
            return r
    raise TextNotFound(f"bill {bill_key} has no text version {code!r}; stored: "
                       + ", ".join(r.version_code for r in rows))


def _runs(runs: list[tuple[str, str]]) -> list[Run]:
    return [Run(kind=k, text=t) for k, t in runs]


def _mark_runs(text: str, start: int, section: dict) -> list[tuple[str, str]]:
    """A section's words with the source's own marks (California's lobs) as `ins`/`del` runs."""
    out: list[tuple[str, str]] = []
    pos = section["start"]
    for m in sorted(section.get("marks") or [], key=lambda m: (m["start"], m["kind"] == "ins")):
        if m["start"] > pos:
            out.append(("same", text[pos - start:m["start"] - start]))
            pos = m["start"]
        if m["kind"] == "del":
            out.append(("del", m.get("text") or ""))
        else:
            out.append(("ins", text[m["start"] - start:m["end"] - start]))
            pos = m["end"]
    if section["end"] > pos:
        out.append(("same", text[pos - start:section["end"] - start]))
    return [r for r in out if r[1]]


def bill_text(db: Session, bill_key: str, code: str | None = None) -> BillTextView:
    """One stored version (the latest by default) by sections; a California version shows the
    insertions and deletions Counsel marked in it."""
    _, rows = versions(db, bill_key)
    row = _pick(rows, code, bill_key)
    raw = row.sections or []
    out = []
    for i, s in enumerate(rl.sections_of(row.text, raw)):
        runs = _mark_runs(s.text, raw[i]["start"], raw[i]) if raw and raw[i].get("marks") else [("same", s.text)]
        status = "marked" if any(k != "same" for k, _ in runs) else "same"
        out.append(SectionView(num=s.num, heading=s.heading, path=s.path, anchor=f"s-{i + 1}", status=status,
                               runs=_runs(runs)))
    return BillTextView(bill_key=bill_key, version=_ref(row), versions=[_ref(r) for r in rows], sections=out,
                        marked=any(s.status == "marked" for s in out))


def bill_diff(db: Session, bill_key: str, old: str, new: str) -> BillDiffView:
    """The redline from version `old` to version `new`, section by section."""
    _, rows = versions(db, bill_key)
    a, b = _pick(rows, old, bill_key), _pick(rows, new, bill_key)
    changes = rl.redline(rl.sections_of(a.text, a.sections), rl.sections_of(b.text, b.sections))
    counts = {k: 0 for k in ("same", "changed", "added", "removed")}
    out = []
    for i, c in enumerate(changes):
        counts[c.status] += 1
        s = c.section
        out.append(SectionView(num=s.num, heading=s.heading, path=s.path, anchor=f"s-{i + 1}", status=c.status,
                               runs=_runs(c.runs)))
    return BillDiffView(bill_key=bill_key, old=_ref(a), new=_ref(b), versions=[_ref(r) for r in rows],
                        counts=counts, sections=out)


class MoneyView(BaseModel):
    """The money of one version, and (with `compare`) each line item's change from another."""

    bill_key: str
    version: VersionRef
    versions: list[VersionRef]
    items: list[money.LineItem]
    total: int = Field(description="sum of the appropriations (parts and other amounts are not added)")
    compared_with: VersionRef | None = None
    changes: list[money.MoneyChange] = Field(default_factory=list)


def bill_money(db: Session, bill_key: str, code: str | None = None, compare: str | None = None) -> MoneyView:
    """Line items of one version (latest by default); with `compare`, changes from that version."""
    _, rows = versions(db, bill_key)
    row = _pick(rows, code, bill_key)
    items = money.line_items(row.text, row.sections)
    view = MoneyView(bill_key=bill_key, version=_ref(row), versions=[_ref(r) for r in rows], items=items,
                     total=sum(i.dollars for i in items if i.kind == "appropriation"))
    if compare:
        old = _pick(rows, compare, bill_key)
        pairs = rl.align(rl.sections_of(old.text, old.sections), rl.sections_of(row.text, row.sections))
        view.compared_with = _ref(old)
        view.changes = money.compare(money.line_items(old.text, old.sections), items, pairs)
    return view
