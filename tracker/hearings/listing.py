"""Hearings of every legislature tracked, filtered by jurisdiction, chamber, committee, dates,
upcoming or past, and education (by default) or all.

A hearing is an education hearing when its committee is an education committee (the default
taxonomy's committee rules) or an education bill is on its agenda (a bill with an issue area
not rejected). Dates are the legislature's: "upcoming" starts today in its time zone, and a
date range is read in each legislature's time zone. Hearings without a start time are left
out (they cannot be placed on a calendar). The committee a hearing belongs to is the stored
one its source files it under, else the one it names (the rule of the committee pages:
`tracker.people.committees.hearings`); when two committees could be meant, none is linked.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlmodel import Session

from tracker.jurisdictions.registry import JURISDICTION_IDS, all_jurisdictions
from tracker.models import Bill, BillTag, Committee, Hearing, HearingBill, LegislativeSession
from tracker.people.committees import SOURCE_CHAMBER
from tracker.people.directory import CHAMBERS, FilterError
from tracker.people.names import chamber_in, is_education_committee, name_key
from tracker.hearings.views import AgendaBill, CommitteeRef, HearingItem, HearingPage

WHENS = ("upcoming", "past", "all")
SCOPES = ("education", "all")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
# Every time zone of the legislatures is within this of UTC: a coarse SQL bound, refined per row.
_ZONE_SLACK = dt.timedelta(hours=15)


@dataclass(frozen=True)
class HearingFilter:
    jurisdiction: str | None = None
    chamber: str | None = None
    committee: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    when: str = "upcoming"
    scope: str = "education"

    @classmethod
    def checked(cls, *, jurisdiction: str | None = None, chamber: str | None = None, committee: str | None = None,
                date_from: dt.date | None = None, date_to: dt.date | None = None, when: str | None = None,
                scope: str | None = None) -> "HearingFilter":
        """Blank values dropped, the rest checked (`FilterError` names the parameter). Without
        `when`, a date range shows all its hearings and no range shows the upcoming ones."""
        jurisdiction = (jurisdiction or "").strip().lower() or None
        if jurisdiction and jurisdiction not in JURISDICTION_IDS:
            raise FilterError("jurisdiction", f"unknown jurisdiction {jurisdiction!r} "
                              "(use a postal code like ca, or us for Congress)")
        chamber = (chamber or "").strip() or None
        if chamber and chamber not in CHAMBERS:
            raise FilterError("chamber", f"{chamber!r} is not one of {', '.join(CHAMBERS)}")
        committee = (committee or "").strip() or None
        if committee and len(committee) > 200:
            raise FilterError("committee", "at most 200 characters")
        for field, day in (("from", date_from), ("to", date_to)):
            if day is not None and not EARLIEST <= day <= LATEST:
                raise FilterError(field, f"{day.isoformat()} is outside {EARLIEST.year}-{LATEST.year}")
        if date_from and date_to and date_from > date_to:
            raise FilterError("to", f"{date_to.isoformat()} is before from ({date_from.isoformat()})")
        when = (when or "").strip() or ("all" if date_from or date_to else "upcoming")
        if when not in WHENS:
            raise FilterError("when", f"{when!r} is not one of {', '.join(WHENS)}")
        scope = (scope or "").strip() or "education"
        if scope not in SCOPES:
            raise FilterError("scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
        return cls(jurisdiction, chamber, committee, date_from, date_to, when, scope)


@lru_cache
def zone(jurisdiction: str | None) -> ZoneInfo:
    """The legislature's time zone (its capital's); UTC when unknown."""
    name = next((r["timezone"] for r in all_jurisdictions() if r["id"] == jurisdiction), None)
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def aware(value: dt.datetime) -> dt.datetime:
    """Stored times are UTC; SQLite hands them back naive."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _ref(c: Committee) -> CommitteeRef:
    return CommitteeRef(key=c.key, name=c.name, jurisdiction=c.jurisdiction_id, chamber=c.chamber)


