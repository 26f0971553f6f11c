"""Bill search: full text (SQLite FTS5 / PostgreSQL tsvector) with filters, sorting and pages."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Float, Integer, func, or_, select, text
from sqlmodel import Session

from tracker.models import (Bill, BillSearchDoc, BillTag, IssueArea, LegislativeSession, Legislator,
                            Position, Sponsorship)
from tracker.search.ddl import FTS_TABLE, PG_TSVECTOR
from tracker.views import BillSummary

SORTS = ("relevance", "latest", "introduced", "key")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchParams:
    """Everything a search can ask; also what a saved search stores (`as_dict`)."""

    q: str | None = None
    jurisdiction: str | None = None
    session: str | None = None
    stage: str | None = None
    issue_area: str | None = None
    stance: str | None = None
    sponsor: str | None = None
    committee: str | None = None
    updated_since: dt.date | None = None
    sort: str = "relevance"
    limit: int = 25
    offset: int = 0

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.__dict__.items()
                if v not in (None, "") and k not in ("limit", "offset")}


def _fts_query(q: str) -> str:
    # User text becomes a conjunction of quoted tokens, so FTS5 operators typed by users are inert.
    return " ".join(f'"{w}"' for w in _WORD.findall(q))


def _match_subquery(db: Session, q: str):
    if db.get_bind().dialect.name == "postgresql":
        sql = (f"SELECT bill_id, -ts_rank({PG_TSVECTOR}, websearch_to_tsquery('english', :q)) AS rank "
               f"FROM bill_search_doc WHERE ({PG_TSVECTOR}) @@ websearch_to_tsquery('english', :q)")
        params = {"q": q}
    else:
        # bm25 weights follow the columns: title, summary, subjects, actions.
        sql = (f"SELECT rowid AS bill_id, bm25({FTS_TABLE}, 4.0, 1.0, 2.0, 0.5) AS rank "
               f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q")
        params = {"q": _fts_query(q)}
    return text(sql).bindparams(**params).columns(bill_id=Integer, rank=Float).subquery("fts")


def search_bills(db: Session, p: SearchParams, *, coalition_id: int | None = None,
                 public_only: bool = True, tag_statuses: tuple[str, ...] = ("suggested", "confirmed"),
                 ) -> tuple[int, list[BillSummary]]:
    """Bills matching `p`; issue-area and stance filters use the coalition's tags and positions
    (the default taxonomy when `coalition_id` is None; private positions only if not public_only)."""
    query = select(Bill, LegislativeSession.identifier).join(
        LegislativeSession, Bill.session_id == LegislativeSession.id)
    rank = None
    if p.q and _WORD.search(p.q):
        fts = _match_subquery(db, p.q)
        query = query.join(fts, fts.c.bill_id == Bill.id)
        rank = fts.c.rank
    if p.jurisdiction:
        query = query.where(Bill.jurisdiction_id == p.jurisdiction.lower())
    if p.session:
        query = query.where(LegislativeSession.identifier == p.session)
    if p.stage:
        query = query.where(Bill.stage == p.stage)
    if p.updated_since:
        query = query.where(Bill.latest_action_date >= p.updated_since)
    if p.issue_area:
        scope = (BillTag.coalition_id.is_(None) if coalition_id is None else BillTag.coalition_id == coalition_id)
        query = query.where(Bill.id.in_(
            select(BillTag.bill_id).join(IssueArea, BillTag.issue_area_id == IssueArea.id)
            .where(scope, IssueArea.slug == p.issue_area, BillTag.status.in_(tag_statuses))))
    if p.stance:
        if coalition_id is None:
            query = query.where(False)
        else:
            pos = select(Position.bill_key).where(Position.coalition_id == coalition_id,
                                                  Position.stance == p.stance)
            if public_only:
                pos = pos.where(Position.public.is_(True))
            query = query.where(Bill.key.in_(pos))
    if p.sponsor:
        like = f"%{p.sponsor.lower()}%"
        query = query.where(Bill.id.in_(
            select(Sponsorship.bill_id).outerjoin(Legislator, Sponsorship.legislator_id == Legislator.id)
            .where(or_(func.lower(Sponsorship.name).like(like), Legislator.key == p.sponsor,
                       func.lower(Legislator.name).like(like)))))
    if p.committee:
        query = query.where(Bill.id.in_(select(BillSearchDoc.bill_id).where(
            func.lower(BillSearchDoc.committees).like(f"%{p.committee.lower()}%"))))
    total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    order = {
        "latest": [Bill.latest_action_date.desc().nulls_last(), Bill.key],
        "introduced": [Bill.introduced_date.desc().nulls_last(), Bill.key],
        "key": [Bill.key],
    }.get(p.sort) or ([rank, Bill.key] if rank is not None
                      else [Bill.latest_action_date.desc().nulls_last(), Bill.key])
    rows = db.execute(query.order_by(*order).limit(p.limit).offset(p.offset)).all()
    from tracker.tagging.views import tags_for_bills

    tags = tags_for_bills(db, [b.id for b, _ in rows], coalition_id=coalition_id, statuses=tag_statuses)
    return total, [BillSummary.model_validate({**b.model_dump(), "jurisdiction": b.jurisdiction_id,
                                               "session": s, "issue_areas": tags.get(b.id, [])})
                   for b, s in rows]
