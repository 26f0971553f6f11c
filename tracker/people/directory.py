"""Every legislator of every jurisdiction tracked, filtered by jurisdiction, chamber, party,
district and name, a page at a time; current members unless former ones are asked for."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import String, and_, cast, func, or_
from sqlmodel import Session, select

from tracker.jurisdictions import clock
from tracker.jurisdictions.registry import JURISDICTION_IDS
from tracker.models import Legislator, LegislatorRole
from tracker.people.parties import party_key, spellings
from tracker.people.views import LegislatorItem, LegislatorPage, RoleView

CHAMBERS = ("upper", "lower", "legislature")
LIMITS = {"district": 40, "name": 100, "party": 60}
# A member of Congress by state and district: "CA" (the state's members), "CA-12", "AK-AL".
_US_SEAT = re.compile(r"([A-Za-z]{2})(?:-(\d{1,2}|AL))?")
_STATE_IN_DIVISION = re.compile(r"/(?:state|district|territory):([a-z]{2})(?:/|$)")


class FilterError(ValueError):
    """A filter value that cannot be used; `field` names the query parameter."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


@dataclass(frozen=True)
class PeopleFilter:
    jurisdiction: str | None = None
    chamber: str | None = None
    party: str | None = None
    district: str | None = None
    name: str | None = None
    include_former: bool = False

    @classmethod
    def checked(cls, **values) -> "PeopleFilter":
        """Blank values dropped, the rest checked; a bad one raises `FilterError` naming it."""
        clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        clean = {k: v for k, v in clean.items() if v not in (None, "")}
        for field, most in LIMITS.items():
            if field in clean and len(clean[field]) > most:
                raise FilterError(field, f"at most {most} characters")
        if "jurisdiction" in clean:
            clean["jurisdiction"] = clean["jurisdiction"].lower()
            if clean["jurisdiction"] not in JURISDICTION_IDS:
                raise FilterError("jurisdiction", f"unknown jurisdiction {clean['jurisdiction']!r} "
                                  "(use a postal code like ca, or us for Congress)")
        if "chamber" in clean and clean["chamber"] not in CHAMBERS:
            raise FilterError("chamber", f"{clean['chamber']!r} is not one of {', '.join(CHAMBERS)}")
        return cls(**clean)


def state_of(division_id: str | None) -> str | None:
    """`ocd-division/country:us/state:ca/cd:12` -> `ca`."""
    m = _STATE_IN_DIVISION.search(division_id or "")
    return m.group(1) if m else None


def is_current(role: LegislatorRole, day: dt.date) -> bool:
    return (role.start_date is None or role.start_date <= day) and (role.end_date is None or role.end_date >= day)


def role_view(role: LegislatorRole, day: dt.date, party: str | None = None) -> RoleView:
    return RoleView(jurisdiction=role.jurisdiction_id, chamber=role.chamber, district=role.district,
                    state=state_of(role.division_id) if role.jurisdiction_id == "us" else None,
                    division_id=role.division_id, party=role.party or party, title=role.title,
                    start_date=role.start_date, end_date=role.end_date, current=is_current(role, day))


def _current(day: dt.date):
    return and_(or_(LegislatorRole.start_date.is_(None), LegislatorRole.start_date <= day),
                or_(LegislatorRole.end_date.is_(None), LegislatorRole.end_date >= day))


def _district_clause(f: PeopleFilter):
    d = f.district or ""
    seat = _US_SEAT.fullmatch(d) if f.jurisdiction == "us" else None
    if seat:
        state, number = seat.group(1).lower(), seat.group(2)
        base = f"ocd-division/country:us/%:{state}"
        if number is None:
            return or_(LegislatorRole.division_id.like(base), LegislatorRole.division_id.like(base + "/cd:%"))
        if number.upper() == "AL":
            return and_(LegislatorRole.division_id.like(base), LegislatorRole.district == "0")
        return LegislatorRole.division_id.like(f"{base}/cd:{int(number)}")
    value = str(int(d)) if d.isdigit() else d.lower()
    return func.lower(LegislatorRole.district) == value


