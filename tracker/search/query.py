"""Bill search: full text (SQLite FTS5 / PostgreSQL tsvector) with filters, sorting and pages."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Float, Integer, false, func, or_, select, text
from sqlmodel import Session

from tracker.models import (Bill, BillSearchDoc, BillTag, IssueArea, LegislativeSession, Legislator,
                            Position, Sponsorship)
from tracker.search.ddl import FTS_TABLE, PG_TSV_COLUMN
from tracker.bills.attribution import credits, legiscan_bills
from tracker.bills.views import BillSummary

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


COUNT_CAP = 1000   # filtered full-text searches count at most this many matches (then "more than")


@dataclass
class SearchPage:
    """One page of results; `total_is_estimate` means "at least `total`" (the count was capped)."""

    total: int
    items: list[BillSummary]
    total_is_estimate: bool = False


def _match(db: Session, q: str, *, top: int | None = None, offset: int = 0):
    """Matching bill ids with a rank (lower is better); with `top`, only the best `top` after
    `offset`, ranked inside the full-text engine (ties by bill id)."""
    if db.get_bind().dialect.name == "postgresql":
        sql = (f"SELECT bill_id, -ts_rank({PG_TSV_COLUMN}, websearch_to_tsquery('english', :q)) AS rank "
               f"FROM bill_search_doc WHERE {PG_TSV_COLUMN} @@ websearch_to_tsquery('english', :q)")
        params = {"q": q}
        order = " ORDER BY rank, bill_id"
    else:
        # bm25 weights follow the columns: title, summary, subjects, actions.
        sql = (f"SELECT rowid AS bill_id, bm25({FTS_TABLE}, 4.0, 1.0, 2.0, 0.5) AS rank "
               f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q")
        params = {"q": _fts_query(q)}
        order = " ORDER BY rank, rowid"
    if top is not None:
        # Sorting only (id, rank) pairs inside the engine, then joining 25 bills, instead of
        # carrying every matching bill row through the sort (profiled: 3x faster for "school").
        sql += f"{order} LIMIT :top OFFSET :off"
        params.update(top=top, off=offset)
    return text(sql).bindparams(**params).columns(bill_id=Integer, rank=Float).subquery("fts")


def _count_matches(db: Session, q: str) -> int:
    # Every search document belongs to a stored bill with a session, so without other filters
    # the engine's own count is the exact total (FTS5 counts from its index, no bm25).
    if db.get_bind().dialect.name == "postgresql":
        sql = (f"SELECT count(*) FROM bill_search_doc "
               f"WHERE {PG_TSV_COLUMN} @@ websearch_to_tsquery('english', :q)")
        return db.execute(text(sql), {"q": q}).scalar_one()
    return db.execute(text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"),
                      {"q": _fts_query(q)}).scalar_one()


def _conditions(p: SearchParams, coalition_id: int | None, public_only: bool,
                tag_statuses: tuple[str, ...]) -> list:
    conds: list = []
    if p.jurisdiction:
        conds.append(Bill.jurisdiction_id == p.jurisdiction.lower())
    if p.session:
        # "ky:2025" names one jurisdiction's session; a bare "2025" matches it in every jurisdiction.
        where, _, ident = p.session.rpartition(":")
        sessions = select(LegislativeSession.id).where(LegislativeSession.identifier == ident)
        if where:
            sessions = sessions.where(LegislativeSession.jurisdiction_id == where.lower())
        conds.append(Bill.session_id.in_(sessions))
    if p.stage:
        conds.append(Bill.stage == p.stage)
    if p.updated_since:
        conds.append(Bill.latest_action_date >= p.updated_since)
    if p.issue_area:
        # A tag's coalition is its area's, so the area (one row) picks the tags by issue_area_id;
        # lower(status) keeps SQLite (no ANALYZE statistics) off the unselective status index.
        scope = (IssueArea.coalition_id.is_(None) if coalition_id is None else IssueArea.coalition_id == coalition_id)
        area = select(IssueArea.id).where(scope, IssueArea.slug == p.issue_area)
        conds.append(Bill.id.in_(select(BillTag.bill_id).where(
            BillTag.issue_area_id.in_(area), func.lower(BillTag.status).in_(tag_statuses))))
    if p.stance:
        if coalition_id is None:
            conds.append(false())
        else:
            pos = select(Position.bill_key).where(Position.coalition_id == coalition_id,
                                                  Position.stance == p.stance)
            if public_only:
                pos = pos.where(Position.public.is_(True))
            conds.append(Bill.key.in_(pos))
    if p.sponsor:
        like = f"%{p.sponsor.lower()}%"
        conds.append(Bill.id.in_(
            select(Sponsorship.bill_id).outerjoin(Legislator, Sponsorship.legislator_id == Legislator.id)
            .where(or_(func.lower(Sponsorship.name).like(like), Legislator.key == p.sponsor,
                       func.lower(Legislator.name).like(like)))))
    if p.committee:
        conds.append(Bill.id.in_(select(BillSearchDoc.bill_id).where(
            func.lower(BillSearchDoc.committees).like(f"%{p.committee.lower()}%"))))
    return conds


def search_page(db: Session, p: SearchParams, *, coalition_id: int | None = None,
                public_only: bool = True, tag_statuses: tuple[str, ...] = ("suggested", "confirmed"),
                ) -> SearchPage:
    """Bills matching `p`; issue-area and stance filters use the coalition's tags and positions
    (the default taxonomy when `coalition_id` is None; private positions only if not public_only).

    Relevance ties go by bill id. Words plus other filters count at most COUNT_CAP matches (or
    just past the requested page), so a common word does not count 30,000 joined rows per page.
    """
    conds = _conditions(p, coalition_id, public_only, tag_statuses)
    words = bool(p.q and _WORD.search(p.q))
    order = {
        "latest": [Bill.latest_action_date.desc().nulls_last(), Bill.key],
        "introduced": [Bill.introduced_date.desc().nulls_last(), Bill.key],
        "key": [Bill.key],
    }.get(p.sort)
    estimate = False
    if words and not conds and order is None:
        # The common case (words only, by relevance): rank inside the engine, exact count there.
        fts = _match(db, p.q, top=p.limit, offset=p.offset)
        ids = list(db.execute(select(fts.c.bill_id).order_by(fts.c.rank, fts.c.bill_id)).scalars())
        total = _count_matches(db, p.q)
    else:
        query = select(Bill.id).where(*conds)
        if words:
            fts = _match(db, p.q)
            query = query.join(fts, fts.c.bill_id == Bill.id)
            order = order or [fts.c.rank, Bill.id]
        order = order or [Bill.latest_action_date.desc().nulls_last(), Bill.key]
        ids = list(db.execute(query.order_by(*order).limit(p.limit).offset(p.offset)).scalars())
        if words:
            cap = max(COUNT_CAP, p.offset + p.limit) + 1
            total = db.execute(select(func.count()).select_from(query.limit(cap).subquery())).scalar_one()
            estimate = total == cap
        else:
            total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = {b.id: (b, s) for b, s in db.execute(
        select(Bill, LegislativeSession.identifier).join(LegislativeSession, Bill.session_id == LegislativeSession.id)
        .where(Bill.id.in_(ids)))} if ids else {}
    from tracker.tagging.views import tags_for_bills

    tags = tags_for_bills(db, ids, coalition_id=coalition_id, statuses=tag_statuses)
    credited = legiscan_bills(db, [b.key for b, _ in rows.values()])
    items = [BillSummary.model_validate({**b.model_dump(), "jurisdiction": b.jurisdiction_id,
                                         "session": s, "issue_areas": tags.get(b.id, []),
                                         "attribution": credits(b.key in credited)})
             for b, s in (rows[i] for i in ids if i in rows)]
    return SearchPage(total=total, items=items, total_is_estimate=estimate)


def search_bills(db: Session, p: SearchParams, **kw) -> tuple[int, list[BillSummary]]:
    """`search_page` as (total, items), for callers that do not show estimates."""
    page = search_page(db, p, **kw)
    return page.total, page.items