class CommitteeIndex:
    """Which stored committee a hearing belongs to, per (jurisdiction, key, name, source)."""

    def __init__(self, db: Session, jurisdictions: set[str]):
        rows = db.execute(select(Committee).where(Committee.jurisdiction_id.in_(sorted(jurisdictions)))).scalars().all() \
            if jurisdictions else []
        self.by_key = {c.key: c for c in rows}
        self.by_name: dict[tuple[str, str], list[Committee]] = {}
        for c in rows:
            self.by_name.setdefault((c.jurisdiction_id, name_key(c.name)), []).append(c)
        self.cache: dict[tuple, tuple[Committee | None, str | None]] = {}

    def resolve(self, jurisdiction: str, committee_key: str | None, committee_name: str | None,
                source_format: str | None, description: str | None = None) -> tuple[Committee | None, str | None]:
        """(the committee, the hearing's chamber) — the chamber from the committee, else from the
        name ("Assembly Education") or the source (the NY Senate's agendas). When a name fits a
        committee of each chamber, a chamber the description names ("Assembly Standing Committee
        on Education") decides."""
        k = (jurisdiction, committee_key, committee_name, source_format, chamber_in(description))
        if k not in self.cache:
            self.cache[k] = self._resolve(*k)
        return self.cache[k]

    def _resolve(self, jurisdiction, committee_key, committee_name, source_format, hint):
        said = chamber_in(committee_name) or SOURCE_CHAMBER.get(source_format or "")
        if committee_key:
            found = self.by_key.get(committee_key)
            return (found, (found.chamber if found else None) or said)
        key = name_key(committee_name)
        fits = [c for c in self.by_name.get((jurisdiction, key), []) if key and not (
            c.chamber in ("upper", "lower") and said not in (None, c.chamber))]
        if len(fits) > 1 and (said or hint):
            fits = [c for c in fits if c.chamber == (said or hint)] or fits
        found = fits[0] if len(fits) == 1 else None
        chamber = found.chamber if found and found.chamber in CHAMBERS else said
        return found, chamber


def _education_agenda():
    """SQL: the hearing has an education bill on its agenda."""
    return exists(select(HearingBill.id).join(Bill, Bill.key == HearingBill.bill_key)
                  .where(HearingBill.hearing_id == Hearing.id,
                         exists(select(BillTag.id).where(BillTag.bill_id == Bill.id, BillTag.status != "rejected"))))


@dataclass
class _Row:
    id: int
    key: str
    start: dt.datetime
    committee: Committee | None
    chamber: str | None
    education: bool


def _candidates(db: Session, f: HearingFilter, now: dt.datetime) -> tuple[list[_Row], list[CommitteeRef]]:
    """Hearings the filter keeps (light rows, in order), and the committees of those it keeps
    before the committee filter."""
    query = select(Hearing.id, Hearing.key, Hearing.jurisdiction_id, Hearing.committee_key, Hearing.committee_name,
                   Hearing.source_format, Hearing.description, Hearing.start, _education_agenda().label("edu")
                   ).where(Hearing.start.is_not(None))
    if f.jurisdiction:
        query = query.where(Hearing.jurisdiction_id == f.jurisdiction)
    # Coarse bounds in UTC (a day either side covers every time zone); refined per row below.
    if f.when == "upcoming":
        query = query.where(Hearing.start >= now - _ZONE_SLACK - dt.timedelta(days=1))
    elif f.when == "past":
        query = query.where(Hearing.start < now + _ZONE_SLACK + dt.timedelta(days=1))
    if f.date_from:
        query = query.where(Hearing.start >= dt.datetime.combine(f.date_from, dt.time.min, dt.timezone.utc) - _ZONE_SLACK)
    if f.date_to:
        query = query.where(Hearing.start < dt.datetime.combine(f.date_to, dt.time.max, dt.timezone.utc) + _ZONE_SLACK)
    rows = db.execute(query).all()
    index = CommitteeIndex(db, {r.jurisdiction_id for r in rows})
    kept: list[_Row] = []
    committees: dict[str, CommitteeRef] = {}
    for r in rows:
        tz = zone(r.jurisdiction_id)
        start = aware(r.start)
        day, today = start.astimezone(tz).date(), now.astimezone(tz).date()
        if (f.when == "upcoming" and day < today) or (f.when == "past" and day >= today):
            continue
        if (f.date_from and day < f.date_from) or (f.date_to and day > f.date_to):
            continue
        committee, chamber = index.resolve(r.jurisdiction_id, r.committee_key, r.committee_name, r.source_format,
                                           r.description)
        if f.chamber and chamber != f.chamber:
            continue
        education = bool(r.edu) or is_education_committee(r.committee_name) or (
            committee is not None and is_education_committee(committee.name))
        if f.scope == "education" and not education:
            continue
        if committee is not None:
            committees.setdefault(committee.key, _ref(committee))
        if f.committee and (committee is None or committee.key != f.committee):
            continue
        kept.append(_Row(r.id, r.key, start, committee, chamber, education))
    newest_first = f.when == "past"
    kept.sort(key=lambda x: (x.start, x.key), reverse=newest_first)
    return kept, sorted(committees.values(), key=lambda c: (c.jurisdiction != "us", c.jurisdiction,
                                                            c.chamber or "", c.name.casefold()))


