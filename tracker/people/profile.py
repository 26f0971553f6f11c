"""One legislator's page: who they are, seats over time, contact, committees, and their record
on education (`tracker.people.record`). Addresses by stable key; other ids resolve to it."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urlsplit

from sqlmodel import Session, select

from tracker.jurisdictions import clock
from tracker.models import Committee, CommitteeMembership, Legislator, LegislatorIdentifier, LegislatorRole
from tracker.people import record
from tracker.people.names import is_education_committee
from tracker.people.directory import is_current, role_view
from tracker.people.views import (CommitteeSeat, Contact, ExternalLink, LegislatorProfile, Link, Office,
                                  Photo)
from tracker.vocab import ID_SCHEMES

# Ids a bare value in an address may be ("/legislators/W000187"); numbers of different schemes
# can collide, and then the address names nobody.
BARE_ID_SCHEMES = ("bioguide", "lis", "govtrack", "ocd-person", "legiscan", "ny-member", "votesmart",
                   "wikidata", "congress-gov", "thomas", "icpsr")
# Where else a person is described, by id scheme (links only: pages never fetch from these).
ID_LINKS = {
    "bioguide": "https://bioguide.congress.gov/search/bio/{}",
    "govtrack": "https://www.govtrack.us/congress/members/{}",
    "opensecrets": "https://www.opensecrets.org/members-of-congress/summary?cid={}",
    "votesmart": "https://justfacts.votesmart.org/candidate/biography/{}",
    "ballotpedia": "https://ballotpedia.org/{}",
    "wikidata": "https://www.wikidata.org/wiki/{}",
}
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")


def resolve(db: Session, ref: str) -> Legislator | None:
    """The legislator a reference names: the stored key, `scheme:value`, an Open States
    `ocd-person/…` id, or a bare id of one person (W000187); None when unknown or ambiguous."""
    ref = ref.strip()
    found = db.exec(select(Legislator).where(Legislator.key == ref)).first()
    if found is not None or not ref:
        return found
    scheme, sep, value = ref.partition(":")
    if sep and scheme in ID_SCHEMES:
        pairs = [(scheme, value)]
    elif ref.startswith("ocd-person/"):
        pairs = [("ocd-person", ref)]
    else:
        pairs = [(s, v) for s in BARE_ID_SCHEMES for v in {ref, ref.upper()}]
    owners = set()
    for s, v in pairs:
        owners.update(db.exec(select(LegislatorIdentifier.legislator_id).where(
            LegislatorIdentifier.scheme == s, LegislatorIdentifier.value == v)).all())
    return db.get(Legislator, owners.pop()) if len(owners) == 1 else None


def _web(url) -> str | None:
    """A link a page may show: http(s) only (a source could carry `javascript:`)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def contact(extras: dict) -> Contact:
    """Email, offices and links the sources gave (`extras["contact"]`, `extras["email"]`)."""
    block = extras.get("contact") if isinstance(extras.get("contact"), dict) else {}
    email = extras.get("email") if isinstance(extras.get("email"), str) else None
    offices = [Office(**{k: str(o[k]) for k in ("kind", "name", "address", "voice", "fax") if o.get(k)})
               for o in block.get("offices") or [] if isinstance(o, dict)]
    links = [Link(url=url, note=str(link.get("note")) if link.get("note") else None)
             for link in block.get("links") or [] if isinstance(link, dict) and (url := _web(link.get("url")))]
    return Contact(email=email if email and _EMAIL.fullmatch(email.strip()) else None,
                   offices=offices, links=links)


def photo(image: str | None) -> Photo | None:
    url = _web(image)
    return Photo(url=url, host=urlsplit(url).hostname or "") if url else None


def elsewhere(ids: dict[str, list[str]]) -> list[ExternalLink]:
    out = []
    for scheme, pattern in ID_LINKS.items():
        for value in ids.get(scheme, [])[:1]:
            shown = value.replace(" ", "_") if scheme == "ballotpedia" else value
            out.append(ExternalLink(scheme=scheme, value=value, url=pattern.format(quote(shown, safe=""))))
    return out


def committee_seats(db: Session, legislator_id: int, day: dt.date) -> list[CommitteeSeat]:
    """Committees the legislator sits on now, education committees first."""
    rows = db.exec(select(CommitteeMembership, Committee).join(Committee, Committee.id == CommitteeMembership.committee_id)
                   .where(CommitteeMembership.legislator_id == legislator_id)).all()
    seats = [CommitteeSeat(key=c.key, name=c.name, jurisdiction=c.jurisdiction_id, chamber=c.chamber,
                           classification=c.classification, parent_key=c.parent_key, role=m.role,
                           education=is_education_committee(c.name))
             for m, c in rows if m.end_date is None or m.end_date >= day]
    return sorted(seats, key=lambda s: (not s.education, s.jurisdiction != "us", s.jurisdiction,
                                        s.parent_key is not None, s.name.casefold()))


def legislator_profile(db: Session, person: Legislator, *, on: dt.date | None = None,
                       bills: tuple[int, int] = (25, 0), votes: tuple[int, int] = (25, 0)) -> LegislatorProfile:
    """Everything the legislator page and `/api/legislators/{key}` show; `bills` and `votes` are
    (limit, offset) of the sponsored bills and the votes."""
    day = on or clock.today()
    roles = db.exec(select(LegislatorRole).where(LegislatorRole.legislator_id == person.id)).all()
    views = sorted((role_view(r, day) for r in roles),
                   key=lambda r: (r.current, r.start_date or dt.date.min, r.end_date or dt.date.max), reverse=True)
    current = [r for r in views if r.current]
    ids: dict[str, list[str]] = {}
    for scheme, value in db.exec(select(LegislatorIdentifier.scheme, LegislatorIdentifier.value)
                                 .where(LegislatorIdentifier.legislator_id == person.id)
                                 .order_by(LegislatorIdentifier.scheme, LegislatorIdentifier.value)).all():
        ids.setdefault(scheme, []).append(value)
    return LegislatorProfile(
        key=person.key, name=person.name, given_name=person.given_name, family_name=person.family_name,
        party=(current[0].party if current and current[0].party else person.party),
        current=any(is_current(r, day) for r in roles), current_roles=current, roles=views,
        photo=photo(person.image), contact=contact(person.extras or {}), ids=ids, elsewhere=elsewhere(ids),
        committees=committee_seats(db, person.id, day),
        sponsored=record.sponsored(db, person.id, limit=bills[0], offset=bills[1]),
        votes=record.votes(db, person.id, limit=votes[0], offset=votes[1]),
        grades=record.grades(db, person.id, person.key),
        source_url=_web(person.source_url), source_format=person.source_format)
