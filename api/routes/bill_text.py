"""JSON of a bill's stored text: one version by sections, and the redline between two."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import KeyPath, SessionDep
from tracker.search.textindex import TextHit, search_text
from tracker.bills.texts import (BillDiffView, BillTextView, MoneyView, TextNotFound, bill_diff, bill_money,
                                  bill_text)

router = APIRouter(prefix="/api/bills", tags=["bills"])
VersionCode = Annotated[str, Query(min_length=1, max_length=60, description="a version code (`ih`, `enr`, "
                                                                            "`20250AB1398AMD`, `A`)")]


@router.get("/{key}/text", response_model=BillTextView, summary="One version of a bill's text")
def text(key: KeyPath, db: SessionDep, version: Annotated[str | None, Query(
        min_length=1, max_length=60, description="version code; the latest stored version when absent")] = None
         ) -> BillTextView:
    """The version's sections with their heading path; California versions carry Counsel's own
    insertion (`ins`) and deletion (`del`) marks."""
    try:
        return bill_text(db, key, version)
    except TextNotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/{key}/diff", response_model=BillDiffView, summary="Redline between two versions")
def diff(key: KeyPath, db: SessionDep, from_: Annotated[str, Query(alias="from", min_length=1, max_length=60,
                                                                   description="the older version's code")],
         to: VersionCode) -> BillDiffView:
    """Every section of either version: same, changed (runs of same/del/ins words), added, removed."""
    try:
        return bill_diff(db, key, from_, to)
    except TextNotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/{key}/money", response_model=MoneyView, summary="Money line items of a version")
def money(key: KeyPath, db: SessionDep, version: Annotated[str | None, Query(
        min_length=1, max_length=60, description="version code; the latest stored version when absent")] = None,
          compare: Annotated[str | None, Query(min_length=1, max_length=60,
                                               description="an older version's code: each line item's change")] = None
          ) -> MoneyView:
    """Every dollar amount with its heading path, fiscal year, availability and parent ("of which")."""
    try:
        return bill_money(db, key, version, compare)
    except TextNotFound as exc:
        raise HTTPException(404, str(exc)) from None


search_router = APIRouter(tags=["search"])


@search_router.get("/api/search/text", response_model=list[TextHit], summary="Search inside bill text")
def search_in_text(db: SessionDep, q: Annotated[str, Query(min_length=1, max_length=500, description="words")],
                   limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[TextHit]:
    """Sections of stored bill text holding all the words, best first, each with its page link."""
    return search_text(db, q, limit)
