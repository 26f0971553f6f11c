"""The outbox: plan deliveries from events, claim them, and move them through their states.

pending -> sending (claimed by one worker) -> sent | pending (retry later) | failed | cancelled.
Every step is one transaction; a subscription's cursor moves in the same transaction as the
delivery rows it planned, so an event is either planned for it or still ahead of its cursor.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine

from tracker.alerts.matching import Matcher
from tracker.alerts.sqlutil import aware, insert_ignore
from tracker.db import session_scope
from tracker.models import ChangeEvent, Delivery, Subscriber, Subscription
from tracker.models.base import utcnow

MAX_BACKOFF = 6 * 3600.0
WORKER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _active(session, frequency: str):
    return session.execute(
        select(Subscription).join(Subscriber, Subscriber.id == Subscription.subscriber_id)
        .where(Subscription.active.is_(True), Subscription.frequency == frequency,
               Subscription.channel.in_(("email", "webhook")), Subscriber.status == "active")
        .order_by(Subscription.id)).scalars().all()


def _delivery_row(sub: Subscription, key: str, event_ids: list[int], now: dt.datetime,
                  digest_key: str | None = None) -> dict:
    return {"dedupe_key": f"sub:{sub.id}:{key}", "subscription_id": sub.id, "channel": sub.channel,
            "digest_key": digest_key, "event_ids": event_ids, "state": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now}


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
                    rows.append(_delivery_row(sub, f"event:{ev.id}", [ev.id], now))
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
                rows.append(_delivery_row(sub, f"digest:{key}", matched, now, digest_key=key))
            sub.last_digest_key = key
            if top is not None:
                sub.cursor = max(sub.cursor, top)
        s.flush()
        return len(insert_ignore(s.connection(), Delivery.__table__, rows, "dedupe_key"))


# --- claiming and state transitions (one transaction each) -----------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(engine: Engine, settings, now: dt.datetime | None = None) -> int:
    """Release deliveries left in `sending` by a dispatcher that died.

    Safe because a delivery is marked `sent` before the server can accept it: one still in
    `sending` was never accepted. A live worker that lost its claim finds out when it tries to
    mark it (the update is conditional on its claim) and aborts the SMTP transaction.
    """
    now = now or utcnow()
    stale = now - dt.timedelta(seconds=settings.alerts_claim_timeout_seconds)
    host = socket.gethostname()
    released = []
    with session_scope(engine) as s:
        for d in s.scalars(select(Delivery).where(Delivery.state == "sending")):
            who_host, _, rest = (d.claimed_by or "").partition(":")
            pid = rest.partition(":")[0]
            dead_here = who_host == host and pid.isdigit() and not _pid_alive(int(pid))
            if dead_here or (aware(d.claimed_at) or now) <= stale:
                released.append(d.id)
        if released:
            s.connection().execute(update(Delivery).where(Delivery.id.in_(released), Delivery.state == "sending")
                                   .values(state="pending", claimed_by=None,
                                           last_error="released after its dispatcher stopped"))
    return len(released)


def claim(engine: Engine, channel: str, limit: int, now: dt.datetime | None = None,
          worker: str = WORKER) -> list[int]:
    """Move up to `limit` due pending deliveries of `channel` to `sending` for `worker`."""
    now = now or utcnow()
    with session_scope(engine) as s:
        ids = s.scalars(select(Delivery.id).where(
            Delivery.state == "pending", Delivery.channel == channel,
            or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now))
            .order_by(Delivery.id).limit(limit)).all()
        if not ids:
            return []
        s.connection().execute(update(Delivery).where(Delivery.id.in_(ids), Delivery.state == "pending")
                               .values(state="sending", claimed_by=worker, claimed_at=now,
                                       attempts=Delivery.attempts + 1))
    with session_scope(engine) as s:
        return s.scalars(select(Delivery.id).where(Delivery.id.in_(ids), Delivery.claimed_by == worker,
                                                   Delivery.state == "sending").order_by(Delivery.id)).all()


def _mine(delivery_id: int, worker: str, states: tuple[str, ...]):
    return and_(Delivery.id == delivery_id, Delivery.claimed_by == worker, Delivery.state.in_(states))


def mark_sent(engine: Engine, delivery_id: int, worker: str, message_id: str | None = None) -> bool:
    """`sending` -> `sent`, only while this worker holds the claim; True if it did."""
    with session_scope(engine) as s:
        res = s.connection().execute(update(Delivery).where(_mine(delivery_id, worker, ("sending",)))
                                     .values(state="sent", sent_at=utcnow(), message_id=message_id))
        return res.rowcount == 1


def record_replies(engine: Engine, replies: dict[int, str]) -> None:
    """Store the server's answers (a delivery marked sent without one is 'unconfirmed')."""
    if not replies:
        return
    with session_scope(engine) as s:
        conn = s.connection()
        for did, reply in replies.items():
            conn.execute(update(Delivery).where(Delivery.id == did).values(server_reply=reply[:300]))


def retry_later(engine: Engine, settings, delivery_id: int, worker: str, error: str,
                now: dt.datetime | None = None) -> str:
    """Back to `pending` with exponential backoff, or `failed` after the last attempt."""
    now = now or utcnow()
    with session_scope(engine) as s:
        d = s.get(Delivery, delivery_id)
        if d is None or d.claimed_by != worker or d.state not in ("sending", "sent"):
            return "lost"
        if d.attempts >= settings.alerts_max_attempts:
            d.state, d.last_error = "failed", f"gave up after {d.attempts} attempts: {error}"
        else:
            delay = min(settings.alerts_retry_base_seconds * 2 ** max(d.attempts - 1, 0), MAX_BACKOFF)
            d.state, d.last_error = "pending", error
            d.next_attempt_at, d.claimed_by, d.sent_at = now + dt.timedelta(seconds=delay), None, None
        s.add(d)
        return d.state


def finish(engine: Engine, delivery_id: int, worker: str, state: str, error: str | None) -> None:
    """Final state for a claimed delivery: failed, cancelled, or a note on a sent one."""
    with session_scope(engine) as s:
        s.connection().execute(update(Delivery).where(_mine(delivery_id, worker, ("sending", "sent")))
                               .values(state=state, last_error=error))
