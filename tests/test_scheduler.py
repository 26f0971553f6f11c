"""The scheduler: its job table, leadership across processes, run records and locks."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlmodel import Session, select

import scheduler
from tests.conftest import ROOT
from tracker.db import get_engine
from tracker.ops.locks import DbLock
from tracker.models import JobRun
from tracker.settings import get_settings


def test_job_table_names_existing_spiders_and_functions():
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    spiders = set(SpiderLoader.from_settings(get_project_settings()).list())
    table = scheduler.job_table()
    for job in table.values():
        scheduler.parse_trigger(job.trigger)
        if job.kind == "crawl":
            assert job.target in spiders, f"{job.id}: no spider {job.target!r}"
        else:
            assert job.kind == "call" and callable(scheduler.resolve_callable(job.target)), job.id
        for follow in job.after:
            assert follow in table, f"{job.id} runs unknown job {follow!r} after it"


@pytest.mark.parametrize("spec", ["cron: 15 * * * mon-fri", "cron: 0 6 * * *", "interval: 90s",
                                  "interval: 15m", "interval: 2h"])
def test_triggers_parse(spec):
    assert scheduler.parse_trigger(spec) is not None


@pytest.mark.parametrize("spec", ["every day", "interval: 5x", "cron: 61 * * * *"])
def test_bad_triggers_are_refused(spec):
    with pytest.raises(ValueError):
        scheduler.parse_trigger(spec)


def test_lock_is_exclusive_and_released(engine):
    a, b = DbLock(engine, "job:x", holder="a"), DbLock(engine, "job:x", holder="b")
    assert a.acquire() and not b.acquire()
    assert a.renew()
    a.release()
    assert b.acquire()
    b.release()


def test_run_job_records_its_run_and_skips_when_locked(app_env, monkeypatch):
    monkeypatch.setenv("EDTRACKER_DEFAULT_JOBS", "false")
    monkeypatch.setenv("EDTRACKER_EXTRA_JOBS", json.dumps([
        {"id": "beat", "kind": "call", "target": "tracker.ops.runs:heartbeat", "trigger": "interval: 1m"}]))
    get_settings.cache_clear()
    engine = get_engine(app_env)
    assert scheduler.run_job("beat") == "success"
    with DbLock(engine, "job:beat", holder="someone-else") as other:
        assert other.acquire()
        assert scheduler.run_job("beat") == "skipped"
    with Session(engine) as db:
        runs = db.exec(select(JobRun).order_by(JobRun.id)).all()
    assert [r.outcome for r in runs] == ["success", "skipped"]
    assert runs[0].stats == {"alive": True} and runs[0].finished_at is not None
    assert runs[1].message == "already running"
    with pytest.raises(KeyError):
        scheduler.run_job("nope")


def _count_runs(engine) -> int:
    with Session(engine) as db:
        return len(db.exec(select(JobRun.id).where(JobRun.job_id == "beat")).all())


def _start_scheduler(env):
    code = "import logging, scheduler; logging.basicConfig(level='INFO'); scheduler.serve(poll=0.5)"
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_two_schedulers_run_each_trigger_once(db_url):
    env = {**os.environ, "EDTRACKER_DATABASE_URL": db_url, "EDTRACKER_DEFAULT_JOBS": "false",
           "EDTRACKER_EXTRA_JOBS": json.dumps([{"id": "beat", "kind": "call",
                                                "target": "tracker.ops.runs:heartbeat",
                                                "trigger": "interval: 1s"}])}
    procs = [_start_scheduler(env), _start_scheduler(env)]
    engine = get_engine(db_url)
    try:
        # Wait for a few triggers (start-up is slow on a loaded machine), then a few more.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _count_runs(engine) < 2:
            time.sleep(0.5)
        time.sleep(4)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        errs = [p.communicate(timeout=30)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    with Session(get_engine(db_url)) as db:
        runs = db.exec(select(JobRun).where(JobRun.job_id == "beat").order_by(JobRun.started_at)).all()
    assert runs, errs
    assert {r.outcome for r in runs} == {"success"}
    assert len({r.pid for r in runs}) == 1, "only the leader runs jobs"
    starts = [r.started_at for r in runs]
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:])]
    assert all(g > 0.5 for g in gaps), f"a trigger ran twice: gaps {gaps}"
    elapsed = (runs[-1].started_at - runs[0].started_at).total_seconds()
    assert len(runs) <= elapsed + 2, f"{len(runs)} runs in {elapsed:.1f}s of 1s triggers"


def _niceness_of_child(niceness: int) -> int:
    """The niceness a process started by `start_process` sees, read by the process itself after
    it started a thread (threads inherit the priority of the thread that starts them)."""
    code = ("import os, threading; out = []; t = threading.Thread(target=lambda: out.append(os.nice(0)));"
            " t.start(); t.join(); print(os.nice(0), out[0])")
    proc = scheduler.start_process([sys.executable, "-c", code], niceness, stdout=subprocess.PIPE, text=True)
    out, _ = proc.communicate(timeout=60)
    main, thread = (int(v) for v in out.split())
    assert main == thread
    return main


def test_crawl_processes_start_at_a_lower_cpu_priority():
    mine = os.nice(0)
    assert _niceness_of_child(0) == mine
    assert _niceness_of_child(7) == min(19, mine + 7)
    assert _niceness_of_child(19) == 19  # capped


def test_a_scheduled_crawl_runs_at_the_configured_niceness(app_env, monkeypatch, tmp_path):
    """A real crawl (the us_bills spider on a GovInfo-shaped folder) through the scheduler: the
    niceness it ran at is in its recorded stats."""
    from tests.spiders.test_us_bills import FILES, Mirror
    from tests.conftest import real_fixture

    mirror = Mirror(tmp_path / "govinfo")
    for rel in FILES[-2:]:
        path = real_fixture("billstatus", *rel.split("/"))
        mirror.add(path.name.removeprefix("DEV-"), path.read_bytes())
    mirror.write()
    monkeypatch.setenv("EDTRACKER_DEFAULT_JOBS", "false")
    monkeypatch.setenv("EDTRACKER_POLITE_CRAWLING", "false")
    monkeypatch.setenv("EDTRACKER_CRAWL_NICENESS", "5")
    monkeypatch.setenv("EDTRACKER_EXTRA_JOBS", json.dumps([
        {"id": "bills-now", "kind": "crawl", "target": "us_bills", "trigger": "interval: 1d",
         "args": [f"base_url={mirror.root.as_uri()}", "congress=117", "texts=0"]}]))
    get_settings.cache_clear()
    assert scheduler.run_job("bills-now") == "success"
    with Session(get_engine(app_env)) as db:
        run = db.exec(select(JobRun).where(JobRun.job_id == "bills-now")).one()
    assert run.inserted == 2, run.stats
    assert run.stats["edtracker/niceness"] == min(19, os.nice(0) + 5)
