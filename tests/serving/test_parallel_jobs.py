"""The scheduler runs jobs of different sources side by side, up to
EDTRACKER_SCHEDULER_PARALLEL_JOBS at once (issue 19)."""
from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from sqlmodel import Session, select

import scheduler
from tracker.models import JobRun
from tracker.db import get_engine
from tracker.settings import get_settings

MEET = threading.Barrier(2)


def meet() -> dict:
    """A job that finishes only when another one is running at the same moment."""
    MEET.wait(timeout=8)
    return {"met": True}


@pytest.mark.parametrize("parallel, both_run", [(2, True), (1, False)])
def test_two_jobs_run_at_once_when_allowed(app_env, monkeypatch, parallel, both_run):
    MEET.reset()
    monkeypatch.setenv("EDTRACKER_DEFAULT_JOBS", "false")
    monkeypatch.setenv("EDTRACKER_SCHEDULER_PARALLEL_JOBS", str(parallel))
    monkeypatch.setenv("EDTRACKER_EXTRA_JOBS", json.dumps([
        {"id": f"meet-{i}", "kind": "call", "target": "tests.serving.test_parallel_jobs:meet",
         "trigger": "interval: 1h"} for i in (1, 2)]))
    get_settings.cache_clear()
    sched = scheduler.build_scheduler(get_engine(app_env))
    done: list[str] = []
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    sched.add_listener(lambda e: done.append(e.job_id), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    sched.start()
    try:
        soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(milliseconds=200)
        for i in (1, 2):
            sched.add_job(scheduler.run_job, "date", run_date=soon, args=[f"meet-{i}"], id=f"meet-{i}")
        deadline = dt.datetime.now() + dt.timedelta(seconds=20)
        while len(done) < 2 and dt.datetime.now() < deadline:
            threading.Event().wait(0.1)
    finally:
        sched.shutdown(wait=True)
    assert len(done) == 2
    with Session(get_engine(app_env)) as db:
        outcomes = [r.outcome for r in db.exec(select(JobRun)).all()]
    # one at a time, the first job waits in vain for the second and both fail
    assert outcomes == (["success", "success"] if both_run else ["failed", "failed"]), outcomes
