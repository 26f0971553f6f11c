"""Sources that fail are failures: judge a finished crawl, notice a stale source, flag and tell.

A crawl that ends cleanly but had errors and received nothing failed; a bill source that stored
nothing new for EDTRACKER_SOURCE_STALE_DAYS days on which its legislature sits (the session
calendars) has stale runs. EDTRACKER_SOURCE_FLAG_AFTER failed or stale runs in a row flag the job
and EDTRACKER_ADMIN_EMAILS get one email per streak, through the alerts outbox.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Iterable

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.alerts.events import record_event
from tracker.alerts.matching import OPS_TARGET
from tracker.jurisdictions import calendar
from tracker.models import ChangeEvent, JobRun, LegislativeSession, Subscriber, Subscription
from tracker.models.base import utcnow

log = logging.getLogger("edtracker.health")

# Stats of a crawl that count as errors (Scrapy's own and ours).
ERROR_STATS = ("edtracker/ingest/error", "log_count/ERROR", "edtracker/malformed", "retry/max_reached",
               "edtracker/responses/failed", "httperror/response_ignored_count")
RECEIVED_STATS = ("edtracker/ingest/insert", "edtracker/ingest/update", "edtracker/ingest/noop")
FAILING = ("failed", "timeout", "stale")


def _n(stats: dict, key: str) -> int:
    try:
        return int(stats.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def crawl_errors(stats: dict) -> int:
    """Errors a crawl met: rejected records, error logs, malformed answers, failed requests."""
    return sum(_n(stats, k) for k in ERROR_STATS) + sum(
        _n(stats, k) for k in stats if k.startswith("spider_exceptions/") and k.count("/") == 1)


def judge_crawl(stats: dict) -> tuple[str, str | None]:
    """('failed', why) for a crawl with errors and nothing received, else ('success', None)."""
    errors, received = crawl_errors(stats), sum(_n(stats, k) for k in RECEIVED_STATS)
    ok, requests = _n(stats, "edtracker/responses/ok"), _n(stats, "downloader/request_count")
    if errors and not received:
        failed = _n(stats, "edtracker/responses/failed") + _n(stats, "retry/max_reached")
        return "failed", (f"{errors} error(s) and nothing received ({failed} request(s) failed, "
                          f"{ok} answered)")
    if requests and not ok and not received:
        return "failed", f"none of {requests} request(s) was answered"
    return "success", None


def _sessions(db: Session, jurisdiction: str) -> list[LegislativeSession]:
    return list(db.exec(select(LegislativeSession).where(LegislativeSession.jurisdiction_id == jurisdiction)))


def sitting_days(db: Session, jurisdictions: Iterable[str], since: dt.date, today: dt.date) -> int:
    """Days in (since, today] on which at least one of the legislatures sits."""
    sessions = {j: _sessions(db, j) for j in jurisdictions}
    count, day = 0, since + dt.timedelta(days=1)
    while day <= today:
        count += any(calendar.sits(j, day, s) for j, s in sessions.items())
        day += dt.timedelta(days=1)
    return count


def stale_reason(db: Session, job_ids: list[str], jurisdictions: list[str], stale_days: int,
                 today: dt.date) -> str | None:
    """Why the source crawled by `job_ids` is stale, or None: its legislature sits today, and sat
    `stale_days` days or more since the source last stored something new (or since its first run)."""
    if not jurisdictions or stale_days <= 0:
        return None
    if not any(calendar.sits(j, today, _sessions(db, j)) for j in jurisdictions):
        return None
    last_new = db.exec(select(func.max(JobRun.finished_at)).where(
        JobRun.job_id.in_(job_ids), (JobRun.inserted + JobRun.updated) > 0)).one()
    first = db.exec(select(func.min(JobRun.started_at)).where(JobRun.job_id.in_(job_ids))).one()
    since = last_new or first
    if since is None:
        return None
    days = sitting_days(db, jurisdictions, since.date(), today)
    if days < stale_days:
        return None
    what = f"new data since {since.date().isoformat()}" if last_new else "new data since its first run"
    return f"no {what}: {days} day(s) the legislature ({', '.join(jurisdictions)}) sat"


def streak(runs: list[JobRun]) -> list[JobRun]:
    """The failed, timed-out or stale runs in a row, latest first (skips and a running one aside)."""
    out = []
    for r in runs:
        if r.outcome in FAILING:
            out.append(r)
        elif r.outcome not in ("running", "skipped"):
            break
    return out


def ensure_admin_subscriptions(db: Session, emails: Iterable[str]) -> int:
    """One active subscriber and one "ops" subscription per admin address; return how many exist.

    Addresses come from the operator's settings, so no opt-in email is needed; an address that
    unsubscribed, bounced or signed up publicly without confirming is left as it is.
    """
    ready = 0
    cursor = db.exec(select(func.max(ChangeEvent.id))).one() or 0
    for email in sorted({e.strip().lower() for e in emails if e and e.strip()}):
        person = db.exec(select(Subscriber).where(Subscriber.email == email)).first()
        if person is None:
            person = Subscriber(email=email, status="active", confirmed_at=utcnow())
            db.add(person)
            db.flush()
        if person.status != "active":
            log.warning("admin address %s is %s: it gets no source notices", email, person.status)
            continue
        sub = db.exec(select(Subscription).where(Subscription.subscriber_id == person.id,
                                                 Subscription.target_type == OPS_TARGET)).first()
        if sub is None:
            db.add(Subscription(subscriber_id=person.id, target_type=OPS_TARGET, target="sources",
                                kinds=["source_flagged"], frequency="immediate", channel="email",
                                feed_token=secrets.token_urlsafe(24), cursor=cursor))
            db.flush()
        ready += 1
    return ready


def flag_if_failing(engine: Engine, job_id: str, settings) -> bool:
    """After a run: when the job has just reached (or passed) its failing streak, record the
    "source_flagged" notice for the admins, once per streak; True when it was new."""
    with Session(engine) as db:
        runs = list(db.exec(select(JobRun).where(JobRun.job_id == job_id)
                            .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(200)))
        bad = streak(runs)
        if len(bad) < settings.source_flag_after:
            return False
        first = bad[-1]
        ensure_admin_subscriptions(db, settings.admin_emails)
        new = record_event(db, "source_flagged", f"source:{job_id}:flagged:{first.id}", {
            "identifier": f"Source {job_id}", "title": "A data source needs attention",
            "job_id": job_id, "streak": len(bad), "outcome": bad[0].outcome,
            "reason": (bad[0].message or bad[0].outcome)[-500:],
            "since": first.started_at.isoformat() if first.started_at else None,
            "url": f"{settings.public_url.rstrip('/')}/status/jobs"})
        db.commit()
    if new:
        log.warning("job %s flagged after %d failed or stale runs in a row", job_id, len(bad))
    return new
