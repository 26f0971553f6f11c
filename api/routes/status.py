"""GET /api/status/jobs: every job's recent runs, what they stored, sources failing in a row;
GET /api/status/budgets: the metered APIs' request budgets."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SessionDep, SettingsDep
from tracker.ops import budget
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


class BudgetOut(BaseModel):
    source: str
    name: str
    period: str
    allowed: int
    used: int
    remaining: int
    resets_at: dt.datetime


@router.get("/budgets", response_model=list[BudgetOut], summary="Metered API request budgets")
def budgets(db: SessionDep, settings: SettingsDep) -> list[dict]:
    """Each metered source's limit in its current window (UTC), what every crawl used of it, what
    is left and when the window resets. Crawls plan within what is left."""
    return budget.usage(db.get_bind(), settings)
