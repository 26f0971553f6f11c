"""What a school district is, who represents it and what names it (one service for page, JSON, CLI)."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import exists, func, or_
from sqlmodel import Session, select

from tracker.districts import find
from tracker.jurisdictions import clock
from tracker.models import (Bill, BillText, LegislativeSession, Legislator, LegislatorRole, SchoolDistrict,
                            SchoolDistrictOverlap)
from tracker.people.directory import FilterError, is_current
from tracker.people.record import bill_ref, education_bill
from tracker.schools.rows import LEAID
from tracker.schools.views import (PastMember, Representation, SchoolDistrictDetail, SchoolDistrictMatch,
                                   SchoolDistrictRef)

_ORDER = {"us_senate": 0, "us_house": 1, "state_upper": 2, "state_lower": 3}
_SUFFIX = re.compile(r"\s+(school district|public schools|schools|school dist\.?|sd|usd)$", re.I)


class UnknownDistrict(LookupError):
    """No school district with this LEAID is stored."""


def checked_leaid(leaid: str) -> str:
    value = (leaid or "").strip()
    if not LEAID.match(value):
        raise FilterError("leaid", f"{value[:20]!r} is not an NCES LEAID (7 digits, like 0622710)")
    return value


def display_name(row: SchoolDistrict) -> str:
    return row.nces_name or (row.ocd_name or "").title() or row.leaid or row.ocd_id


def ref(row: SchoolDistrict) -> SchoolDistrictRef:
    return SchoolDistrictRef(leaid=row.leaid, ocd_id=row.ocd_id, name=display_name(row), state=row.state,
                             kind=row.kind, county=(row.county or "").title() or None,
                             place=(row.place or "").title() or None)


def by_leaid(db: Session, leaid: str) -> SchoolDistrict:
    row = db.exec(select(SchoolDistrict).where(SchoolDistrict.leaid == checked_leaid(leaid))).first()
    if row is None:
        raise UnknownDistrict(leaid)
    return row


def congress_window(vintage: str | None) -> tuple[dt.date, dt.date] | None:
    """The dates of the Congress whose boundaries a part uses (cd116: 2019-01-03 to 2021-01-03)."""
    m = re.match(r"^cd(\d+)$", vintage or "")
    if not m:
        return None
    start = 1789 + 2 * (int(m.group(1)) - 1)
    return dt.date(start, 1, 3), dt.date(start + 2, 1, 3)


def _past(db: Session, want: find.Want, day: dt.date, window: tuple[dt.date, dt.date] | None = None) -> list[PastMember]:
    """Members whose terms in the seat ended; with a window (the boundaries' Congress), only those
    who served then: a district number's holders before a redistricting represented another area."""
    jurisdiction, chambers = find._where(want)
    rows = db.exec(select(LegislatorRole).where(LegislatorRole.jurisdiction_id == jurisdiction,
                                                LegislatorRole.chamber.in_(chambers))).all()
    held: dict[int, LegislatorRole] = {}
    for r in rows:
        if window and not (r.end_date > window[0] and (r.start_date or dt.date.min) < window[1]):
            continue
        if not is_current(r, day) and r.end_date is not None and find._fits(r, want):
            if r.legislator_id not in held or r.end_date > held[r.legislator_id].end_date:
                held[r.legislator_id] = r
    if not held:
        return []
    people = {p.id: p for p in db.exec(select(Legislator).where(Legislator.id.in_(list(held))))}
    out = [PastMember(key=people[i].key, name=people[i].name, party=r.party or people[i].party,
                      start_date=r.start_date, end_date=r.end_date) for i, r in held.items()]
    return sorted(out, key=lambda p: p.end_date, reverse=True)


def _represent(db: Session, want: find.Want, day: dt.date, **part) -> Representation:
    seat = find.seat(db, want, day)
    now = {m.key for m in seat.members}   # a member's own earlier terms are not "past members"
    return Representation(level=seat.level, jurisdiction=seat.jurisdiction, chamber=seat.chamber, state=seat.state,
                          district=seat.district, tracked=seat.tracked, members=seat.members,
                          past=[p for p in _past(db, want, day, congress_window(part.get("vintage")))
                                if p.key not in now], **part)


def representation(db: Session, row: SchoolDistrict, day: dt.date) -> list[Representation]:
    parts = db.exec(select(SchoolDistrictOverlap).where(SchoolDistrictOverlap.school_district_id == row.id)).all()
    out = []
    senate: dict[str, float | None] = {}
    for p in parts:
        if p.level == "us_house":   # each state the district's House parts lie in has two senators
            senate[p.state] = (senate.get(p.state) or 0) + (p.share or 0)
        if p.state not in find.places():
            continue
        number = "AL" if p.district.upper() == "AL" else p.district
        out.append(_represent(db, find.Want(p.level, p.state, number), day, share=p.share, land_area=p.land_area,
                              vintage=p.vintage))
    if not senate and row.state in find.places():
        senate[row.state] = None
    for state, share in senate.items():
        if find.places().get(state, ("", ""))[1] == "state":
            out.append(_represent(db, find.Want("us_senate", state), day, share=round(share, 6) if share else share))
    return sorted(out, key=lambda r: (_ORDER[r.level], r.state, -(r.share or 0), find._natural(r.district or "")))


def _terms(row: SchoolDistrict) -> tuple[list[str], list[str]]:
    """Phrases naming the district anywhere, and phrases naming its county or city (state bills only)."""
    names = {n for n in (row.nces_name, (row.ocd_name or "").title()) if n}
    names |= {_SUFFIX.sub("", n) for n in names}
    local = []
    if row.county:
        local.append(f"{row.county.title()} County")
    if row.place:
        local.append(f"City of {row.place.title()}")
    return sorted(n for n in names if len(n) >= 4), local


def _naming(phrases: list[str]):
    conds = []
    for phrase in phrases:
        like = f"%{phrase.lower()}%"
        conds += [func.lower(Bill.title).like(like), func.lower(func.coalesce(Bill.summary, "")).like(like),
                  exists(select(BillText.id).where(BillText.bill_id == Bill.id,
                                                   func.lower(func.coalesce(BillText.text, "")).like(like)))]
    return or_(*conds) if conds else None


def naming_bills(db: Session, row: SchoolDistrict, *, limit: int = 25) -> list:
    """Education bills of the district's state (or Congress) naming it; its county or city in state bills."""
    names, local = _terms(row)
    federal, state = _naming(names), _naming(names + local)
    where = [c for c in ((Bill.jurisdiction_id == row.state) & state if state is not None else None,
                         (Bill.jurisdiction_id == "us") & federal if federal is not None else None) if c is not None]
    if not where:
        return []
    rows = db.exec(select(Bill, LegislativeSession.identifier).join(LegislativeSession,
                   LegislativeSession.id == Bill.session_id).where(education_bill(), or_(*where))
                   .order_by(Bill.latest_action_date.desc(), Bill.key).limit(limit)).all()
    return [bill_ref(b, s) for b, s in rows]


def detail(db: Session, leaid: str, *, on: dt.date | None = None) -> SchoolDistrictDetail:
    """The district, its representatives by chamber with their share, and bills naming it."""
    row = by_leaid(db, leaid)
    day = on or clock.today()
    reps = representation(db, row, day)
    others = []
    if row.nces_name:
        others = [ref(o) for o in db.exec(select(SchoolDistrict).where(
            SchoolDistrict.nces_name == row.nces_name, SchoolDistrict.state != row.state)).all()
            if "interstate" in row.nces_name.lower()]
    return SchoolDistrictDetail(district=ref(row), representation=reps,
                                boundaries=sorted({r.vintage for r in reps if r.vintage}),
                                other_states=others, bills=naming_bills(db, row))


def search(db: Session, q: str, *, state: str | None = None, limit: int = 20) -> SchoolDistrictMatch:
    """School districts by LEAID or by words of their name (NCES or OCD), in a state or all."""
    text = " ".join((q or "").split())
    if not text:
        raise FilterError("q", "type a school district's name or its NCES LEAID")
    if len(text) > 100:
        raise FilterError("q", "at most 100 characters")
    if "\x00" in text:   # PostgreSQL refuses NUL in text
        raise FilterError("q", "a name cannot hold a NUL character")
    query = select(SchoolDistrict)
    if LEAID.match(text):
        query = query.where(SchoolDistrict.leaid == text)
    else:
        for word in text.lower().split():
            like = f"%{word}%"
            query = query.where(or_(func.lower(func.coalesce(SchoolDistrict.nces_name, "")).like(like),
                                    func.lower(func.coalesce(SchoolDistrict.ocd_name, "")).like(like)))
    if state:
        query = query.where(SchoolDistrict.state == find.checked_state(state))
    query = query.where(SchoolDistrict.leaid.is_not(None))
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(SchoolDistrict.state, SchoolDistrict.nces_name, SchoolDistrict.leaid).limit(limit)).all()
    return SchoolDistrictMatch(matches=[ref(r) for r in rows], total=total)
