"""Committees: the list by jurisdiction and chamber (education committees first), and one
committee with its members and their roles, its hearings and the bills referred to it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_
from sqlmodel import Session, select

from tracker.jurisdictions import clock
from tracker.models import (Bill, Committee, CommitteeMembership, Hearing, HearingBill, LegislativeSession,
                            Legislator, LegislatorRole)
from tracker.people.directory import CHAMBERS, is_current, state_of
from tracker.people.names import chamber_in, is_education_committee, name_key
from tracker.people.record import bill_ref
from tracker.people.referrals import referrals
from tracker.people.views import (BillRef, CommitteeDetail, CommitteeItem, CommitteePage, HearingView, Member,
                                  ReferredBill, ReferredPage)

# Roles in the order a committee lists its members; other roles come after, as printed.
ROLE_ORDER = ("chair", "chairman", "chairwoman", "chairperson", "co-chair", "cochair", "vice chair",
              "vice-chair", "vice chairman", "vice chairwoman", "ranking member", "ranking minority member",
              "minority vice chair", "member", "ex officio", "ex-officio")
# Sources whose hearings are all of one chamber (the NY Senate's OpenLegislation agendas).
SOURCE_CHAMBER = {"ny-openleg": "upper"}
HEARINGS_SHOWN = 50


def role_rank(role: str | None) -> int:
    r = (role or "member").strip().lower()
    return ROLE_ORDER.index(r) if r in ROLE_ORDER else len(ROLE_ORDER)


def _chamber_rank(chamber: str | None) -> int:
    return CHAMBERS.index(chamber) if chamber in CHAMBERS else len(CHAMBERS)


def _item(c: Committee, members: int = 0) -> CommitteeItem:
    return CommitteeItem(key=c.key, name=c.name, jurisdiction=c.jurisdiction_id, chamber=c.chamber,
                         classification=c.classification, parent_key=c.parent_key, members=members,
                         education=is_education_committee(c.name))


def _member_counts(db: Session, ids: list[int], day: dt.date) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.exec(select(CommitteeMembership.committee_id, func.count(func.distinct(CommitteeMembership.legislator_id)))
                        .where(CommitteeMembership.committee_id.in_(ids),
                               or_(CommitteeMembership.end_date.is_(None), CommitteeMembership.end_date >= day))
                        .group_by(CommitteeMembership.committee_id)).all())


def list_committees(db: Session, *, jurisdiction: str | None = None, chamber: str | None = None,
                    name: str | None = None, education: bool = False, on: dt.date | None = None,
                    limit: int | None = None, offset: int = 0) -> CommitteePage:
    """Committees by jurisdiction (Congress first) and chamber; in each, education committees
    first, each followed by its subcommittees."""
    day = on or clock.today()
    query = select(Committee)
    if jurisdiction:
        query = query.where(Committee.jurisdiction_id == jurisdiction)
    if chamber:
        query = query.where(Committee.chamber == chamber)
    for word in (name or "").lower().split():
        query = query.where(func.lower(Committee.name).contains(word, autoescape=True))
    rows = [c for c in db.exec(query).all() if not education or is_education_committee(c.name)]
    counts = _member_counts(db, [c.id for c in rows], day)
    items = [_item(c, counts.get(c.id, 0)) for c in rows]
    parents = {i.key: i for i in items}

    def order(i: CommitteeItem):
        top = parents.get(i.parent_key) if i.parent_key else None
        head = top or i
        return (head.jurisdiction != "us", head.jurisdiction, _chamber_rank(head.chamber), not head.education,
                head.name.casefold(), head.key, top is not None, i.name.casefold())
    items.sort(key=order)
    page = items[offset:offset + limit] if limit is not None else items[offset:]
    return CommitteePage(total=len(items), limit=limit if limit is not None else len(items), offset=offset,
                         items=page)


def find_committee(db: Session, key: str) -> Committee | None:
    """A committee by key (`us-SSHR`, `ocd-organization/…`), or a federal one by thomas id (SSHR)."""
    found = db.exec(select(Committee).where(Committee.key == key)).first()
    if found is None and key and "-" not in key and "/" not in key:
        found = db.exec(select(Committee).where(Committee.key == f"us-{key.upper()}")).first()
    return found


def members(db: Session, committee: Committee, day: dt.date) -> list[Member]:
    """Current members, chair first, with party and seat in the committee's legislature."""
    rows = db.exec(select(CommitteeMembership, Legislator)
                   .join(Legislator, Legislator.id == CommitteeMembership.legislator_id)
                   .where(CommitteeMembership.committee_id == committee.id,
                          or_(CommitteeMembership.end_date.is_(None), CommitteeMembership.end_date >= day))).all()
    seats: dict[int, LegislatorRole] = {}
    if rows:
        for role in db.exec(select(LegislatorRole).where(
                LegislatorRole.legislator_id.in_({p.id for _, p in rows}),
                LegislatorRole.jurisdiction_id == committee.jurisdiction_id)).all():
            held = seats.get(role.legislator_id)
            if held is None or (is_current(role, day), role.start_date or dt.date.min) > (
                    is_current(held, day), held.start_date or dt.date.min):
                seats[role.legislator_id] = role
    out = []
    for m, p in rows:
        seat = seats.get(p.id)
        out.append(Member(key=p.key, name=p.name, role=m.role, party=(seat.party if seat else None) or p.party,
                          district=seat.district if seat else None,
                          state=state_of(seat.division_id) if seat and committee.jurisdiction_id == "us" else None,
                          start_date=m.start_date, end_date=m.end_date))
    return sorted(out, key=lambda m: (role_rank(m.role), (m.name or "").casefold()))


