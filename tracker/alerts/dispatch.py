"""Send what the outbox holds: email through SMTP, webhooks over HTTP."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from tracker.alerts import outbox, webhooks
from tracker.alerts.matching import Matcher
from tracker.alerts.render import build_email, message_id
from tracker.bills.attribution import credits, legiscan_events
from tracker.alerts.smtp import (Ambiguous, NotCommitted, PermanentFailure, SmtpSender, TemporaryFailure,
                                 envelope_address, parse_smtp_url)
from tracker.bills.keys import bill_page_url
from tracker.db import session_scope
from tracker.models import ChangeEvent, Delivery, Legislator, Subscriber, Subscription
from tracker.models.base import utcnow

log = logging.getLogger("edtracker.alerts")


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "retried": self.retried, "failed": self.failed,
                "cancelled": self.cancelled}


@dataclass
class _Job:
    delivery: Delivery
    subscription: Subscription
    subscriber: Subscriber
    events: list[ChangeEvent]
    extra: dict[int, dict]
    credits: list[dict] = field(default_factory=list)  # LegiScan's, when an event shows its data


def _load(engine: Engine, ids: list[int]) -> list[_Job]:
    with session_scope(engine) as s:
        deliveries = s.scalars(select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id)).all()
        subs = {x.id: x for x in s.scalars(select(Subscription).where(
            Subscription.id.in_({d.subscription_id for d in deliveries})))}
        people = {x.id: x for x in s.scalars(select(Subscriber).where(
            Subscriber.id.in_({x.subscriber_id for x in subs.values()})))}
        events = {e.id: e for e in s.scalars(select(ChangeEvent).where(
            ChangeEvent.id.in_({i for d in deliveries for i in d.event_ids})))}
        matcher = Matcher(s, [e for e in events.values() if e.kind == "roll_call"])
        from_legiscan = legiscan_events(s, events.values())
        followed: dict[int, list[int]] = {}
        jobs = []
        for d in deliveries:
            sub = subs[d.subscription_id]
            person = people[sub.subscriber_id]
            evs = [events[i] for i in d.event_ids if i in events]
            extra = {}
            if any(e.kind == "roll_call" for e in evs):
                if person.id not in followed:
                    keys = s.scalars(select(Subscription.target).where(
                        Subscription.subscriber_id == person.id, Subscription.target_type == "legislator",
                        Subscription.active.is_(True))).all()
                    followed[person.id] = list(s.scalars(select(Legislator.id).where(Legislator.key.in_(keys))))
                for e in evs:
                    if e.kind == "roll_call":
                        extra[e.id] = {"votes": matcher.vote_lines(
                            e, followed[person.id], sub.coalition_id or person.coalition_id)}
            jobs.append(_Job(d, sub, person, evs, extra, credits(any(e.id in from_legiscan for e in evs))))
        return jobs


def send_email(engine: Engine, settings, ids: list[int], worker: str = outbox.WORKER,
               now: dt.datetime | None = None) -> SendReport:
    """Send claimed email deliveries over one SMTP connection."""
    report = SendReport()
    replies: dict[int, str] = {}
    bounced: set[int] = set()
    envelope_from = envelope_address(settings.mail_from)
    with SmtpSender(parse_smtp_url(settings.smtp_url)) as smtp:
        for job in _load(engine, ids):
            d = job.delivery
            if job.subscriber.id in bounced:
                job.subscriber.status = "bounced"
            if job.subscriber.status != "active" or not job.subscription.active or not job.events:
                outbox.finish(engine, d.id, worker, "cancelled", f"subscriber {job.subscriber.status}")
                report.cancelled += 1
                continue
            msg = build_email(settings=settings, delivery=d, subscriber=job.subscriber,
                              subscription=job.subscription, events=job.events, extra=job.extra,
                              credits=job.credits)
            mid = message_id(d, settings.mail_from)
            try:
                replies[d.id] = smtp.send(msg, envelope_from, job.subscriber.email,
                                          commit=lambda: outbox.mark_sent(engine, d.id, worker, mid))
                report.sent += 1
            except NotCommitted:
                continue
            except TemporaryFailure as exc:
                state = outbox.retry_later(engine, settings, d.id, worker, str(exc), now)
                report.retried += state == "pending"
                report.failed += state == "failed"
                report.errors.append(f"delivery {d.id} to {job.subscriber.email}: {exc}")
            except PermanentFailure as exc:
                outbox.finish(engine, d.id, worker, "failed", str(exc))
                report.failed += 1
                report.errors.append(f"delivery {d.id} to {job.subscriber.email}: {exc}")
                if exc.recipient:
                    bounce(engine, job.subscriber.id, str(exc))
                    bounced.add(job.subscriber.id)
            except Ambiguous as exc:
                # Marked sent before the final dot; without the server's answer we do not resend.
                outbox.finish(engine, d.id, worker, "sent", f"unconfirmed: {exc}")
                report.sent += 1
    outbox.record_replies(engine, replies)
    return report


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


def send_webhooks(engine: Engine, settings, ids: list[int], worker: str = outbox.WORKER,
                  now: dt.datetime | None = None) -> SendReport:
    """POST claimed webhook deliveries; disable a subscription after persistent failure."""
    report = SendReport()
    for job in _load(engine, ids):
        d, sub = job.delivery, job.subscription
        if not sub.active or job.subscriber.status not in ("active",):
            outbox.finish(engine, d.id, worker, "cancelled", "subscription inactive")
            report.cancelled += 1
            continue
        try:
            # One DNS lookup: the address checked is the address connected to.
            status = webhooks.post(sub.webhook_url or "", sub.webhook_secret or "", webhook_payload(settings, job),
                                   d.id, timeout=settings.alerts_webhook_timeout_seconds,
                                   max_response_bytes=settings.alerts_webhook_max_response_bytes,
                                   allow_loopback=settings.alerts_webhook_allow_loopback)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except webhooks.RefusedUrl as exc:
            outbox.finish(engine, d.id, worker, "failed", str(exc))
            _webhook_failed(engine, settings, sub.id, str(exc), permanent=True)
            report.failed += 1
            continue
        except OSError as exc:
            error = f"unreachable: {exc}"
        if error is None:
            outbox.mark_sent(engine, d.id, worker)
            outbox.record_replies(engine, {d.id: f"HTTP {status}"})
            _webhook_ok(engine, sub.id)
            report.sent += 1
            continue
        state = outbox.retry_later(engine, settings, d.id, worker, error, now)
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


def send_due(engine: Engine, settings, now: dt.datetime | None = None, batch: int = 200) -> SendReport:
    """Recover lost claims, then send every due delivery of every channel, batch by batch."""
    total = SendReport()
    outbox.recover(engine, settings, now)
    for channel, send in SENDERS.items():
        seen: set[int] = set()
        while True:
            ids = outbox.claim(engine, channel, batch, now)
            if not ids:
                break
            r = send(engine, settings, ids, now=now)
            for k in ("sent", "retried", "failed", "cancelled"):
                setattr(total, k, getattr(total, k) + getattr(r, k))
            total.errors.extend(r.errors)
            if seen.issuperset(ids):  # only retries came back (a `now` in the future): stop
                break
            seen.update(ids)
    for err in total.errors[:50]:
        log.warning("alert delivery: %s", err)
    return total
