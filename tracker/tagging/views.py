"""Reading tags for display: a bill's issue areas with status, score and explanation."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import BillTag, Coalition, IssueArea
from tracker.bills.views import TagView

ALL = object()   # sentinel: tags of the defaults and of every coalition (operator views, CLI)


def tags_for_bills(session: Session, bill_ids: list[int], *, coalition_id: int | None | object = ALL,
                   statuses: tuple[str, ...] = ("suggested", "confirmed", "rejected"),
                   ) -> dict[int, list[TagView]]:
    """Issue areas of each bill; `coalition_id` None means the default taxonomy only."""
    if not bill_ids:
        return {}
    query = (select(BillTag, IssueArea.slug, IssueArea.name, Coalition.slug)
             .join(IssueArea, BillTag.issue_area_id == IssueArea.id)
             .outerjoin(Coalition, BillTag.coalition_id == Coalition.id)
             .where(BillTag.bill_id.in_(bill_ids)))
    # Only bill_id may drive the lookup: without ANALYZE statistics SQLite picks the (unselective)
    # status or coalition index and scans every tag (150 ms instead of 5 for a page of 25 bills
    # among 100,000), so those two conditions are kept out of index reach.
    if coalition_id is None:
        query = query.where(func.coalesce(BillTag.coalition_id, 0) == 0)
    elif coalition_id is not ALL:
        query = query.where(func.coalesce(BillTag.coalition_id, 0) == coalition_id)
    wanted = set(statuses)
    out: dict[int, list[TagView]] = {}
    for tag, slug, name, coalition in session.execute(
            query.order_by(BillTag.bill_id, BillTag.score.desc(), IssueArea.slug)):
        if tag.status not in wanted:
            continue
        out.setdefault(tag.bill_id, []).append(TagView(
            slug=slug, name=name, coalition=coalition, status=tag.status, score=tag.score,
            explanation=tag.explanation or []))
    return out
