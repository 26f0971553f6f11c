"""A coalition's own webhooks: registered by its admins, fed by the alert outbox with the events
about the bills the coalition takes a position on, signed with a secret shown once.

They are alert subscriptions (channel "webhook", target the coalition) of one subscriber row per
coalition, so delivery, retries and disabling after failures are the outbox's (tracker.alerts).
"""
from __future__ import annotations

import secrets
import time

from sqlalchemy import select, update

from tracker.alerts import webhooks
from tracker.alerts.kinds import EVENT_KINDS
from tracker.coalitions import audit
from tracker.models import ChangeEvent, Coalition, Delivery, StaffUser, Subscriber, Subscription
from tracker.models.base import utcnow

URL_MAX = 2000
TEST_DELIVERY_ID = 0   # the X-Edtracker-Delivery of a test: no outbox row stands behind it


class HookError(ValueError):
    def __init__(self, field: str, code: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field, self.code, self.problem = field, code, problem


def owner_address(coalition: Coalition) -> str:
    # A reserved-domain address (RFC 2606): the row only groups the coalition's webhooks.
    return f"webhooks+{coalition.id}@coalition.invalid"


def _owner(db, coalition: Coalition) -> Subscriber:
    email = owner_address(coalition)
    person = db.execute(select(Subscriber).where(Subscriber.email == email)).scalar_one_or_none()
    if person is None:
        person = Subscriber(email=email, status="active", coalition_id=coalition.id, confirmed_at=utcnow())
        db.add(person)
        db.flush()
    return person


def listed(db, coalition: Coalition) -> list[Subscription]:
    """The coalition's webhooks, live ones first (never their secrets: callers show url and state)."""
    return list(db.execute(select(Subscription).join(Subscriber, Subscriber.id == Subscription.subscriber_id)
                           .where(Subscriber.email == owner_address(coalition), Subscription.channel == "webhook")
                           .order_by(Subscription.active.desc(), Subscription.id.desc())).scalars())


def _hook(db, coalition: Coalition, hook_id: int) -> Subscription:
    for sub in listed(db, coalition):
        if sub.id == hook_id:
            return sub
    raise LookupError(f"no webhook {hook_id} in {coalition.slug}")


def register(db, coalition: Coalition, by: StaffUser, url: str, kinds: list[str], *,
             allow_loopback: bool = False) -> tuple[Subscription, str]:
    """A live webhook for `kinds` (all kinds when empty); returns it and its signing secret, the
    one time it is shown. The URL must reach a public address (loopback only when allowed)."""
    url = (url or "").strip()
    if not url:
        raise HookError("url", "url_missing", "a URL is required")
    if len(url) > URL_MAX:
        raise HookError("url", "url_too_long", f"at most {URL_MAX} characters")
    bad = [k for k in kinds if k not in EVENT_KINDS]
    if bad:
        raise HookError("kinds", "kinds", f"unknown event kind(s): {', '.join(bad)}")
    try:
        webhooks.check_url(url, allow_loopback=allow_loopback)
    except webhooks.RefusedUrl as exc:
        raise HookError("url", "url_refused", str(exc)) from None
    except OSError as exc:
        raise HookError("url", "url_unresolved", str(exc)) from None
    secret = "whsec_" + secrets.token_urlsafe(32)
    cursor = db.execute(select(ChangeEvent.id).order_by(ChangeEvent.id.desc()).limit(1)).scalar() or 0
    sub = Subscription(subscriber_id=_owner(db, coalition).id, target_type="coalition", target=coalition.slug,
                       kinds=list(dict.fromkeys(kinds)), channel="webhook", webhook_url=url, webhook_secret=secret,
                       coalition_id=coalition.id, active=True, cursor=cursor,
                       feed_token=secrets.token_urlsafe(24))
    db.add(sub)
    db.flush()
    audit.record(db, coalition, by, "webhook.registered", url, {"webhook": sub.id, "kinds": sub.kinds})
    return sub, secret


def revoke(db, coalition: Coalition, by: StaffUser, hook_id: int) -> Subscription:
    """Stop a webhook for good: nothing more is signed or sent, queued deliveries are cancelled."""
    sub = _hook(db, coalition, hook_id)
    if sub.webhook_secret is None and not sub.active:
        return sub
    sub.active, sub.disabled_reason, sub.webhook_secret = False, "revoked", None
    db.add(sub)
    db.execute(update(Delivery).where(Delivery.subscription_id == sub.id, Delivery.state == "pending")
               .values(state="cancelled", last_error="webhook revoked").execution_options(synchronize_session=False))
    audit.record(db, coalition, by, "webhook.revoked", sub.webhook_url, {"webhook": sub.id})
    return sub


def test_payload(coalition: Coalition, sub: Subscription) -> dict:
    return {"test": True, "delivery_id": TEST_DELIVERY_ID, "subscription_id": sub.id,
            "coalition": coalition.slug, "sent_at": int(time.time()), "events": []}


def test_fire(db, coalition: Coalition, by: StaffUser, hook_id: int, settings) -> tuple[bool, str]:
    """POST a signed test delivery now; (ok, what happened). Recorded in the audit log."""
    sub = _hook(db, coalition, hook_id)
    if sub.webhook_secret is None:
        raise HookError("test", "revoked", "this webhook is revoked")
    try:
        status = webhooks.post(sub.webhook_url or "", sub.webhook_secret, test_payload(coalition, sub),
                               TEST_DELIVERY_ID, timeout=settings.alerts_webhook_timeout_seconds,
                               max_response_bytes=settings.alerts_webhook_max_response_bytes,
                               allow_loopback=settings.alerts_webhook_allow_loopback)
        ok, outcome = 200 <= status < 300, f"HTTP {status}"
    except webhooks.RefusedUrl as exc:
        ok, outcome = False, str(exc)
    except OSError as exc:
        ok, outcome = False, f"unreachable: {exc}"
    audit.record(db, coalition, by, "webhook.tested", sub.webhook_url, {"webhook": sub.id, "ok": ok,
                                                                        "outcome": outcome[:300]})
    return ok, outcome