def _role_conditions(f: PeopleFilter, day: dt.date) -> list:
    conds = []
    if not f.include_former:
        conds.append(_current(day))
    if f.jurisdiction:
        conds.append(LegislatorRole.jurisdiction_id == f.jurisdiction)
    if f.chamber:
        conds.append(LegislatorRole.chamber == f.chamber)
    if f.party:
        said = func.lower(func.coalesce(LegislatorRole.party, Legislator.party))
        conds.append(said.in_(sorted(spellings(party_key(f.party) or ""))))
    if f.district:
        conds.append(_district_clause(f))
    return conds


def _name_conditions(name: str | None) -> list:
    conds = []
    for word in (name or "").lower().split():
        conds.append(or_(func.lower(Legislator.name).contains(word, autoescape=True),
                         func.lower(cast(Legislator.other_names, String)).contains(word, autoescape=True)))
    return conds


def list_people(db: Session, filters: PeopleFilter | None = None, *, on: dt.date | None = None,
                limit: int = 50, offset: int = 0) -> LegislatorPage:
    """Legislators matching `filters` (one row each, by family name), `limit` from `offset`."""
    f, day = filters or PeopleFilter(), on or clock.today()
    seats = (select(LegislatorRole.legislator_id).join(Legislator, Legislator.id == LegislatorRole.legislator_id)
             .where(*_role_conditions(f, day)))
    query = select(Legislator).where(Legislator.id.in_(seats), *_name_conditions(f.name))
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    people = db.exec(query.order_by(func.lower(func.coalesce(Legislator.family_name, Legislator.name)),
                                    func.lower(Legislator.name), Legislator.id)
                     .limit(limit).offset(offset)).all()
    roles: dict[int, list[LegislatorRole]] = {}
    if people:
        for role in db.exec(select(LegislatorRole).where(
                LegislatorRole.legislator_id.in_([p.id for p in people]))).all():
            roles.setdefault(role.legislator_id, []).append(role)
    items = []
    for person in people:
        mine = roles.get(person.id, [])
        shown = shown_role(mine, f, day)
        items.append(LegislatorItem(
            key=person.key, name=person.name, current=any(is_current(r, day) for r in mine),
            party=(shown.party if shown else None) or person.party,
            role=role_view(shown, day, person.party) if shown else None))
    return LegislatorPage(total=total, limit=limit, offset=offset, items=items)


def shown_role(roles: list[LegislatorRole], f: PeopleFilter, day: dt.date) -> LegislatorRole | None:
    """The seat a list shows: of those in the filtered jurisdiction and chamber, the current
    one, else the latest."""
    fits = [r for r in roles if (not f.jurisdiction or r.jurisdiction_id == f.jurisdiction)
            and (not f.chamber or r.chamber == f.chamber)] or roles
    if not fits:
        return None
    return max(fits, key=lambda r: (is_current(r, day), r.start_date or dt.date.min, r.end_date or dt.date.max))


@dataclass
class DirectoryOptions:
    """What the filters offer: jurisdictions and chambers that have legislators, parties seen."""

    jurisdictions: list[str]
    chambers: list[str]
    parties: list[tuple[str, str]]   # (filter value, a spelling to name it by)


def directory_options(db: Session, jurisdiction: str | None = None) -> DirectoryOptions:
    where = [LegislatorRole.jurisdiction_id == jurisdiction] if jurisdiction else []
    jurisdictions = sorted(db.exec(select(LegislatorRole.jurisdiction_id).distinct()).all(),
                           key=lambda j: (j != "us", j))
    chambers = sorted(db.exec(select(LegislatorRole.chamber).where(*where).distinct()).all(),
                      key=lambda c: CHAMBERS.index(c) if c in CHAMBERS else 9)
    said = func.coalesce(LegislatorRole.party, Legislator.party)
    parties: dict[str, str] = {}
    for spelled in db.exec(select(said).join(Legislator, Legislator.id == LegislatorRole.legislator_id)
                           .where(*where, said.is_not(None)).distinct()).all():
        key = party_key(spelled)
        if key and (key not in parties or len(spelled) > len(parties[key])):
            parties[key] = spelled   # the longest spelling names it ("Democratic", not "D")
    return DirectoryOptions(jurisdictions, chambers, sorted(parties.items()))
