"""The same legislator from a source without person ids: matched by seat and family name.

California's pubinfo names legislators only by name, house and session (`ca-name` ids, see
`tracker.vocab.WEAK_ID_SCHEMES`). Such a record is the person another source keys (Open
States' `ocd-person`, LegiScan's people_id) when that person held the same seat (jurisdiction,
chamber, district) at an overlapping time under the same family name: the record then only adds
its ids to that person. The other way round, a keyed record finds a person stored from
seat names alone and takes it over (its key, names and roles), so the load order does not matter.
"""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tracker.contract import LegislatorIn
from tracker.models import Legislator, LegislatorIdentifier, LegislatorRole
from tracker.people.namematch import fold
from tracker.vocab import WEAK_ID_SCHEMES


def weak_record(rec: LegislatorIn) -> bool:
    """A record known only by seat-name ids."""
    return bool(rec.ids) and set(rec.ids) <= WEAK_ID_SCHEMES


def weak_key(key: str) -> bool:
    return key.split(":", 1)[0] in WEAK_ID_SCHEMES


def _overlap(a0: dt.date | None, a1: dt.date | None, b0: dt.date | None, b1: dt.date | None) -> bool:
    return (a0 is None or b1 is None or a0 <= b1) and (b0 is None or a1 is None or b0 <= a1)


def _families(person: Legislator) -> set[str]:
    names = {fold(person.family_name or "")}
    full = fold(person.name or "")
    if "," in (person.name or ""):
        names.add(fold(person.name.split(",", 1)[0]))
    elif full:
        names.add(full.split(" ", 1)[-1])
    return {n for n in names if n}


def seat_holder(session: Session, rec: LegislatorIn) -> Legislator | None:
    """The stored person `rec` is, found by seat and family name (one candidate, or none)."""
    weak = weak_record(rec)
    family = fold(rec.family_name or (rec.name.split(",", 1)[0] if "," in rec.name else rec.name.split()[-1]))
    if not family:
        return None
    found: dict[int, Legislator] = {}
    for role in rec.roles:
        if not role.district:
            continue
        rows = session.exec(
            select(Legislator, LegislatorRole).join(LegislatorRole, LegislatorRole.legislator_id == Legislator.id)
            .where(LegislatorRole.jurisdiction_id == role.jurisdiction, LegislatorRole.chamber == role.chamber,
                   LegislatorRole.district == role.district)).all()
        for person, held in rows:
            if person.key == rec.key or not _overlap(role.start_date, role.end_date, held.start_date, held.end_date):
                continue
            if family in _families(person):
                found[person.id] = person
    if weak:
        # a seat-name record joins a person keyed by another source (or another seat-name row)
        candidates = list(found.values())
    else:
        # a keyed record takes over only a person known from seat names alone
        candidates = [p for p in found.values() if weak_key(p.key) and _weak_only(session, p.id)]
    return candidates[0] if len(candidates) == 1 else None


def _weak_only(session: Session, legislator_id: int) -> bool:
    schemes = session.exec(select(LegislatorIdentifier.scheme)
                           .where(LegislatorIdentifier.legislator_id == legislator_id)).all()
    return set(schemes) <= WEAK_ID_SCHEMES
