from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from api.page_cache import public
from api.deps import KeyPath, Limit, Offset, SessionDep, SettingsDep
from tracker.bills.queries import bill_detail, list_bills
from tracker.bills.views import BillDetail, Page
from tracker.vocab import STAGES

router = APIRouter(prefix="/api/bills", tags=["bills"])


@router.get("", response_model=Page, summary="List bills")
def bills(db: SessionDep, settings: SettingsDep, request: Request,
          jurisdiction: Annotated[str | None, Query(max_length=200, description="us, ca, ny, ...")] = None,
          session: Annotated[str | None, Query(max_length=200, description="session identifier, e.g. 119")] = None,
          stage: Annotated[str | None, Query(max_length=200, description=f"one of {', '.join(STAGES)}")] = None,
          limit: Limit = 50, offset: Offset = 0) -> Page:
    """Bills, most recently active first."""
    if stage and stage not in STAGES:
        raise HTTPException(422, f"unknown stage {stage!r}; expected one of {list(STAGES)}")
    limit = min(limit, settings.page_size_max)
    public(request, remember_lang=False)   # public data: kept by api/page_cache.py, with an ETag
    total, items = list_bills(db, jurisdiction=jurisdiction, session=session, stage=stage,
                              limit=limit, offset=offset)
    return Page(total=total, limit=limit, offset=offset, items=items)


@router.get("/{key}", response_model=BillDetail, summary="One bill")
def bill(key: KeyPath, db: SessionDep, request: Request) -> BillDetail:
    """One bill with its actions, sponsors and roll-call votes."""
    detail = bill_detail(db, key)
    if detail is None:
        raise HTTPException(404, f"no bill {key!r}")
    public(request, remember_lang=False)   # public data: kept by api/page_cache.py, with an ETag
    return detail
