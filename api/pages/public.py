"""Public pages: bill search with filters, bill page; stable URLs.

`/search` and `/bill/{key}` use the default taxonomy; `/c/{coalition}/` and
`/c/{coalition}/bills/{key}` show that coalition's confirmed issue areas and public positions,
nothing of other coalitions.
"""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from api.deps import SessionDep
from api.page_cache import public
from api.pages.common import TIMELINE, coalition_or_404, csrf_token, render, search_params, staff_user
from api.pages.people import committee_url, follow_url, person_url
from tracker.models import MemberOrganization, MemberStance, Position
from tracker.bills.queries import bill_detail
from tracker.bills.stage import furthest_progress
from tracker.scoring.attention import following
from tracker.search.options import issue_areas, session_options
from tracker.search.query import search_page
from tracker.search.textindex import search_text

router = APIRouter(include_in_schema=False)
# Filters kept out of sight on a phone until opened (the form shows them open when one is set).
MORE_FILTERS = ("sponsor", "committee", "updated_since")


def _list_page(request: Request, db, coalition=None, user=None) -> HTMLResponse:
    p = search_params(request)
    cid = coalition.id if coalition else None
    statuses = ("suggested", "confirmed") if (user or coalition is None) else ("confirmed",)
    result = search_page(db, p, coalition_id=cid, public_only=user is None, tag_statuses=statuses)
    total, items = result.total, result.items
    query = {k: v for k, v in request.query_params.items() if k not in ("page", "lang") and v}
    page = p.offset // p.limit + 1
    pages = None if result.total_is_estimate else max(1, -(-total // p.limit))
    link = lambda n: "?" + urlencode({**query, "page": n})  # noqa: E731
    sessions = session_options(db)
    return render(request, "bills.html", {
        "coalition": coalition, "user": user, "items": items, "total": total, "params": p,
        "total_is_estimate": result.total_is_estimate, "filtered": bool(query),
        "credits": next((i.attribution for i in items if i.attribution), []),
        "areas": issue_areas(db, cid), "translate_areas": coalition is None,
        "jurisdictions": list(sessions), "sessions": sessions,
        "more_open": any(request.query_params.get(k) for k in MORE_FILTERS),
        "page": page, "pages": pages, "action": f"/c/{coalition.slug}/" if coalition else "/search",
        "prev_link": link(page - 1) if page > 1 else None,
        "next_link": link(page + 1) if p.offset + p.limit < total else None,
        "bill_base": f"/c/{coalition.slug}/bills/" if coalition else "/bill/",
        # sections of stored bill text with the words (the first page only)
        "text_hits": search_text(db, p.q, limit=10) if p.q and page == 1 else [],
        # The same list as CSV, with the same filters (every page of it).
        "csv_link": (f"/c/{coalition.slug}/bills.csv" if coalition else "/search.csv")
                    + ("?" + urlencode(query) if query else "")})


def _bill_page(request: Request, db, key: str, coalition=None, user=None) -> HTMLResponse:
    detail = bill_detail(db, key, tag_coalition=coalition.id if coalition else None)
    if detail is None:
        raise HTTPException(404, f"no bill {key!r}")
    if coalition and not user:
        detail.issue_areas = [t for t in detail.issue_areas if t.status == "confirmed"]
    else:
        detail.issue_areas = [t for t in detail.issue_areas if t.status != "rejected"]
    position, members, scored_items = None, [], []
    if coalition:
        position = db.execute(select(Position).where(Position.coalition_id == coalition.id,
                                                     Position.bill_key == key)).scalar_one_or_none()
        if position and not position.public and not user:
            position = None
        if user:
            members = db.execute(select(MemberOrganization.name, MemberStance.stance, MemberStance.note)
                                 .join(MemberStance, MemberStance.member_id == MemberOrganization.id)
                                 .where(MemberStance.coalition_id == coalition.id, MemberStance.bill_key == key)
                                 .order_by(MemberOrganization.name)).all()
            scored_items = following(db, coalition.id, key)
    # A bill that failed, was vetoed, withdrawn or died shows how far it got, then how it ended.
    ended = detail.stage not in TIMELINE
    furthest = detail.stage if not ended else furthest_progress(detail.actions)
    reached = TIMELINE.index(furthest) if furthest in TIMELINE else 0
    if user is None:
        public(request)   # the same page for every anonymous visitor (api/page_cache.py)
    return render(request, "bill.html", {
        "coalition": coalition, "user": user, "bill": detail, "position": position, "members": members,
        "scored_items": scored_items, "timeline": TIMELINE, "reached": reached, "ended": ended,
        "end_class": "done" if detail.stage == "adopted" else "end", "csrf": csrf_token(request) if user else None,
        "credits": detail.attribution, "person_url": person_url, "committee_url": committee_url,
        "follow_url": follow_url})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, db: SessionDep) -> HTMLResponse:
    """Bill search with filters (API clients asking /search get the JSON of /api/search)."""
    public(request)   # no coalition, no user: the same list for every visitor
    return _list_page(request, db)


@router.get("/bill/{key}", response_class=HTMLResponse)
def bill_page(key: str, request: Request, db: SessionDep) -> HTMLResponse:
    return _bill_page(request, db, key)


@router.get("/c/{slug}/", response_class=HTMLResponse)
@router.get("/c/{slug}/bills", response_class=HTMLResponse)
def coalition_home(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal = coalition_or_404(db, slug)
    return _list_page(request, db, coal, staff_user(request, db, coal))


@router.get("/c/{slug}/bills/{key}", response_class=HTMLResponse)
def coalition_bill(slug: str, key: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal = coalition_or_404(db, slug)
    return _bill_page(request, db, key, coal, staff_user(request, db, coal))
