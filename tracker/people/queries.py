"""Read queries about legislators: who sits where, and who is on which committee."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import or_
from sqlmodel import Session, select

from tracker.jurisdictions import clock
from tracker.models import (Committee, CommitteeMembership, Legislator, LegislatorIdentifier,
                            LegislatorRole)


class LegislatorRow(BaseModel):
    key: str
    name: str
    party: str | None
    chamber: str | None
    district: str | None
    division_id: str | None
    title: str | None
    committee_role: str | None = None
    ids: dict[str, str] = {}


def list_legislators(db: Session, *, jurisdiction: str | None = None, chamber: str | None = None,
                     committee: str | None = None, current_on: dt.date | None = None,
                     ) -> list[LegislatorRow]:
    """Legislators holding a seat on `current_on` (default today) in `jurisdiction`/`chamber`,
    optionally only members of `committee` (a key like `us-SSHR` or a thomas id like `SSHR`)."""
    day = current_on or clock.today()
    query = select(Legislator, LegislatorRole).join(
        LegislatorRole, LegislatorRole.legislator_id == Legislator.id).where(
        or_(LegislatorRole.start_date.is_(None), LegislatorRole.start_date <= day),
        or_(LegislatorRole.end_date.is_(None), LegislatorRole.end_date >= day))
    if jurisdiction:
        query = query.where(LegislatorRole.jurisdiction_id == jurisdiction.lower())
    if chamber:
        query = query.where(LegislatorRole.chamber == chamber)
    roles: dict[int, str] = {}
    if committee:
        key = committee if "-" in committee else f"{(jurisdiction or 'us').lower()}-{committee}"
        found = db.exec(select(Committee).where(Committee.key == key)).first()
        if found is None:
            return []
        roles = dict(db.exec(select(CommitteeMembership.legislator_id, CommitteeMembership.role)
                             .where(CommitteeMembership.committee_id == found.id)).all())
        query = query.where(Legislator.id.in_(list(roles)))
    rows = db.exec(query.order_by(Legislator.family_name, Legislator.name)).all()
    ids: dict[int, dict[str, str]] = {}
    if rows:
        for ident in db.exec(select(LegislatorIdentifier).where(
                LegislatorIdentifier.legislator_id.in_({p.id for p, _ in rows}),
                LegislatorIdentifier.scheme.in_(("bioguide", "lis", "govtrack")))).all():
            ids.setdefault(ident.legislator_id, {})[ident.scheme] = ident.value
    out, seen = [], set()
    for person, role in rows:
        if person.id in seen:  # overlapping terms (a special election): list the person once
            continue
        seen.add(person.id)
        out.append(LegislatorRow(key=person.key, name=person.name, party=role.party or person.party,
                                 chamber=role.chamber, district=role.district,
                                 division_id=role.division_id, title=role.title,
                                 committee_role=roles.get(person.id), ids=ids.get(person.id, {})))
    return out
