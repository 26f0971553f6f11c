"""The outbox: plan deliveries from events, and queue ready-made emails (`enqueue`).

A subscription's cursor moves in the same transaction as the delivery rows it planned, so an
event is either planned for it or still ahead of its cursor. States: `tracker.alerts.claims`.
"""
from __future__ import annotations

import datetime as dt
import uuid
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.engine import Engine

from tracker.alerts.claims import new_message_id
from tracker.alerts.matching import Matcher
from tracker.store.sqlutil import aware, insert_ignore
from tracker.db import session_scope
from tracker.models import ChangeEvent, Delivery, Subscriber, Subscription
from tracker.models.base import utcnow



def _active(session, frequency: str):
    return session.execute(
        select(Subscription).join(Subscriber, Subscriber.id == Subscription.subscriber_id)
        .where(Subscription.active.is_(True), Subscription.frequency == frequency,
               Subscription.channel.in_(("email", "webhook")), Subscriber.status == "active")
        .order_by(Subscription.id)).scalars().all()


def _delivery_row(sub: Subscription, key: str, event_ids: list[int], now: dt.datetime, mail_from: str,
                  digest_key: str | None = None) -> dict:
    # The Message-ID is fixed now, with the row: a copy sent after a crash carries the same one.
    return {"dedupe_key": f"sub:{sub.id}:{key}", "subscription_id": sub.id, "channel": sub.channel,
            "digest_key": digest_key, "event_ids": event_ids, "state": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now, "purpose": "alert", "in_flight": False, "uncertain": 0,
            "message_id": new_message_id(mail_from) if sub.channel == "email" else None}


def plan_immediate(engine: Engine, settings, now: dt.datetime | None = None) -> int:
    """One delivery per (immediate subscription, matching event) not planned before."""
    now = now or utcnow()
    lookback = now - dt.timedelta(seconds=settings.alerts_settle_seconds)
    with session_scope(engine) as s:
        subs = _active(s, "immediate")
        if not subs:
            return 0
        low = min(sub.cursor for sub in subs)
        # Re-read the last few seconds too: an id can commit after a higher one (PostgreSQL);
        # the unique dedupe key makes the second look harmless.
        events = s.scalars(select(ChangeEvent).where(or_(ChangeEvent.id > low, ChangeEvent.created_at >= lookback))
                           .order_by(ChangeEvent.id)).all()
        if not events:
            return 0
        top = events[-1].id
        m = Matcher(s, events)
        rows = []
        for sub in subs:
            for ev in events:
                if (ev.id > sub.cursor or aware(ev.created_at) >= lookback) and m.matches(sub, ev):
                    rows.append(_delivery_row(sub, f"event:{ev.id}", [ev.id], now, settings.mail_from))
            sub.cursor = max(sub.cursor, top)
        s.flush()
        return len(insert_ignore(s.connection(), Delivery.__table__, rows, "dedupe_key"))


def digest_key(sub: Subscription, now: dt.datetime, force: bool = False) -> str | None:
    """The digest a subscription is due for at `now` in its own time zone, or None."""
    local = now.astimezone(ZoneInfo(sub.timezone or "UTC"))
    hh, mm = (int(x) for x in (sub.send_time or "08:00").split(":"))
    at = local.replace(hour=hh, minute=mm, second=0, microsecond=0)
    if sub.frequency == "daily":
        return f"daily:{local.date().isoformat()}" if force or local >= at else None
    if sub.frequency == "weekly":
        year, week, _ = local.isocalendar()
        due = local.weekday() > sub.weekday or (local.weekday() == sub.weekday and local >= at)
        return f"weekly:{year}-W{week:02d}" if force or due else None
    return None


def plan_digests(engine: Engine, settings, frequency: str, now: dt.datetime | None = None,
                 force: bool = False) -> int:
    """One digest delivery per due subscription with matching events; return how many."""
    now = now or utcnow()
    horizon = now - dt.timedelta(seconds=settings.alerts_settle_seconds)
    with session_scope(engine) as s:
        due = []
        for sub in _active(s, frequency):
            key = digest_key(sub, now, force)
            if key and key != sub.last_digest_key:
                due.append((sub, key))
        if not due:
            return 0
        low = min(sub.cursor for sub, _ in due)
        events = s.scalars(select(ChangeEvent).where(ChangeEvent.id > low, ChangeEvent.created_at <= horizon)
                           .order_by(ChangeEvent.id)).all()
        top = events[-1].id if events else None
        m = Matcher(s, events)
        rows = []
        for sub, key in due:
            matched = [ev.id for ev in events if ev.id > sub.cursor and m.matches(sub, ev)]
            if matched:
                rows.append(_delivery_row(sub, f"digest:{key}", matched, now, settings.mail_from, digest_key=key))
            sub.last_digest_key = key
            if top is not None:
                sub.cursor = max(sub.cursor, top)
        s.flush()
        return len(insert_ignore(s.connection(), Delivery.__table__, rows, "dedupe_key"))


# --- ready-made emails: confirmations, password resets, invitations ---------------------------


def enqueue(db, message: EmailMessage, recipient: str, *, purpose: str, mail_from: str | None = None,
            coalition_id: int | None = None) -> Delivery:
    """Queue one ready-made email in the caller's transaction; the dispatcher sends it.

    The Message-ID is chosen here and stored: every copy ever sent carries it. Call before the
    caller commits, so the email exists exactly when what it is about exists; then, to send it at
    once rather than at the next dispatcher run, `tracker.alerts.dispatch.send_now(engine,
    settings, [delivery.id])` after the commit.
    """
    mid = new_message_id(mail_from or str(message.get("From") or ""), purpose.replace("_", "-"))
    del message["Message-ID"]
    message["Message-ID"] = mid
    row = Delivery(dedupe_key=f"mail:{purpose}:{uuid.uuid4().hex}", purpose=purpose, recipient=recipient,
                   body=message.as_string(policy=SMTP_POLICY), coalition_id=coalition_id, channel="email",
                   event_ids=[], state="pending", message_id=mid, next_attempt_at=utcnow())
    db.add(row)
    db.flush()
    return row
