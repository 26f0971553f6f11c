"""Reading tags for display: a bill's issue areas with status, score and explanation."""
from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import BillTag, Coalition, IssueArea
from tracker.views import TagView

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
             .where(BillTag.bill_id.in_(bill_ids), BillTag.status.in_(statuses)))
    if coalition_id is None:
        query = query.where(BillTag.coalition_id.is_(None))
    elif coalition_id is not ALL:
        query = query.where(BillTag.coalition_id == coalition_id)
    out: dict[int, list[TagView]] = {}
    for tag, slug, name, coalition in session.execute(
            query.order_by(BillTag.bill_id, BillTag.score.desc(), IssueArea.slug)):
        out.setdefault(tag.bill_id, []).append(TagView(
            slug=slug, name=name, coalition=coalition, status=tag.status, score=tag.score,
            explanation=tag.explanation or []))
    return out