def _refs(db: Session, keys: set[str]) -> dict[str, BillRef]:
    if not keys:
        return {}
    return {b.key: BillRef(**bill_ref(b, s)) for b, s in db.exec(
        select(Bill, LegislativeSession.identifier).join(LegislativeSession, LegislativeSession.id == Bill.session_id)
        .where(Bill.key.in_(sorted(keys)))).all()}


def hearings(db: Session, committee: Committee) -> list[HearingView]:
    """The committee's hearings, newest first: those filed under its key, and those a source
    names it in (same name, and the same chamber when the name or the source says one)."""
    key = name_key(committee.name)
    word = max(key.split(), key=len) if key else None
    query = select(Hearing).where(or_(
        Hearing.committee_key == committee.key,
        (Hearing.jurisdiction_id == committee.jurisdiction_id) & Hearing.committee_key.is_(None)
        & func.lower(func.coalesce(Hearing.committee_name, "")).contains(word or "\x00", autoescape=True)))
    found = []
    for h in db.exec(query).all():
        if h.committee_key != committee.key:
            chamber = chamber_in(h.committee_name) or SOURCE_CHAMBER.get(h.source_format or "")
            if name_key(h.committee_name) != key or (committee.chamber in ("upper", "lower")
                                                     and chamber not in (None, committee.chamber)):
                continue
        found.append(h)
    found.sort(key=lambda h: (h.start is not None, h.start or dt.datetime.min), reverse=True)
    found = found[:HEARINGS_SHOWN]
    agenda: dict[int, list[str]] = {}
    if found:
        for hb in db.exec(select(HearingBill).where(HearingBill.hearing_id.in_([h.id for h in found]))
                          .order_by(HearingBill.position)).all():
            agenda.setdefault(hb.hearing_id, []).append(hb.bill_key)
    refs = _refs(db, {k for keys in agenda.values() for k in keys})
    return [HearingView(key=h.key, start=h.start, location=h.location, description=h.description,
                        status=h.status, links=[u for u in h.links or [] if isinstance(u, str) and u.startswith(("http://", "https://"))],
                        bill_keys=agenda.get(h.id, []),
                        bills=[refs[k] for k in agenda.get(h.id, []) if k in refs]) for h in found]


def referred(db: Session, committee: Committee, *, limit: int = 25, offset: int = 0) -> ReferredPage:
    """Bills referred to the committee, most recently referred first."""
    dates = referrals(db, committee)
    ordered = sorted(dates.items(), key=lambda kv: (kv[1] is not None, kv[1] or dt.date.min, kv[0]), reverse=True)
    total = len(ordered)
    page = ordered[offset:offset + limit]
    bills = {b.id: (b, s) for b, s in db.exec(
        select(Bill, LegislativeSession.identifier).join(LegislativeSession, LegislativeSession.id == Bill.session_id)
        .where(Bill.id.in_([i for i, _ in page]))).all()} if page else {}
    items = [ReferredBill(**bill_ref(*bills[i]), referred_on=d) for i, d in page if i in bills]
    return ReferredPage(total=total, limit=limit, offset=offset, items=items)


def committee_detail(db: Session, committee: Committee, *, on: dt.date | None = None,
                     bills: tuple[int, int] = (25, 0)) -> CommitteeDetail:
    """Everything the committee page and `/api/committees/{key}` show."""
    day = on or clock.today()
    parent = find_committee(db, committee.parent_key) if committee.parent_key else None
    subs = db.exec(select(Committee).where(Committee.parent_key == committee.key)).all()
    counts = _member_counts(db, [c.id for c in [committee, *subs]], day)
    people = members(db, committee, day)
    return CommitteeDetail(
        **_item(committee, counts.get(committee.id, 0)).model_dump(),
        url=committee.url if (committee.url or "").startswith(("http://", "https://")) else None,
        parent=_item(parent) if parent else None,
        subcommittees=sorted((_item(c, counts.get(c.id, 0)) for c in subs), key=lambda c: c.name.casefold()),
        member_list=people, hearings=hearings(db, committee),
        referred=referred(db, committee, limit=bills[0], offset=bills[1]),
        source_url=committee.source_url)
