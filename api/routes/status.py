"""GET /api/status/jobs: every job's recent runs, what they stored, sources failing in a row."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SessionDep, SettingsDep
from tracker.ops.public import public_job_status

router = APIRouter(prefix="/api/status", tags=["status"])


class RunOut(BaseModel):
    id: int
    job_id: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str
    inserted: int
    updated: int
    unchanged: int
    errors: int
    message: str | None
    stored: dict[str, dict[str, int]]


class JobOut(BaseModel):
    job_id: str
    last_run: RunOut | None
    last_success_at: dt.datetime | None
    consecutive_failures: int
    flagged: bool
    state: str
    stale: bool
    failing_since: dt.datetime | None
    reason: str | None
    recent: list[RunOut]


@router.get("/jobs", response_model=list[JobOut], summary="Crawl and job runs")
def jobs(db: SessionDep, settings: SettingsDep) -> list[dict]:
    """Every job's latest runs and what they stored; `state` is success, failed, stale, flagged
    (failed or stale EDTRACKER_SOURCE_FLAG_AFTER runs in a row), running or never run, with the
    `reason`. Secrets in messages are masked; hosts and raw statistics are not published."""
    return public_job_status(db, settings)
