"""Data quality per jurisdiction and session (see tracker/people/quality.py)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import SessionDep
from tracker.people.quality import quality_report

router = APIRouter(prefix="/api/quality", tags=["quality"])


class UnmatchedName(BaseModel):
    name: str
    votes: int
    sponsorships: int
    reasons: list[str]


class ResultDisagreement(BaseModel):
    vote_key: str
    bill_key: str | None
    date: str
    motion_text: str
    record_result: str
    vendor_result: str
    source_format: str | None


class QualityEntry(BaseModel):
    jurisdiction: str
    session: str | None
    votes: int
    votes_matched: int
    votes_matched_share: float | None
    sponsorships: int
    sponsorships_matched: int
    sponsorships_matched_share: float | None
    unmatched_names: list[UnmatchedName]
    unmatched_names_total: int
    bills: int
    bills_without_actions: list[str]
    result_disagreements: list[ResultDisagreement]


@router.get("", response_model=list[QualityEntry], summary="Data quality report")
def quality(db: SessionDep,
            jurisdiction: Annotated[str | None, Query(max_length=200, description="us, ca, ny, ...")] = None,
            session: Annotated[str | None, Query(max_length=200, description="session identifier")] = None,
            names: Annotated[int, Query(ge=0, le=1000)] = 50) -> list[QualityEntry]:
    """Share of votes and sponsorships matched, unmatched names, bills without actions."""
    return quality_report(db, jurisdiction=jurisdiction, session_identifier=session, names_limit=names)
