"""The record of every job run, and the status people look at to notice a failing source."""
from __future__ import annotations

import datetime as dt
import os
import socket
import traceback
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.models import JobRun

# A source that fails this many runs in a row is flagged on the status page.
FAILING_AFTER = 3


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@contextmanager
def recorded_run(engine: Engine, job_id: str) -> Iterator[JobRun]:
    """Record a run: `running` at start, then its outcome, counts and stats at the end.

    The body sets `run.outcome` (default success), counts and `run.stats`; an exception marks
    the run failed with its traceback's last line and is re-raised.
    """
    run = JobRun(job_id=job_id, started_at=_now(), host=socket.gethostname(), pid=os.getpid())
    with Session(engine, expire_on_commit=False) as session:
        session.add(run)
        session.commit()
    run.outcome = "success"
    try:
        yield run
    except BaseException as exc:
        run.outcome = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        run.message = (run.message or "") + "".join(
            traceback.format_exception_only(type(exc), exc)).strip()
        raise
    finally:
        run.finished_at = _now()
        with Session(engine, expire_on_commit=False) as session:
            session.add(run)
            session.commit()


def record_skip(engine: Engine, job_id: str, reason: str) -> None:
    now = _now()
    with Session(engine) as session:
        session.add(JobRun(job_id=job_id, started_at=now, finished_at=now, outcome="skipped",
                           message=reason, host=socket.gethostname(), pid=os.getpid()))
        session.commit()


def job_status(session: Session, job_ids: list[str] | None = None, recent: int = 10) -> list[dict]:
    """Per job: the latest runs, the consecutive failures and whether the job is flagged."""
    query = select(JobRun).order_by(JobRun.job_id, JobRun.started_at.desc(), JobRun.id.desc())
    if job_ids is not None:
        query = query.where(JobRun.job_id.in_(job_ids))
    by_job: dict[str, list[JobRun]] = {}
    for run in session.exec(query).all():
        by_job.setdefault(run.job_id, []).append(run)
    out = []
    for job_id in sorted(set(by_job) | set(job_ids or [])):
        runs = [r for r in by_job.get(job_id, []) if r.outcome != "skipped"]
        streak = 0
        for r in runs:
            if r.outcome in ("failed", "timeout"):
                streak += 1
            elif r.outcome != "running":
                break
        last_ok = next((r for r in runs if r.outcome == "success"), None)
        out.append({
            "job_id": job_id,
            "last_run": runs[0].model_dump(mode="json") if runs else None,
            "last_success_at": last_ok.finished_at.isoformat() if last_ok and last_ok.finished_at else None,
            "consecutive_failures": streak,
            "flagged": streak >= FAILING_AFTER,
            "recent": [r.model_dump(mode="json") for r in by_job.get(job_id, [])[:recent]],
        })
    return out


def heartbeat() -> dict:
    """A job that only proves the scheduler is alive (its runs show on the status page)."""
    return {"alive": True}
