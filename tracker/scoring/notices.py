"""'This vote will be scored' notices (issue 17): staff announce, before its roll call exists, that
a bill's next roll call in a chamber will be scored. The notice is a scored item waiting for its
roll call, public on the scorecard's methodology page with its time, and an alert event
(`scored_vote_notice`) for the coalition's and the bill's followers. When the roll call is
imported, `attach` gives the item its key in the import's transaction and queues it for scoring."""
from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tracker.alerts.events import record_event
from tracker.models import Bill, Coalition, Scorecard, ScoredItem
from tracker.models.base import utcnow
from tracker.scoring.builder import CHAMBERS, FieldError, _preferred, _text, _weight, log

NOTICE_KINDS = ("floor_vote", "committee_vote")


def post(db: Session, card: Scorecard, *, bill_key: str, chamber: str, text: str, kind: str = "floor_vote",
         preferred: str | None = None, weight=1.0, by: str | None = None) -> ScoredItem:
    """Publish a notice now; the item scores nothing until its roll call arrives."""
    bill = db.execute(select(Bill).where(Bill.key == (bill_key or "").strip())).scalars().first()
    if bill is None:
        raise FieldError("bill_key", f"no bill {bill_key!r}")
    if bill.jurisdiction_id != card.jurisdiction_id:
        raise FieldError("bill_key", f"{bill.key} is in {bill.jurisdiction_id}, the scorecard in {card.jurisdiction_id}")
    if chamber not in CHAMBERS:
        raise FieldError("chamber", f"choose one of {', '.join(CHAMBERS)}")
    if kind not in NOTICE_KINDS:
        raise FieldError("kind", f"choose one of {', '.join(NOTICE_KINDS)}")
    text = _text("text", text, required=True, max_len=2000)
    preferred, weight = _preferred(preferred), _weight(weight)
    now = utcnow()
    item = ScoredItem(scorecard_id=card.id, kind=kind, bill_key=bill.key, preferred=preferred,
                      preferred_source="staff" if preferred else "stance", weight=weight,
                      label=f"{bill.identifier}: {bill.title}"[:300], notice_text=text, notice_published_at=now,
                      notice_chamber=chamber, chosen_by=by, session=bill_session(db, bill),
                      slug=f"notice-{bill.key}-{chamber}-{now.strftime('%Y%m%d%H%M%S%f')}"[:200])
    db.add(item)
    db.flush()
    item.position = item.id
    coal = db.get(Coalition, card.coalition_id)
    card.version = (card.version or 0) + 1
    db.add(card)
    log(db, card, "notice", by, item.id, bill_key=bill.key, chamber=chamber, kind=kind, text=text)
    record_event(db, "scored_vote_notice", f"notice:{coal.slug}/{card.slug}:{item.id}",
                 {"title": bill.title, "identifier": bill.identifier, "notice": text, "chamber": chamber,
                  "scorecard": card.title, "published_at": now.isoformat(),
                  "url": f"/c/{coal.slug}/scorecards/{card.slug}/methodology"},
                 bill_key=bill.key, jurisdiction_id=bill.jurisdiction_id, coalition_id=coal.id)
    db.flush()
    return item


def bill_session(db: Session, bill: Bill) -> str | None:
    from tracker.models import LegislativeSession
    row = db.execute(select(LegislativeSession.identifier).where(LegislativeSession.id == bill.session_id)).first()
    return row[0] if row else None


def waiting(db: Session, card: Scorecard) -> list[ScoredItem]:
    """The scorecard's notices still waiting for their roll call."""
    return list(db.execute(select(ScoredItem).where(ScoredItem.scorecard_id == card.id,
                                                    ScoredItem.vote_event_key.is_(None),
                                                    ScoredItem.notice_chamber.is_not(None))
                           .order_by(ScoredItem.id)).scalars())


def attach(session, rec) -> list[tuple[int, int]]:
    """Give a newly imported roll call to the notices waiting for it (same bill and chamber, a
    committee vote to a committee notice, published before the vote); returns (card, item) pairs."""
    if not rec.bill_key or not rec.chamber:
        return []
    kind = "committee_vote" if rec.organization or "committee-passage" in (rec.motion_classification or []) \
        else "floor_vote"
    items = session.execute(select(ScoredItem).where(ScoredItem.vote_event_key.is_(None),
                                                     ScoredItem.bill_key == rec.bill_key,
                                                     ScoredItem.notice_chamber == rec.chamber,
                                                     ScoredItem.kind == kind)
                            .order_by(ScoredItem.id)).scalars().all()
    out = []
    for item in items:
        if item.notice_published_at is not None and item.notice_published_at.date() > rec.date:
            continue  # announced after this vote: it waits for the next one
        taken = session.execute(select(ScoredItem.id).where(ScoredItem.scorecard_id == item.scorecard_id,
                                                            ScoredItem.slug == rec.key)).first()
        item.vote_event_key = rec.key
        if not taken:
            item.slug = rec.key
        session.add(item)
        card = session.get(Scorecard, item.scorecard_id)
        log(session, card, "notice_attached", "import", item.id, vote_event_key=rec.key)
        out.append((item.scorecard_id, item.id))
    if out:
        session.flush()
    return out