def _agenda(db: Session, ids: list[int]) -> dict[int, list[AgendaBill]]:
    if not ids:
        return {}
    rows = db.execute(select(HearingBill).where(HearingBill.hearing_id.in_(ids))
                      .order_by(HearingBill.hearing_id, HearingBill.position, HearingBill.id)).scalars().all()
    keys = sorted({hb.bill_key for hb in rows})
    bills = {}
    if keys:
        tagged = exists(select(BillTag.id).where(BillTag.bill_id == Bill.id, BillTag.status != "rejected"))
        for bill, session, edu in db.execute(
                select(Bill, LegislativeSession.identifier, tagged.label("edu"))
                .join(LegislativeSession, LegislativeSession.id == Bill.session_id).where(Bill.key.in_(keys))).all():
            bills[bill.key] = AgendaBill(key=bill.key, identifier=bill.identifier, stored=True, title=bill.title,
                                         stage=bill.stage, session=session, education=bool(edu))
    out: dict[int, list[AgendaBill]] = {}
    for hb in rows:
        known = bills.get(hb.bill_key)
        if known is not None:
            item = known.model_copy(update={"note": hb.note})
        else:   # a bill edtracker does not hold: named by its key (ny-2017-s905 -> S905, 2017)
            parts = hb.bill_key.split("-")
            item = AgendaBill(key=hb.bill_key, identifier=parts[-1].upper() if len(parts) >= 3 else hb.bill_key,
                              session=parts[1] if len(parts) >= 3 else None, stored=False, note=hb.note)
        out.setdefault(hb.hearing_id, []).append(item)
    return out


def _web(links) -> list[str]:
    return [u for u in links or [] if isinstance(u, str) and u.startswith(("http://", "https://"))]


def list_hearings(db: Session, f: HearingFilter | None = None, *, now: dt.datetime | None = None,
                  limit: int = 50, offset: int = 0) -> HearingPage:
    """The hearings `f` keeps, `limit` from `offset`: soonest first, newest first for past ones."""
    f = f or HearingFilter()
    now = aware(now or dt.datetime.now(dt.timezone.utc))
    kept, committees = _candidates(db, f, now)
    page = kept[offset:offset + limit]
    full = {h.id: h for h in db.execute(select(Hearing).where(Hearing.id.in_([r.id for r in page]))).scalars()} \
        if page else {}
    agenda = _agenda(db, [r.id for r in page])
    items = []
    for r in page:
        h = full[r.id]
        tz = zone(h.jurisdiction_id)
        items.append(HearingItem(
            key=h.key, jurisdiction=h.jurisdiction_id, chamber=r.chamber, committee_name=h.committee_name,
            committee=_ref(r.committee) if r.committee is not None else None,
            start=r.start.astimezone(dt.timezone.utc), local_start=r.start.astimezone(tz), timezone=tz.key,
            location=h.location, description=h.description, status=h.status, links=_web(h.links),
            bills=agenda.get(h.id, []), education=r.education,
            source_url=h.source_url if (h.source_url or "").startswith(("http://", "https://")) else None))
    return HearingPage(total=len(kept), limit=limit, offset=offset, when=f.when, scope=f.scope, items=items,
                       committees=committees)


def hearing_jurisdictions(db: Session) -> list[str]:
    """Jurisdictions with at least one hearing (for the filter), Congress first."""
    found = db.execute(select(Hearing.jurisdiction_id).distinct()).scalars().all()
    return sorted(found, key=lambda j: (j != "us", j))
