"""Send what the outbox holds: email through SMTP, webhooks over HTTP, at least once."""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from tracker.alerts import claims, webhooks
from tracker.alerts.claims import WORKER
from tracker.alerts.matching import Matcher
from tracker.alerts.render import Emails
from tracker.bills.attribution import credits, legiscan_events
from tracker.alerts.smtp import (PermanentFailure, SmtpSender, TemporaryFailure, Unreachable, envelope_address,
                                 parse_smtp_url, to_wire)
from tracker.bills.keys import bill_page_url
from tracker.db import session_scope
from tracker.models import ChangeEvent, Delivery, Legislator, Subscriber, Subscription
from tracker.models.base import utcnow

log = logging.getLogger("edtracker.alerts")


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    bounced: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "retried": self.retried, "bounced": self.bounced, "failed": self.failed,
                "cancelled": self.cancelled}


@dataclass
class _Job:
    delivery: Delivery
    subscription: Subscription | None  # None: a ready-made email (confirmation, password reset)
    subscriber: Subscriber | None
    events: list[ChangeEvent]
    extra: dict[int, dict]
    credits: list[dict] = field(default_factory=list)  # LegiScan's, when an event shows its data


def _load(engine: Engine, ids: list[int]) -> list[_Job]:
    with session_scope(engine) as s:
        deliveries = s.scalars(select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id)).all()
        subs = {x.id: x for x in s.scalars(select(Subscription).where(
            Subscription.id.in_({d.subscription_id for d in deliveries if d.subscription_id is not None})))}
        people = {x.id: x for x in s.scalars(select(Subscriber).where(
            Subscriber.id.in_({x.subscriber_id for x in subs.values()})))}
        events = {e.id: e for e in s.scalars(select(ChangeEvent).where(
            ChangeEvent.id.in_({i for d in deliveries for i in d.event_ids})))}
        matcher = Matcher(s, [e for e in events.values() if e.kind == "roll_call"])
        from_legiscan = legiscan_events(s, events.values())
        roll_calls = {e.id for e in events.values() if e.kind == "roll_call"}
        followed: dict[int, list[int]] = {}
        jobs = []
        for d in deliveries:
            if d.subscription_id is None:
                jobs.append(_Job(d, None, None, [], {}))
                continue
            sub = subs[d.subscription_id]
            person = people[sub.subscriber_id]
            evs = [events[i] for i in d.event_ids if i in events]
            extra = {}
            if not roll_calls.isdisjoint(d.event_ids):
                if person.id not in followed:
                    keys = s.scalars(select(Subscription.target).where(
                        Subscription.subscriber_id == person.id, Subscription.target_type == "legislator",
                        Subscription.active.is_(True))).all()
                    followed[person.id] = list(s.scalars(select(Legislator.id).where(Legislator.key.in_(keys))))
                for e in evs:
                    if e.kind == "roll_call":
                        extra[e.id] = {"votes": matcher.vote_lines(
                            e, followed[person.id], sub.coalition_id or person.coalition_id)}
            jobs.append(_Job(d, sub, person, evs, extra, credits(not from_legiscan.isdisjoint(d.event_ids))))
        return jobs


CHUNK = 20  # messages marked in flight, then sent, per database transaction (a crash repeats at most these)
FLUSH_SECONDS = 0.25  # and what was accepted is marked at least this often, however slow the server


class _Book:
    """What one batch's sends came to, written in one transaction per chunk."""

    def __init__(self, engine: Engine, settings, worker: str, now: dt.datetime, report: SendReport,
                 db: threading.Lock | None = None):
        self.engine, self.settings, self.worker, self.now, self.report = engine, settings, worker, now, report
        # The lanes of one dispatcher write one at a time: short transactions, no lock waits
        # between them (SQLite) and no two renewals of the same lease at once (PostgreSQL).
        self.db = db or threading.Lock()
        self.sent: dict[int, str] = {}
        self.retry: dict[int, str] = {}
        self.uncertain: set[int] = set()
        self.last = self.leased = time.monotonic()   # the claim set the lease

    def due(self) -> bool:
        return bool(self.sent) and time.monotonic() - self.last >= FLUSH_SECONDS

    def flush(self, in_flight: list[int]) -> None:
        with self.db:
            self._flush(in_flight)

    def _flush(self, in_flight: list[int]) -> None:
        self.last = time.monotonic()
        if self.retry:
            states = claims.retry_later(self.engine, self.settings, self.retry, self.worker, self.now,
                                        self.uncertain)
            self.report.retried += sum(st == "pending" for st in states.values())
            self.report.failed += sum(st == "failed" for st in states.values())
            self.retry, self.uncertain = {}, set()
        if self.sent or in_flight:
            # The lease (every row this worker holds) is renewed when a quarter of it has passed,
            # not at every chunk: the rows are many, the chunks frequent.
            renew = self.last - self.leased >= self.settings.alerts_claim_timeout_seconds / 4
            if renew:
                self.leased = self.last
            claims.progress(self.engine, self.settings, self.worker, self.now, self.sent, in_flight, renew)
            self.report.sent += len(self.sent)
            self.sent = {}


