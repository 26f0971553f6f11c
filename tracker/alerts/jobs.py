"""Entry points for the scheduler ("tracker.alerts.jobs:dispatch" every minute,
"tracker.alerts.jobs:digests" every few minutes: each subscriber's local time decides) and the CLI."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tracker.alerts import outbox
from tracker.alerts.dispatch import send_due
from tracker.db import get_engine, session_scope
from tracker.models import Delivery, Subscriber, Subscription
from tracker.settings import get_settings


def _ctx():
    settings = get_settings()
    return settings, get_engine(settings.effective_database_url)


def dispatch(now: dt.datetime | None = None) -> dict:
    """Plan immediate alerts from new events, then send everything due (all channels)."""
    settings, engine = _ctx()
    planned = outbox.plan_immediate(engine, settings, now)
    return {"planned": planned, **send_due(engine, settings, now).as_dict()}


def digests(now: dt.datetime | None = None, frequencies: tuple[str, ...] = ("daily", "weekly"),
            force: bool = False) -> dict:
    """Plan the digests due at each subscriber's local time, then send everything due."""
    settings, engine = _ctx()
    planned = sum(outbox.plan_digests(engine, settings, f, now, force=force) for f in frequencies)
    return {"planned": planned, **send_due(engine, settings, now).as_dict()}


SUMMARY_STATES = {"pending": ("pending", "sending"), "sent": ("sent",), "bounced": ("bounced",),
                  "failed": ("failed",), "cancelled": ("cancelled",)}


def status(engine=None, failures: int = 20, coalition_id: int | None = None) -> dict:
    """Delivery counts by channel and state, the totals staff read (pending = queued or being sent;
    possibly repeated = sent after an attempt whose outcome was unknown, so a second copy with the
    same Message-ID may have arrived), recent failures, bounced and disabled targets.

    With `coalition_id`, only what was sent for that coalition (its staff's view).
    """
    engine = engine or _ctx()[1]
    with session_scope(engine) as s:
        mine = ((Delivery.subscription_id.in_(select(Subscription.id).where(Subscription.coalition_id == coalition_id))
                 | (Delivery.coalition_id == coalition_id))
                if coalition_id is not None else Delivery.id.isnot(None))
        counts: dict[str, dict[str, int]] = {}
        for channel, state, n in s.execute(select(Delivery.channel, Delivery.state, func.count()).where(mine)
                                           .group_by(Delivery.channel, Delivery.state)):
            counts.setdefault(channel, {})[state] = n
        totals = {name: sum(by.get(st, 0) for by in counts.values() for st in states)
                  for name, states in SUMMARY_STATES.items()}
        totals["possibly_repeated"] = s.scalar(select(func.count()).select_from(Delivery).where(
            mine, Delivery.state == "sent", Delivery.uncertain > 0)) or 0
        waiting = s.scalar(select(func.min(Delivery.created_at)).where(mine, Delivery.state.in_(("pending", "sending"))))
        failed = [{"id": d.id, "subscription_id": d.subscription_id, "channel": d.channel, "state": d.state,
                   "purpose": d.purpose, "attempts": d.attempts, "error": d.last_error,
                   "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None}
                  for d in s.scalars(select(Delivery).where(mine).where(
                      Delivery.state.in_(("failed", "bounced")) | ((Delivery.state == "pending") & (Delivery.attempts > 0)))
                      .order_by(Delivery.id.desc()).limit(failures))]
        bounced = [{"email": p.email, "reason": p.bounce_reason} for p in s.scalars(
            select(Subscriber).where(Subscriber.status == "bounced").where(
                Subscriber.coalition_id == coalition_id if coalition_id is not None else Subscriber.id.isnot(None))
            .limit(failures))]
        disabled = [{"id": x.id, "url": x.webhook_url, "reason": x.disabled_reason} for x in s.scalars(
            select(Subscription).where(Subscription.channel == "webhook", Subscription.active.is_(False),
                                       Subscription.coalition_id == coalition_id if coalition_id is not None
                                       else Subscription.id.isnot(None),
                                       Subscription.disabled_reason.like("disabled after%")).limit(failures))]
    return {"deliveries": counts, "totals": totals,
            "oldest_waiting": waiting.isoformat() if waiting is not None else None, "failures": failed,
            "bounced": bounced, "disabled_webhooks": disabled}
