"""The scheduler: every crawl and job on its schedule, one run at a time, across processes.

APScheduler 3 keeps its jobs in the application database. Several scheduler processes may
run against one database: they elect a leader through a database lock (a PostgreSQL advisory
lock, or a lease row on SQLite); only the leader fires jobs, a standby takes over when the
leader dies. Each job also takes its own lock, so a manual `edtracker run JOB` never overlaps
a scheduled run. Crawls run as `scrapy crawl` subprocesses (Twisted's reactor cannot restart
inside one process) with a timeout. Every run is recorded in `job_run`; a crawl with errors and
nothing received is failed, a bill source quiet too long while its legislature sits is stale, and
a job failing or stale several runs in a row is flagged and the admins told (tracker.ops.health).
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session, select

from tracker.db import get_engine
from tracker.jurisdictions import calendar
from tracker.ops import health
from tracker.ops.locks import DbLock
from tracker.models import LegislativeSession
from tracker.ops.runs import record_skip, recorded_run
from tracker.settings import get_settings

log = logging.getLogger("edtracker.scheduler")


@dataclass(frozen=True)
class Job:
    """One line of the job table: what to run, when, and for how long at most."""

    id: str
    kind: str  # "crawl" (a spider) or "call" ("module:function" taking no argument)
    target: str
    trigger: str  # "cron: <crontab with names for weekdays>" or "interval: 15m"
    args: tuple[str, ...] = ()  # spider arguments, "name=value"
    in_session: str | None = None  # run only while this legislature is in session
    timeout: int = 3600
    after: tuple[str, ...] = field(default=())  # jobs to run right after a successful run


# Crontab weekdays are written as names: APScheduler's from_crontab counts Monday as 0.
# After every crawl: re-tag the bills and update the scorecards' stale items (the crawl queued
# them in tracker.scoring.dirty; the nightly "rescore" stays as the full recompute).
_AFTER_CRAWL = ("retag", "score_dirty")


def _crawl(id_: str, spider: str, trigger: str, *args: str, in_session: str | None = None,
           timeout: int = 3600) -> Job:
    return Job(id_, "crawl", spider, trigger, args=args, in_session=in_session, timeout=timeout,
               after=_AFTER_CRAWL)


DEFAULT_JOBS: tuple[Job, ...] = (
    # Federal: hourly on weekdays while Congress sits, and nightly whatever the calendar says.
    _crawl("us_bills", "us_bills", "cron: 5 7-22 * * mon-fri", in_session="us", timeout=3000),
    _crawl("us_bills_nightly", "us_bills", "cron: 30 2 * * *", timeout=3 * 3600),
    _crawl("us_votes", "us_votes", "cron: 35 7-23 * * mon-fri", in_session="us", timeout=1800),
    _crawl("us_votes_nightly", "us_votes", "cron: 50 2 * * *"),
    _crawl("us_legislators", "us_legislators", "cron: 15 1 * * *", "historical=0"),
    _crawl("us_legislators_historical", "us_legislators", "cron: 15 1 * * sun"),
    _crawl("congress_api", "congress_api", "cron: 20 8-20/4 * * mon-fri", in_session="us"),
    # California's own bulk data: the Legislature rebuilds the daily zips overnight (Pacific time).
    _crawl("ca_pubinfo", "ca_pubinfo", "cron: 30 9 * * *", timeout=3 * 3600),
    # Whole-service jobs (their "call" targets take no argument and return counts).
    Job("retag", "call", "tracker.ops.jobs:retag", "cron: 0 4 * * *", timeout=1800),
    Job("rescore", "call", "tracker.ops.jobs:rescore", "cron: 15 4 * * *", timeout=1800),
    Job("score_dirty", "call", "tracker.scoring.jobs:update_dirty", "interval: 1m", timeout=900),
    Job("alerts", "call", "tracker.alerts.jobs:dispatch", "interval: 1m", timeout=300),
    Job("digests", "call", "tracker.alerts.jobs:digests", "interval: 15m", timeout=900),
    Job("quality", "call", "tracker.ops.jobs:quality", "cron: 0 6 * * *", timeout=1800),
    Job("heartbeat", "call", "tracker.ops.runs:heartbeat", "interval: 5m", timeout=60),
    # Bills pending when their session ended die (session calendars); early, before the crawls.
    Job("adjournment", "call", "tracker.ops.jobs:adjournment_sweep", "cron: 20 5 * * *", timeout=1800),
)

# Keyed spiders run only when their key is set; state spiders run per jurisdiction of the
# settings list named here: several times a day while that legislature sits, nightly otherwise.
KEYED_SPIDERS = {"congress_api": "congress_api_key", "legiscan_bills": "legiscan_api_key",
                 "openstates_bills": "openstates_api_key", "openstates_people": "openstates_api_key",
                 "openstates_events": "openstates_api_key", "ny_bills": "ny_openleg_api_key"}
STATE_SPIDERS = (  # spider, settings list of jurisdictions, argument naming one, in-session trigger
    ("legiscan_bills", "legiscan_states", "states", "cron: 10 8-20/3 * * mon-fri"),
    ("openstates_bills", "openstates_jurisdictions", "jurisdictions", "cron: 40 8-20/4 * * mon-fri"),
    ("openstates_events", "openstates_jurisdictions", "jurisdictions", "cron: 45 7 * * mon-fri"),
    ("ny_bills", None, None, "cron: 25 8-20/2 * * mon-fri"),
)
STATE_PEOPLE = (("openstates_people", "cron: 30 3 * * sun"),)


def _spider_exists(name: str) -> bool:
    return (Path(__file__).resolve().parent / "scrapers" / "spiders" / f"{name}.py").exists()


def state_jobs(settings) -> tuple[Job, ...]:
    """Per-jurisdiction crawls of the state spiders present in this checkout."""
    jobs: list[Job] = []
    for spider, list_setting, arg, trigger in STATE_SPIDERS:
        if not _spider_exists(spider):
            continue
        places = getattr(settings, list_setting) if list_setting else ["ny"]
        for place in places:
            j = place.lower()
            args = (f"{arg}={j}",) if arg else ()
            jobs.append(_crawl(f"{spider}_{j}", spider, trigger, *args, in_session=j))
            jobs.append(_crawl(f"{spider}_{j}_nightly", spider, f"cron: {10 + len(jobs) % 40} 3 * * *", *args))
    jobs += [_crawl(spider, spider, trigger) for spider, trigger in STATE_PEOPLE if _spider_exists(spider)]
    return tuple(jobs)


def _has_key(job: Job, settings) -> bool:
    key = KEYED_SPIDERS.get(job.target) if job.kind == "crawl" else None
    return key is None or bool(getattr(settings, key, None))


def job_table() -> dict[str, Job]:
    """The default jobs with the settings' overrides applied (`EDTRACKER_SCHEDULE`)."""
    settings = get_settings()
    overrides = settings.schedule
    jobs = {}
    defaults = DEFAULT_JOBS + state_jobs(settings) if settings.default_jobs else ()
    defaults = tuple(j for j in defaults if _has_key(j, settings) and (j.kind == "call" or _spider_exists(j.target)))
    for job in defaults + tuple(_extra_jobs()):
        trigger = overrides.get(job.id, job.trigger)
        if trigger == "off":
            continue
        jobs[job.id] = Job(**{**job.__dict__, "trigger": trigger})
    return jobs