def _prepare(emails: Emails, job: _Job) -> tuple[str, bytes]:
    """The recipient and the bytes of one claimed email."""
    d = job.delivery
    if job.subscription is None:
        return d.recipient or "", to_wire(d.body or "")
    wire = emails.wire(delivery=d, subscriber=job.subscriber, subscription=job.subscription, events=job.events,
                       extra=job.extra, credits=job.credits,
                       message_id=d.message_id)  # stored when queued: every copy carries the same one
    return job.subscriber.email, to_wire(wire)


def _sendable(job: _Job) -> bool:
    return job.subscriber is None or (job.subscriber.status == "active" and job.subscription.active
                                      and bool(job.events))


class _Ahead:
    """Builds the batch's emails on a helper thread, ahead of the sending: the sending mostly waits
    for the server's answers (without the interpreter lock), and the building uses that time."""

    def __init__(self, emails: Emails, jobs: list[_Job]):
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edtracker-render")
        self.futures = {id(j): self.pool.submit(_prepare, emails, j) for j in jobs if _sendable(j)}

    def get(self, job: _Job) -> tuple[str, bytes]:
        """The job's recipient and bytes; raises what building it raised."""
        return self.futures[id(job)].result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _lanes(jobs: list[_Job], connections: int) -> list[list[_Job]]:
    """Split a batch between SMTP connections: a subscriber's messages share one, in order
    (a bounce then stops the rest of them), and a small batch uses one connection."""
    n = max(1, min(connections, len(jobs) // CHUNK))
    lanes: list[list[_Job]] = [[] for _ in range(n)]
    seat: dict[object, int] = {}
    for job in jobs:
        who = ("subscriber", job.subscriber.id) if job.subscriber is not None else ("delivery", job.delivery.id)
        lanes[seat.setdefault(who, len(seat) % n)].append(job)
    return lanes


def send_email(engine: Engine, settings, ids: list[int], worker: str = WORKER,
               now: dt.datetime | None = None) -> SendReport:
    """Send claimed email deliveries over `alerts_smtp_connections` SMTP connections at once;
    record them chunk by chunk."""
    now = now or utcnow()
    jobs = _load(engine, ids)
    ahead = _Ahead(Emails(settings), jobs)
    db = threading.Lock()
    envelope_from = envelope_address(settings.mail_from)

    def lane(mine: list[_Job]) -> SendReport:
        report = SendReport()
        book = _Book(engine, settings, worker, now, report, db)
        with SmtpSender(parse_smtp_url(settings.smtp_url), timeout=settings.alerts_smtp_timeout_seconds) as smtp:
            _send_all(engine, worker, mine, ahead, smtp, book, report, set(), envelope_from)
        return report

    lanes = _lanes(jobs, settings.alerts_smtp_connections)
    try:
        if len(lanes) == 1:
            reports = [lane(lanes[0])]
        else:
            with ThreadPoolExecutor(max_workers=len(lanes), thread_name_prefix="edtracker-smtp") as pool:
                reports = list(pool.map(lane, lanes))
    finally:
        ahead.close()
    total = SendReport()
    for r in reports:
        for k in ("sent", "retried", "bounced", "failed", "cancelled"):
            setattr(total, k, getattr(total, k) + getattr(r, k))
        total.errors.extend(r.errors)
    return total


def _send_all(engine: Engine, worker: str, jobs: list[_Job], ahead: _Ahead, smtp: SmtpSender, book: _Book,
              report: SendReport, bounced: set[int], envelope_from: str) -> None:
    for start in range(0, len(jobs), CHUNK):
        chunk = jobs[start:start + CHUNK]
        book.flush([j.delivery.id for j in chunk])
        for n, job in enumerate(chunk):
            d = job.delivery
            if job.subscriber is not None:
                if job.subscriber.id in bounced:
                    job.subscriber.status = "bounced"
                if not _sendable(job):
                    with book.db:
                        claims.finish(engine, d.id, worker, "cancelled", f"subscriber {job.subscriber.status}")
                    report.cancelled += 1
                    continue
            try:
                recipient, wire = ahead.get(job)
            except Exception as exc:  # noqa: BLE001 - a rendering bug must not lose the alert
                log.error("delivery %s could not be rendered: %r", d.id, exc, exc_info=exc)
                book.retry[d.id] = f"could not render: {exc!r}"
                continue
            try:
                book.sent[d.id] = smtp.send(wire, envelope_from, recipient)
                if book.due():
                    book.flush([])
            except Unreachable as exc:
                # The server is down: this and every message not tried yet wait for it.
                for rest in jobs[start + n:]:
                    book.retry[rest.delivery.id] = str(exc)
                report.errors.append(f"{len(jobs) - start - n} message(s) wait: {exc}")
                book.flush([])
                return
            except TemporaryFailure as exc:
                book.retry[d.id] = str(exc)
                if exc.uncertain:
                    book.uncertain.add(d.id)
                report.errors.append(f"delivery {d.id} to {recipient}: {exc}")
            except PermanentFailure as exc:
                book.flush([])  # what was accepted before is recorded before the bounce
                with book.db:
                    claims.finish(engine, d.id, worker, "bounced" if exc.recipient else "failed", str(exc))
                    if exc.recipient and job.subscriber is not None:
                        bounce(engine, job.subscriber.id, str(exc))
                        bounced.add(job.subscriber.id)
                report.bounced += exc.recipient
                report.failed += not exc.recipient
                report.errors.append(f"delivery {d.id} to {recipient}: {exc}")
    book.flush([])


def bounce(engine: Engine, subscriber_id: int, reason: str) -> None:
    """A permanent refusal of the address: stop sending to it and cancel what is queued."""
    with session_scope(engine) as s:
        person = s.get(Subscriber, subscriber_id)
        person.status, person.bounce_reason, person.bounced_at = "bounced", reason, utcnow()
        s.add(person)
        sub_ids = s.scalars(select(Subscription.id).where(Subscription.subscriber_id == subscriber_id,
                                                          Subscription.channel == "email")).all()
        s.connection().execute(update(Delivery).where(Delivery.subscription_id.in_(sub_ids),
                                                      Delivery.state == "pending")
                               .values(state="cancelled", last_error=f"address bounced: {reason}"))


def webhook_payload(settings, job: _Job) -> dict:
    base = settings.public_url.rstrip("/")
    return {"delivery_id": job.delivery.id, "subscription_id": job.subscription.id,
            "digest": job.delivery.digest_key,
            "events": [{"id": e.id, "natural_key": e.natural_key, "kind": e.kind, "bill_key": e.bill_key,
                        "jurisdiction": e.jurisdiction_id, "payload": e.payload,
                        "votes_followed": job.extra.get(e.id, {}).get("votes", []),
                        "created_at": e.created_at.isoformat() if e.created_at else None,
                        "url": bill_page_url(base, e.bill_key) if e.bill_key else None,
                        "api_url": f"{base}/api/bills/{e.bill_key}" if e.bill_key else None} for e in job.events],
            "attribution": job.credits}


def send_webhooks(engine: Engine, settings, ids: list[int], worker: str = WORKER,
                  now: dt.datetime | None = None) -> SendReport:
    """POST claimed webhook deliveries; disable a subscription after persistent failure."""
    report = SendReport()
    for job in _load(engine, ids):
        d, sub = job.delivery, job.subscription
        if not sub.active or job.subscriber.status not in ("active",):
            claims.finish(engine, d.id, worker, "cancelled", "subscription inactive")
            report.cancelled += 1
            continue
        claims.progress(engine, settings, worker, now or utcnow(), {}, [d.id])  # a crash now may repeat it
        try:
            # One DNS lookup: the address checked is the address connected to.
            status = webhooks.post(sub.webhook_url or "", sub.webhook_secret or "", webhook_payload(settings, job),
                                   d.id, timeout=settings.alerts_webhook_timeout_seconds,
                                   max_response_bytes=settings.alerts_webhook_max_response_bytes,
                                   allow_loopback=settings.alerts_webhook_allow_loopback)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except webhooks.RefusedUrl as exc:
            claims.finish(engine, d.id, worker, "failed", str(exc))
            _webhook_failed(engine, settings, sub.id, str(exc), permanent=True)
            report.failed += 1
            continue
        except OSError as exc:
            error = f"unreachable: {exc}"
        if error is None:
            claims.mark_sent(engine, settings, d.id, worker, f"HTTP {status}", now)
            _webhook_ok(engine, sub.id)
            report.sent += 1
            continue
        state = claims.retry_later(engine, settings, {d.id: error}, worker, now)[d.id]
        report.retried += state == "pending"
        report.failed += state == "failed"
        report.errors.append(f"webhook delivery {d.id}: {error}")
        _webhook_failed(engine, settings, sub.id, error)
    return report


def _webhook_ok(engine: Engine, sub_id: int) -> None:
    with session_scope(engine) as s:
        s.connection().execute(update(Subscription).where(Subscription.id == sub_id)
                               .values(consecutive_failures=0))


def _webhook_failed(engine: Engine, settings, sub_id: int, error: str, permanent: bool = False) -> None:
    with session_scope(engine) as s:
        sub = s.get(Subscription, sub_id)
        sub.consecutive_failures += 1
        if permanent or sub.consecutive_failures >= settings.alerts_webhook_max_failures:
            sub.active, sub.disabled_reason = False, f"disabled after {sub.consecutive_failures} failure(s): {error}"
            s.connection().execute(update(Delivery).where(Delivery.subscription_id == sub_id,
                                                          Delivery.state == "pending")
                                   .values(state="cancelled", last_error="webhook disabled"))
        s.add(sub)


SENDERS = {"email": send_email, "webhook": send_webhooks}


def send_due(engine: Engine, settings, now: dt.datetime | None = None, batch: int = 200,
             worker: str = WORKER) -> SendReport:
    """Recover lost claims, then send every due delivery of every channel, batch by batch.

    On PostgreSQL several dispatchers may run at once (each row is claimed by one). On SQLite
    one runs at a time: a second finds the lock held and returns at once.
    """
    total = SendReport()
    lock = None
    if engine.dialect.name != "postgresql":
        from tracker.ops.locks import DbLock

        lock = DbLock(engine, "alerts-dispatch", ttl=settings.alerts_claim_timeout_seconds)
        claims.drop_dead_lease(engine, "alerts-dispatch")
        if not lock.acquire():
            total.errors.append("another dispatcher is running (SQLite runs one at a time)")
            return total
    try:
        claims.recover(engine, settings, now)
        for channel, send in SENDERS.items():
            seen: set[int] = set()
            while True:
                ids = claims.claim(engine, settings, channel, batch, now, worker)
                if not ids:
                    break
                if lock is not None:
                    lock.renew()
                r = send(engine, settings, ids, worker=worker, now=now)
                for k in ("sent", "retried", "bounced", "failed", "cancelled"):
                    setattr(total, k, getattr(total, k) + getattr(r, k))
                total.errors.extend(r.errors)
                if seen.issuperset(ids):  # only retries came back (a `now` in the future): stop
                    break
                seen.update(ids)
    finally:
        if lock is not None:
            lock.release()
    for err in total.errors[:50]:
        log.warning("alert delivery: %s", err)
    return total


def send_now(engine: Engine, settings, ids: list[int]) -> SendReport:
    """Try at once the emails just queued (a confirmation the visitor waits for); what cannot go
    out now stays queued for the dispatcher. Never raises."""
    try:
        mine = claims.claim_ids(engine, settings, ids)
        return send_email(engine, settings, mine) if mine else SendReport()
    except Exception as exc:  # noqa: BLE001 - the message is safe in the outbox either way
        log.warning("queued email(s) %s not sent at once: %s", ids, exc)
        return SendReport(errors=[str(exc)])
