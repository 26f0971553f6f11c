"""Issue 14, finding 9: a dead source is a failure, a quiet one while its legislature sits is
stale, and after EDTRACKER_SOURCE_FLAG_AFTER such runs the admins get one email (real SMTP)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

import scheduler
from tests.alerts.mailserver import MailServer
from tests.conftest import ROOT, real_fixture
from tests.spiders.jsonapi import JsonApiServer
from tracker.db import get_engine
from tracker.models import ChangeEvent, Delivery, JobRun, Subscription
from tracker.ops import health
from tracker.ops.runs import job_status
from tracker.settings import get_settings

ADMIN = "ops@coalition.test"
FILES = ("legislators-current.yaml", "committees-current.yaml", "committee-membership-current.yaml")


class Source(JsonApiServer):
    """The congress-legislators files (real fixtures), or 503 for everything while `down`."""

    def __init__(self):
        super().__init__(self.answer)
        self.down = True

    def answer(self, path, query, headers):
        name = path.rsplit("/", 1)[-1]
        if self.down or name not in FILES:
            return 503, b"Service Unavailable"
        return 200, real_fixture("congress-legislators", name).read_bytes(), {"Content-Type": "text/yaml"}


@pytest.fixture
def ops_env(app_env, monkeypatch):
    mail = MailServer().start()
    source = Source().start()
    for k, v in {"EDTRACKER_DEFAULT_JOBS": "false", "EDTRACKER_POLITE_CRAWLING": "false",
                 "EDTRACKER_EXTRA_JOBS": json.dumps([{"id": "members", "kind": "crawl", "target": "us_legislators",
                                                      "trigger": "interval: 1h", "args": ["historical=0"]}]),
                 "EDTRACKER_CONGRESS_LEGISLATORS_BASE_URL": source.url, "EDTRACKER_SOURCE_FLAG_AFTER": "2",
                 "EDTRACKER_ADMIN_EMAILS": json.dumps([ADMIN]), "EDTRACKER_SMTP_URL": mail.url,
                 "EDTRACKER_SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
                 "EDTRACKER_PUBLIC_URL": "http://testserver", "EDTRACKER_ALERTS_SETTLE_SECONDS": "0",
                 "EDTRACKER_MAIL_FROM": "edtracker <alerts@edtracker.test>"}.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    yield app_env, source, mail
    source.stop()
    mail.stop()
    get_settings.cache_clear()


def status(engine, job_id="members") -> dict:
    with Session(engine) as db:
        return job_status(db, [job_id])[0]


def test_dead_source_fails_is_flagged_and_the_admins_are_told_once(ops_env):
    from tracker.alerts.jobs import dispatch

    db_url, source, mail = ops_env
    engine = get_engine(db_url)
    assert scheduler.run_job("members") == "failed"  # every request answered 503: not a success
    first = status(engine)
    assert (first["state"], first["consecutive_failures"], first["flagged"]) == ("failed", 1, False)
    assert "nothing received" in first["reason"]
    assert dispatch()["sent"] == 0 and not mail.inbox.messages

    assert scheduler.run_job("members") == "failed"
    assert scheduler.run_job("members") == "failed"
    flagged = status(engine)
    assert (flagged["state"], flagged["consecutive_failures"], flagged["flagged"]) == ("flagged", 3, True)
    assert dispatch()["sent"] == 1
    (msg,) = mail.inbox.to(ADMIN)
    assert "members" in msg["Subject"] and "flagged" in msg["Subject"]
    assert "http://testserver/status/jobs" in msg.get_body(("plain",)).get_content()
    assert dispatch()["sent"] == 0  # one email per streak

    # The status page and the CLI say so.
    from api.app import create_app
    with TestClient(create_app()) as client:
        row = next(r for r in client.get("/status/jobs").json() if r["job_id"] == "members")
    assert row["flagged"] and row["state"] == "flagged" and row["last_run"]["outcome"] == "failed"
    out = subprocess.run([sys.executable, "-m", "cli", "jobs"], cwd=ROOT, capture_output=True, text=True,
                         env={**__import__("os").environ}, timeout=120)
    assert "FLAGGED: 3 failed or stale runs in a row" in out.stdout, out.stderr[-2000:]

    # The source comes back (the real files): success, the flag clears; a new streak, a new email.
    source.down = False
    assert scheduler.run_job("members") == "success"
    assert status(engine)["flagged"] is False and status(engine)["state"] == "success"
    source.down = True
    scheduler.run_job("members")
    scheduler.run_job("members")
    assert dispatch()["sent"] == 1 and len(mail.inbox.to(ADMIN)) == 2
    with Session(engine) as db:
        keys = [e.natural_key for e in db.exec(select(ChangeEvent).where(ChangeEvent.kind == "source_flagged"))]
        deliveries = db.exec(select(Delivery)).all()
    assert len(keys) == 2 and len(set(keys)) == 2 and len(deliveries) == 2


def test_operator_notices_reach_no_public_subscription(ops_env):
    """A public subscriber following everything in `us` gets no source notice."""
    from tests.alerts.helpers import subscribe
    from tracker.alerts.jobs import dispatch

    db_url, source, mail = ops_env
    engine = get_engine(db_url)
    for target_type, target in (("jurisdiction", "us"), ("bill", "us-119-hr5"), ("committee", "members")):
        subscribe(engine, "reader@example.org", target_type, target)
    for _ in range(2):
        scheduler.run_job("members")
    dispatch()
    assert [str(m["To"]) for m in mail.inbox.messages if "flagged" in str(m["Subject"])] == [ADMIN]
    with Session(engine) as db:
        ops = db.exec(select(Subscription).where(Subscription.target_type == "ops")).all()
    assert len(ops) == 1


# --- staleness: no new data while the legislature sits --------------------------------------------


def _run(db, job_id: str, day: dt.date, new: int = 0, outcome: str = "success") -> None:
    at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc)
    db.add(JobRun(job_id=job_id, started_at=at, finished_at=at + dt.timedelta(minutes=5),
                  outcome=outcome, inserted=new, unchanged=10))


def test_stale_only_while_the_legislature_sits(engine):
    today = dt.date(2025, 3, 20)  # Kentucky's 2025 session ends March 28; Congress sits
    with Session(engine) as db:
        _run(db, "us_bills", today - dt.timedelta(days=20), new=5)
        _run(db, "ky_bills", today - dt.timedelta(days=20), new=5)
        for back in range(19, 0, -1):
            _run(db, "us_bills", today - dt.timedelta(days=back))
            _run(db, "ky_bills", today - dt.timedelta(days=back))
        db.commit()
        assert "no new data since 2025-02-28" in health.stale_reason(db, ["us_bills"], ["us"], 7, today)
        # Kentucky sat every one of those days too ...
        assert health.stale_reason(db, ["ky_bills"], ["ky"], 7, today)
        # ... but not in the summer: no sitting day since, so quiet is normal.
        assert health.stale_reason(db, ["ky_bills"], ["ky"], 7, dt.date(2025, 8, 1)) is None
        # The nightly crawl of the same source stored something two days ago: not stale.
        _run(db, "us_bills_nightly", today - dt.timedelta(days=2), new=3)
        db.commit()
        assert health.stale_reason(db, ["us_bills", "us_bills_nightly"], ["us"], 7, today) is None


def test_quiet_bill_crawl_is_stale_and_a_streak_of_them_is_flagged(engine, app_env, monkeypatch):
    monkeypatch.setenv("EDTRACKER_SOURCE_FLAG_AFTER", "2")
    get_settings.cache_clear()
    job = scheduler.Job("bills", "crawl", "us_bills", "interval: 1h")
    table = {"bills": job}
    today = dt.date(2025, 6, 20)
    with Session(engine) as db:
        _run(db, "bills", today - dt.timedelta(days=30), new=12)
        for back in range(29, 0, -1):
            _run(db, "bills", today - dt.timedelta(days=back))
        db.commit()
    stats = {"downloader/request_count": 4, "edtracker/responses/ok": 4, "edtracker/ingest/noop": 3,
             "finish_reason": "finished"}
    for _ in range(2):
        run = JobRun(job_id="bills", outcome="success", stats=stats, unchanged=3)
        scheduler.judge_run(job, run, table, engine, today=today)
        assert run.outcome == "stale" and "sat" in run.message
        at = dt.datetime.combine(today, dt.time(13), tzinfo=dt.timezone.utc)
        with Session(engine) as db:
            db.add(JobRun(job_id="bills", started_at=at, finished_at=at, outcome=run.outcome, message=run.message))
            db.commit()
        today += dt.timedelta(days=1)
    assert health.flag_if_failing(engine, "bills", get_settings())
    assert not health.flag_if_failing(engine, "bills", get_settings())  # once per streak
    row = status(engine, "bills")
    assert (row["state"], row["stale"], row["flagged"]) == ("flagged", True, True)


@pytest.mark.parametrize("stats,outcome", [
    # every request failed (503 after retries): errors, nothing received
    ({"downloader/request_count": 10, "retry/max_reached": 2, "edtracker/responses/failed": 2,
      "log_count/ERROR": 2}, "failed"),
    # connections refused: no answer at all
    ({"downloader/request_count": 5, "retry/max_reached": 1}, "failed"),
    # one file missing, the others stored: a success with an error
    ({"downloader/request_count": 3, "edtracker/responses/ok": 2, "edtracker/responses/failed": 1,
      "edtracker/ingest/insert": 537}, "success"),
    # nothing new at the source: a success
    ({"downloader/request_count": 2, "edtracker/responses/ok": 2}, "success"),
    # a disabled spider (no key) makes no request
    ({"finish_reason": "finished"}, "success"),
    # every record rejected
    ({"downloader/request_count": 2, "edtracker/responses/ok": 2, "edtracker/ingest/error": 40}, "failed"),
])
def test_judge_crawl(stats, outcome):
    assert health.judge_crawl(stats)[0] == outcome
