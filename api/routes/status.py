from __future__ import annotations

from fastapi import APIRouter

from api.deps import SessionDep
from tracker.ops.runs import job_status

router = APIRouter(prefix="/status", tags=["status"])


@router.get("/jobs")
def jobs(db: SessionDep) -> list[dict]:
    """Every job's latest runs and `state`: success, failed, stale, flagged (failed or stale
    EDTRACKER_SOURCE_FLAG_AFTER runs in a row), running or never run, with the `reason`."""
    return job_status(db)