def _extra_jobs() -> list[Job]:
    """Jobs defined whole in settings (`EDTRACKER_EXTRA_JOBS`), e.g. for the demo or a test."""
    return [Job(**{**spec, "args": tuple(spec.get("args", ())), "after": tuple(spec.get("after", ()))})
            for spec in get_settings().extra_jobs]


def parse_trigger(spec: str, timezone: str = "UTC"):
    """`cron: 15 * * * mon-fri` or `interval: 90s|15m|2h` -> an APScheduler trigger."""
    kind, _, rest = spec.partition(":")
    rest = rest.strip()
    if kind.strip() == "cron":
        return CronTrigger.from_crontab(rest, timezone=timezone)
    if kind.strip() == "interval":
        units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
        if not rest or rest[-1] not in units or not rest[:-1].isdigit():
            raise ValueError(f"bad interval {rest!r}: write e.g. 90s, 15m, 2h")
        return IntervalTrigger(**{units[rest[-1]]: int(rest[:-1])}, timezone=timezone)
    raise ValueError(f"bad trigger {spec!r}: expected 'cron: ...' or 'interval: ...'")


def resolve_callable(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def in_session(jurisdiction: str, today: dt.date | None = None) -> bool:
    """Whether a session of the jurisdiction covers today: stored ones (their sine die dates
    included) or ones the session calendars know; unknown dates count as yes."""
    today = today or dt.date.today()
    with Session(get_engine()) as db:
        sessions = list(db.exec(select(LegislativeSession).where(
            LegislativeSession.jurisdiction_id == jurisdiction)).all())
    return calendar.in_session(jurisdiction, today, sessions)


# Spiders whose silence means something: bills move every week a legislature sits. Votes,
# hearings and people come irregularly, so their quiet is never "stale".
WATCHED_SPIDERS = {"us_bills", "congress_api", "legiscan_bills", "openstates_bills", "ny_bills"}
_ARG_LISTS = {"states": "legiscan_states", "jurisdictions": "openstates_jurisdictions"}


def job_jurisdictions(job: Job, settings=None) -> list[str]:
    """The legislatures a crawl job follows (for staleness), from its arguments or its spider."""
    settings = settings or get_settings()
    if job.kind != "crawl":
        return []
    args = dict(a.split("=", 1) for a in job.args if "=" in a)
    for arg, setting in _ARG_LISTS.items():
        if arg in args:
            return sorted({p.strip().lower() for p in args[arg].split(",") if p.strip()})
    if job.target.startswith("us_") or job.target == "congress_api":
        return ["us"]
    if job.target == "ny_bills":
        return ["ny"]
    setting = {"legiscan_bills": "legiscan_states"}.get(job.target) or (
        "openstates_jurisdictions" if job.target.startswith("openstates_") else None)
    return sorted({p.lower() for p in getattr(settings, setting)}) if setting else []


def source_jobs(job: Job, table: dict[str, Job]) -> list[str]:
    """Every job of the table crawling the same source (spider and arguments) as `job`."""
    return sorted(j.id for j in table.values() if (j.kind, j.target, sorted(j.args)) ==
                  (job.kind, job.target, sorted(job.args))) or [job.id]


def judge_run(job: Job, run, table: dict[str, Job], engine, today: dt.date | None = None) -> None:
    """A crawl that ended cleanly: failed when it met errors and received nothing, stale when its
    source stored nothing new for EDTRACKER_SOURCE_STALE_DAYS sitting days."""
    if job.kind != "crawl" or run.outcome != "success":
        return
    outcome, why = health.judge_crawl(run.stats or {})
    if outcome != "success":
        run.outcome, run.message = outcome, why
        return
    if job.target not in WATCHED_SPIDERS or (run.inserted or 0) + (run.updated or 0) > 0:
        return
    settings = get_settings()
    with Session(engine) as db:
        reason = health.stale_reason(db, source_jobs(job, table), job_jurisdictions(job, settings),
                                     settings.source_stale_days, today or dt.date.today())
    if reason:
        run.outcome, run.message = "stale", reason


_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()


def start_process(cmd: list[str], niceness: int, **popen) -> subprocess.Popen:
    """Start `cmd` with its CPU priority `niceness` lower than this process's (capped at 19).

    Crawls parse and store while the same machine serves pages; at the same priority an
    import on PostgreSQL with the machine at load 3 made the pages' p99 1.97-3.24x idle, at
    niceness 10 1.27-1.81x (issue 19, docs/benchmarks.md). Set on the new process right after
    it starts (no `preexec_fn`, unsafe in the scheduler's threads): it has no thread yet, and
    the threads it starts inherit the priority."""
    proc = subprocess.Popen(cmd, **popen)
    if niceness > 0:
        try:
            target = min(19, os.getpriority(os.PRIO_PROCESS, 0) + niceness)
            os.setpriority(os.PRIO_PROCESS, proc.pid, target)
        except OSError as exc:  # gone already, or a system that refuses: the crawl runs as it is
            log.warning("could not lower the CPU priority of %s (pid %s): %s", cmd[:4], proc.pid, exc)
    return proc


def run_crawl(job: Job, run) -> None:
    """Run a spider in a subprocess with a timeout; copy its stats and counts into `run`."""
    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "stats.json"
        cmd = [sys.executable, "-m", "scrapy", "crawl", job.target, "-s", f"EDTRACKER_STATS_FILE={stats_file}"]
        for arg in job.args:
            cmd += ["-a", arg]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scrapers.settings",
               "EDTRACKER_DATABASE_URL": settings.effective_database_url}
        proc = start_process(cmd, settings.crawl_niceness, env=env, cwd=tmp, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        with _children_lock:
            _children.add(proc)
        try:
            _, err = proc.communicate(timeout=job.timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)  # Scrapy stops cleanly: each record is its own transaction
            try:
                _, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
            run.outcome = "timeout"
        finally:
            with _children_lock:
                _children.discard(proc)
        stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    run.stats = stats
    run.inserted = int(stats.get("edtracker/ingest/insert", 0))
    run.updated = int(stats.get("edtracker/ingest/update", 0))
    run.unchanged = int(stats.get("edtracker/ingest/noop", 0))
    run.errors = health.crawl_errors(stats)
    reason = stats.get("finish_reason")
    if run.outcome == "timeout":
        run.message = f"timed out after {job.timeout}s"
    elif proc.returncode in (-signal.SIGTERM, 143) or reason == "shutdown" or _stopping.is_set():
        run.outcome, run.message = "interrupted", "stopped by SIGTERM"
    elif proc.returncode != 0 or reason not in ("finished", None):
        run.outcome = "failed"
        run.message = f"exit {proc.returncode}, finish reason {reason}: {(err or '').strip()[-2000:]}"


def run_job(job_id: str) -> str:
    """Run one job now, unless it is already running somewhere; return its outcome."""
    table = job_table()
    job = table.get(job_id)
    if job is None:
        raise KeyError(f"no job {job_id!r}; known: {sorted(table)}")
    engine = get_engine()
    if job.in_session and not in_session(job.in_session):
        record_skip(engine, job_id, f"{job.in_session} legislature not in session")
        return "skipped"
    lock = DbLock(engine, f"job:{job_id}", ttl=job.timeout + 120)
    if not lock.acquire():
        record_skip(engine, job_id, "already running")
        return "skipped"
    try:
        with recorded_run(engine, job_id) as run:
            if job.kind == "crawl":
                run_crawl(job, run)
                judge_run(job, run, table, engine)
            else:
                result = resolve_callable(job.target)()
                if isinstance(result, dict):
                    run.stats = result
                    run.inserted = int(result.get("inserted", 0))
                    run.updated = int(result.get("updated", 0))
                    run.unchanged = int(result.get("unchanged", 0))
                    run.errors = int(result.get("errors", 0))
        outcome = run.outcome
    finally:
        lock.release()
        _flag_quietly(engine, job_id)
    if outcome == "success":
        for follow in job.after:
            run_job(follow)
    return outcome


def _flag_quietly(engine, job_id: str) -> None:
    """Flag the job and tell the admins when its runs fail in a row; never fails the run itself."""
    try:
        health.flag_if_failing(engine, job_id, get_settings())
    except Exception:  # noqa: BLE001 - the run is recorded; the notice is retried after the next one
        log.exception("could not record the flag of job %s", job_id)


_stopping = threading.Event()


def _on_sigterm(signum, frame) -> None:  # noqa: ANN001
    log.info("signal %s: stopping; running crawls are asked to stop cleanly", signum)
    _stopping.set()
    with _children_lock:
        for proc in list(_children):
            proc.send_signal(signal.SIGTERM)


def build_scheduler(engine) -> BackgroundScheduler:
    settings = get_settings()
    from apscheduler.executors.pool import ThreadPoolExecutor

    # Each crawl is a `scrapy crawl` process of its own: jobs of different sources run side by side
    # (issue 19), up to this many at once; two runs of one job never overlap (max_instances, job lock).
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(settings.scheduler_parallel_jobs)},
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone=settings.scheduler_timezone)
    return scheduler


