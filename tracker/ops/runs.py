"""The record of every job run, and the status people look at to notice a failing source.

Outcomes: running, success, failed (a crash, a non-zero exit, or errors with nothing received:
tracker.ops.health), stale (a bill source with no new data while its legislature sits), timeout,
interrupted, skipped. Failed, timed-out and stale runs in a row make a streak; a streak of
EDTRACKER_SOURCE_FLAG_AFTER flags the job.
"""
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


def job_status(session: Session, job_ids: list[str] | None = None, recent: int = 10,
               flag_after: int | None = None) -> list[dict]:
    """Per job: the latest runs, the failed or stale runs in a row and whether the job is flagged."""
    from tracker.ops.health import streak

    if flag_after is None:
        from tracker.settings import get_settings
        flag_after = get_settings().source_flag_after
    query = select(JobRun).order_by(JobRun.job_id, JobRun.started_at.desc(), JobRun.id.desc())
    if job_ids is not None:
        query = query.where(JobRun.job_id.in_(job_ids))
    by_job: dict[str, list[JobRun]] = {}
    for run in session.exec(query).all():
        by_job.setdefault(run.job_id, []).append(run)
    out = []
    for job_id in sorted(set(by_job) | set(job_ids or [])):
        runs = [r for r in by_job.get(job_id, []) if r.outcome != "skipped"]
        bad = streak(runs)
        last_ok = next((r for r in runs if r.outcome == "success"), None)
        last = runs[0] if runs else None
        flagged = len(bad) >= flag_after
        out.append({
            "job_id": job_id,
            "state": ("flagged" if flagged else bad[0].outcome if bad else
                      (last.outcome if last else "never run")),
            "last_run": last.model_dump(mode="json") if last else None,
            "last_success_at": last_ok.finished_at.isoformat() if last_ok and last_ok.finished_at else None,
            "consecutive_failures": len(bad),
            "failing_since": bad[-1].started_at.isoformat() if bad and bad[-1].started_at else None,
            "flagged": flagged,
            "stale": bool(bad) and bad[0].outcome == "stale",
            "reason": (bad[0].message or bad[0].outcome) if bad else None,
            "recent": [r.model_dump(mode="json") for r in by_job.get(job_id, [])[:recent]],
        })
    return out


def heartbeat() -> dict:
    """A job that only proves the scheduler is alive (its runs show on the status page)."""
    return {"alive": True}
