from __future__ import annotations

from fastapi import APIRouter

from api.deps import SessionDep
from tracker.ops.runs import job_status

router = APIRouter(prefix="/status", tags=["status"])


@router.get("/jobs")
def jobs(db: SessionDep) -> list[dict]:
    """Every job's latest runs; `flagged` marks a source failing several runs in a row."""
    return job_status(db)