def sync_jobs(scheduler: BackgroundScheduler) -> None:
    """Make the stored APScheduler jobs equal the job table (stable ids, replace_existing)."""
    table = job_table()
    tz = get_settings().scheduler_timezone
    for job in table.values():
        scheduler.add_job("scheduler:run_job", trigger=parse_trigger(job.trigger, tz), args=[job.id],
                          id=job.id, name=job.id, replace_existing=True)
    for stored in scheduler.get_jobs():
        if stored.id not in table:
            scheduler.remove_job(stored.id)


def serve(poll: float = 5.0) -> None:
    """Run as leader or standby until SIGTERM/SIGINT."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGINT, _on_sigterm)
    engine = get_engine()
    leader = DbLock(engine, "scheduler-leader", ttl=max(3 * poll, 15))
    while not _stopping.is_set():
        if not leader.acquire():
            _stopping.wait(poll)
            continue
        log.info("this process (%s) leads the schedule", leader.holder)
        scheduler = build_scheduler(engine)
        scheduler.start(paused=True)
        sync_jobs(scheduler)
        scheduler.resume()
        while not _stopping.wait(poll):
            if not leader.renew():
                log.warning("lost the scheduler lock; standing by")
                break
        scheduler.shutdown(wait=True)
        leader.release()
    log.info("scheduler stopped")


if __name__ == "__main__":
    logging.basicConfig(level=get_settings().log_level)
    serve()
