"""GET /api/search: full-text bill search over the default taxonomy (no coalition data)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from api.deps import Limit, Offset, SearchText, SessionDep, SessionText, SettingsDep, Text
from api.page_cache import public
from tracker.search.query import SORTS, SearchParams, search_page
from tracker.bills.views import Page
from tracker.vocab import STAGES

router = APIRouter(tags=["search"])


@router.get("/api/search", response_model=Page, summary="Search bills")
def search(db: SessionDep, settings: SettingsDep, request: Request,
           q: SearchText = None, jurisdiction: Text = None, session: SessionText = None, stage: Text = None,
           issue_area: Annotated[str | None, Query(max_length=200, description="default taxonomy slug")] = None,
           sponsor: Text = None, committee: Text = None, updated_since: dt.date | None = None,
           sort: Annotated[str, Query(max_length=32, description=", ".join(SORTS))] = "relevance",
           limit: Limit = 25, offset: Offset = 0) -> Page:
    """Bills matching the words and filters; for coalition stances use /api/coalitions/{slug}/search."""
    if stage and stage not in STAGES:
        raise HTTPException(422, f"unknown stage {stage!r}; expected one of {list(STAGES)}")
    if sort not in SORTS:
        raise HTTPException(422, f"unknown sort {sort!r}; expected one of {list(SORTS)}")
    limit = min(limit, settings.page_size_max)
    public(request, remember_lang=False)   # public data, the same for every visitor: kept by api/page_cache.py
    page = search_page(db, SearchParams(
        q=q, jurisdiction=jurisdiction, session=session, stage=stage, issue_area=issue_area, sponsor=sponsor,
        committee=committee, updated_since=updated_since, sort=sort, limit=limit, offset=offset))
    return Page(total=page.total, total_is_estimate=page.total_is_estimate, limit=limit, offset=offset,
                items=page.items)
