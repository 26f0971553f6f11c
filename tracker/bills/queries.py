"""Read queries shared by the CLI and the API."""
from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.bills import detail
from tracker.models import Bill, BillAction, LegislativeSession, PersonVote, Sponsorship, VoteEvent
from tracker.bills.attribution import bill_credits, credits, legiscan_bills
from tracker.bills.views import (ActionView, BillDetail, BillSummary, PersonVoteView, SponsorView,
                           VoteEventView)


def _summary(bill: Bill, session_identifier: str) -> dict:
    return {**bill.model_dump(), "jurisdiction": bill.jurisdiction_id, "session": session_identifier}


def list_bills(db: Session, *, jurisdiction: str | None = None, session: str | None = None,
               stage: str | None = None, limit: int = 50, offset: int = 0,
               tag_coalition: object = None) -> tuple[int, list[BillSummary]]:
    """Bills matching the filters, most recently active first, and how many match in all."""
    query = select(Bill, LegislativeSession.identifier).join(
        LegislativeSession, Bill.session_id == LegislativeSession.id)
    if jurisdiction:
        query = query.where(Bill.jurisdiction_id == jurisdiction.lower())
    if session:
        query = query.where(LegislativeSession.identifier == session)
    if stage:
        query = query.where(Bill.stage == stage)
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(Bill.latest_action_date.desc().nulls_last(), Bill.key)
                   .limit(limit).offset(offset)).all()
    tags = _tags(db, [b.id for b, _ in rows], tag_coalition)
    credited = legiscan_bills(db, [b.key for b, _ in rows])
    return total, [BillSummary.model_validate({**_summary(b, s), "issue_areas": tags.get(b.id, []),
                                               "attribution": credits(b.key in credited)})
                   for b, s in rows]


def _tags(db: Session, bill_ids: list[int], coalition: object) -> dict:
    # Issue areas (tracker.tagging): None = the default taxonomy's only, so that no coalition's
    # tags leak into public answers; tracker.tagging.views.ALL = every coalition's (the CLI).
    from tracker.tagging.views import tags_for_bills

    return tags_for_bills(db, bill_ids, coalition_id=coalition)


_ACTION_COLUMNS = tuple(getattr(BillAction, name) for name in ActionView.model_fields)
_SPONSOR_COLUMNS = (*(getattr(Sponsorship, name) for name in SponsorView.model_fields
                      if name not in ("legislator_key", "legislator_name")), Sponsorship.legislator_id)


def bill_detail(db: Session, key: str, *, tag_coalition: object = None) -> BillDetail | None:
    """A bill with its actions, sponsors, votes (voters resolved, totals by party), hearings, text
    versions and public positions; None when the key is unknown."""
    row = db.exec(select(Bill, LegislativeSession.identifier).join(
        LegislativeSession, Bill.session_id == LegislativeSession.id).where(Bill.key == key)).first()
    if row is None:
        return None
    bill, session_identifier = row
    # Columns, not ORM objects: a big bill has hundreds of actions and sponsors, and building an
    # entity for each was a third of an uncached bill page (issue 19).
    actions = db.exec(select(*_ACTION_COLUMNS).where(BillAction.bill_id == bill.id)
                      .order_by(BillAction.position)).all()
    sponsors = db.exec(select(*_SPONSOR_COLUMNS).where(Sponsorship.bill_id == bill.id)
                       .order_by(Sponsorship.position)).all()
    events = db.exec(select(VoteEvent).where(VoteEvent.bill_key == key)
                     .order_by(VoteEvent.date, VoteEvent.key)).all()
    person_votes = db.exec(select(PersonVote).where(
        PersonVote.vote_event_id.in_([e.id for e in events]))).all() if events else []
    people = detail.People(db, [r.legislator_id for r in [*sponsors, *person_votes]], bill.jurisdiction_id)
    committees = detail.Committees(db, bill.jurisdiction_id)
    by_event: dict[int, list[PersonVote]] = {}
    for pv in person_votes:
        by_event.setdefault(pv.vote_event_id, []).append(pv)
    votes = []
    for e in events:
        rows = detail.voters(people, e, by_event.get(e.id, []))
        committee = committees.resolve(None, e.organization, e.source_format)[0] \
            if e.organization and detail.is_committee_vote(e) else None
        votes.append(VoteEventView.model_validate({
            **e.model_dump(), "votes": [PersonVoteView.model_validate(v) for v in rows],
            "committee": detail.link(committee), "party_totals": detail.party_totals(rows)}))
    return BillDetail.model_validate({
        **_summary(bill, session_identifier), "issue_areas": _tags(db, [bill.id], tag_coalition).get(bill.id, []),
        "actions": [ActionView.model_validate(a) for a in actions],
        "sponsors": [SponsorView.model_validate({**s._asdict(), "legislator_key": people.key(s.legislator_id),
                                                 "legislator_name": people.name(s.legislator_id)})
                     for s in sponsors],
        "votes": votes,
        "hearings": detail.hearings(db, key, committees),
        "text_versions": detail.text_versions(db, bill.id, bill.versions),
        "positions": detail.public_positions(db, key),
        "attribution": bill_credits(db, key, [e.key for e in events]),
    })
