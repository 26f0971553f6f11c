"""A legislator's record on education: bills sponsored and cosponsored, votes on education bills
with the coalitions' public positions beside them, and grades on published scorecards.

An education bill is a bill with an issue area that was not rejected: every taxonomy here (the
default one and each coalition's) is a taxonomy of education issues. Which areas, and whose, is
not shown: a coalition's unconfirmed tags stay its own.
"""
from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import exists, func
from sqlmodel import Session, select

from tracker.models import (Bill, BillTag, Coalition, LegislativeSession, PersonVote, Position, ScoreSummary,
                            Scorecard, Sponsorship, VoteEvent)
from tracker.people.views import (BillRef, CoalitionPosition, EducationVote, Grade, SponsoredBill,
                                  SponsoredPage, VotePage)


def key_path(key: str) -> str:
    """A stored key as a URL path segment (keys may hold `/`, `|` or spaces)."""
    return quote(key, safe=":/@")


def education_bill(bill_id=Bill.id):
    """SQL condition: the bill (`bill_id` column) is an education bill."""
    return exists(select(BillTag.id).where(BillTag.bill_id == bill_id, BillTag.status != "rejected"))


def bill_ref(bill: Bill, session: str) -> dict:
    return {"key": bill.key, "jurisdiction": bill.jurisdiction_id, "session": session,
            "identifier": bill.identifier, "title": bill.title, "stage": bill.stage,
            "introduced_date": bill.introduced_date, "latest_action_date": bill.latest_action_date}


def sponsored(db: Session, legislator_id: int, *, limit: int = 25, offset: int = 0) -> SponsoredPage:
    """Education bills the legislator sponsored or cosponsored, newest first."""
    query = (select(Sponsorship, Bill, LegislativeSession.identifier)
             .join(Bill, Bill.id == Sponsorship.bill_id)
             .join(LegislativeSession, LegislativeSession.id == Bill.session_id)
             .where(Sponsorship.legislator_id == legislator_id, education_bill()))
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    primary = db.exec(select(func.count()).select_from(
        query.where(Sponsorship.primary.is_(True)).subquery())).one()
    rows = db.exec(query.order_by(func.coalesce(Bill.introduced_date, Bill.latest_action_date).desc().nulls_last(),
                                  Bill.key).limit(limit).offset(offset)).all()
    items = [SponsoredBill(**bill_ref(b, s), primary=sp.primary, classification=sp.classification,
                           withdrawn_date=sp.withdrawn_date) for sp, b, s in rows]
    return SponsoredPage(total=total, primary=primary, limit=limit, offset=offset, items=items)


def public_positions(db: Session, bill_keys: set[str]) -> dict[str, list[CoalitionPosition]]:
    """Coalitions' positions on these bills that the coalition made public; never a private one."""
    if not bill_keys:
        return {}
    out: dict[str, list[CoalitionPosition]] = {}
    for pos, slug, name in db.exec(select(Position, Coalition.slug, Coalition.name)
                                   .join(Coalition, Coalition.id == Position.coalition_id)
                                   .where(Position.bill_key.in_(sorted(bill_keys)),
                                          Position.public.is_(True))
                                   .order_by(Coalition.name)).all():
        if pos.public is not True:   # belt and braces: the page must never show a private stance
            continue
        out.setdefault(pos.bill_key, []).append(CoalitionPosition(coalition=slug, coalition_name=name,
                                                                  stance=pos.stance))
    return out


def votes(db: Session, legislator_id: int, *, limit: int = 25, offset: int = 0) -> VotePage:
    """The legislator's recorded votes on education bills, newest first, with public positions."""
    query = (select(PersonVote, VoteEvent, Bill, LegislativeSession.identifier)
             .join(VoteEvent, VoteEvent.id == PersonVote.vote_event_id)
             .join(Bill, Bill.key == VoteEvent.bill_key)
             .join(LegislativeSession, LegislativeSession.id == Bill.session_id)
             .where(PersonVote.legislator_id == legislator_id, education_bill()))
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(VoteEvent.date.desc(), VoteEvent.key.desc()).limit(limit).offset(offset)).all()
    positions = public_positions(db, {b.key for _, _, b, _ in rows})
    items = [EducationVote(vote_event_key=ev.key, date=ev.date, chamber=ev.chamber, organization=ev.organization,
                           motion=ev.motion_text, option=pv.option, result=ev.result, source_url=ev.source_url,
                           bill=BillRef(**bill_ref(b, s)), positions=positions.get(b.key, []))
             for pv, ev, b, s in rows]
    return VotePage(total=total, limit=limit, offset=offset, items=items)


def grades(db: Session, legislator_id: int, legislator_key: str) -> list[Grade]:
    """The legislator's grade on every published scorecard (the scorecard's default session)."""
    from tracker.scoring.views import default_session

    rows = db.exec(select(ScoreSummary, Scorecard, Coalition)
                   .join(Scorecard, Scorecard.id == ScoreSummary.scorecard_id)
                   .join(Coalition, Coalition.id == Scorecard.coalition_id)
                   .where(ScoreSummary.legislator_id == legislator_id, Scorecard.published_at.is_not(None))
                   ).all()
    by_card: dict[int, tuple] = {}
    for summary, card, co in rows:
        wanted = default_session(card)
        held = by_card.get(card.id)
        # the default session's summary; without one, the latest session the legislator has
        if held is None or (held[0].session != wanted and (summary.session == wanted or summary.session > held[0].session)):
            by_card[card.id] = (summary, card, co)
    out = []
    for summary, card, co in sorted(by_card.values(), key=lambda r: (r[2].name, r[1].title)):
        out.append(Grade(coalition=co.slug, coalition_name=co.name, scorecard=card.slug, title=card.title,
                         jurisdiction=card.jurisdiction_id, session=summary.session, score=summary.score,
                         grade=summary.grade,
                         path=f"/c/{co.slug}/scorecards/{card.slug}/legislators/{key_path(legislator_key)}"))
    return out
