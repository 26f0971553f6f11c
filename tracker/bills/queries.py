"""Read queries shared by the CLI and the API."""
from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import (Bill, BillAction, LegislativeSession, Legislator, PersonVote,
                            Sponsorship, VoteEvent)
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


def _legislator_keys(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.exec(select(Legislator.id, Legislator.key).where(Legislator.id.in_(ids))).all())


def bill_detail(db: Session, key: str, *, tag_coalition: object = None) -> BillDetail | None:
    """A bill with its actions, sponsors and votes; None when the key is unknown."""
    row = db.exec(select(Bill, LegislativeSession.identifier).join(
        LegislativeSession, Bill.session_id == LegislativeSession.id).where(Bill.key == key)).first()
    if row is None:
        return None
    bill, session_identifier = row
    actions = db.exec(select(BillAction).where(BillAction.bill_id == bill.id)
                      .order_by(BillAction.position)).all()
    sponsors = db.exec(select(Sponsorship).where(Sponsorship.bill_id == bill.id)
                       .order_by(Sponsorship.position)).all()
    events = db.exec(select(VoteEvent).where(VoteEvent.bill_key == key)
                     .order_by(VoteEvent.date, VoteEvent.key)).all()
    person_votes = db.exec(select(PersonVote).where(
        PersonVote.vote_event_id.in_([e.id for e in events]))).all() if events else []
    keys = _legislator_keys(db, {r.legislator_id for r in [*sponsors, *person_votes] if r.legislator_id})
    by_event: dict[int, list[PersonVoteView]] = {}
    for pv in person_votes:
        by_event.setdefault(pv.vote_event_id, []).append(PersonVoteView.model_validate(
            {**pv.model_dump(), "legislator_key": keys.get(pv.legislator_id)}))
    return BillDetail.model_validate({
        **_summary(bill, session_identifier), "issue_areas": _tags(db, [bill.id], tag_coalition).get(bill.id, []),
        "actions": [ActionView.model_validate(a) for a in actions],
        "sponsors": [SponsorView.model_validate({**s.model_dump(),
                                                 "legislator_key": keys.get(s.legislator_id)})
                     for s in sponsors],
        "votes": [VoteEventView.model_validate({**e.model_dump(), "votes": sorted(
            by_event.get(e.id, []), key=lambda v: v.voter_name)}) for e in events],
        "attribution": bill_credits(db, key, [e.key for e in events]),
    })
