"""Sign-up with double opt-in, confirmation, preferences and unsubscribe (service functions)."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from tracker.alerts.kinds import CHANNELS, EVENT_KINDS, FREQUENCIES, TARGET_TYPES
from tracker.alerts.render import LANGS, build_confirmation
from tracker.alerts.targets import Choice, NotFound, resolve
from tracker.alerts.tokens import BadToken, make_token, read_token
from tracker.models import Subscriber, Subscription
from tracker.models.base import utcnow

EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class InvalidRequest(ValueError):
    """A sign-up or preference change naming the field that is wrong."""

    def __init__(self, field: str, problem: str, choices: list | None = None):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem, self.choices = field, problem, choices or []


@dataclass
class SubscriptionRequest:
    email: str
    target_type: str
    target: str
    kinds: list[str]
    frequency: str = "immediate"
    send_time: str = "08:00"
    timezone: str = "America/New_York"
    weekday: int = 0
    channel: str = "email"
    webhook_url: str | None = None
    coalition_id: int | None = None
    lang: str = "en"

    def validate(self) -> None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        self.email = self.email.strip().lower()
        if not EMAIL_RE.match(self.email) or len(self.email) > 254:
            raise InvalidRequest("email", "not an email address")
        if self.target_type not in TARGET_TYPES:
            raise InvalidRequest("target_type", f"expected one of {sorted(TARGET_TYPES)}")
        if not self.target.strip():
            raise InvalidRequest("target", "empty")
        bad = [k for k in self.kinds if k not in EVENT_KINDS]
        if bad:
            raise InvalidRequest("kinds", f"unknown kind(s) {bad}")
        if self.frequency not in FREQUENCIES:
            raise InvalidRequest("frequency", f"expected one of {list(FREQUENCIES)}")
        if self.channel not in CHANNELS:
            raise InvalidRequest("channel", f"expected one of {list(CHANNELS)}")
        if not TIME_RE.match(self.send_time):
            raise InvalidRequest("send_time", "expected HH:MM")
        if not 0 <= int(self.weekday) <= 6:
            raise InvalidRequest("weekday", "0 (Monday) to 6 (Sunday)")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidRequest("timezone", f"unknown time zone {self.timezone!r}") from None
        if self.channel == "webhook" and not self.webhook_url:
            raise InvalidRequest("webhook_url", "required for the webhook channel")


def resolve_target(session, req: SubscriptionRequest) -> Choice:
    """Replace what was typed by the canonical key of what it names (a committee or legislator
    by any of its keys or names); `InvalidRequest` on "target" when nothing, or several, match."""
    try:
        found = resolve(session, req.target_type, req.target)
    except NotFound as exc:
        problem = "several match: choose one" if exc.choices else "nothing by that name or key"
        raise InvalidRequest("target", problem, exc.choices) from None
    req.target = found.key
    return found


def request_subscription(session, settings, req: SubscriptionRequest):
    """Store an inactive subscription and return the confirmation email to send.

    Known and unknown addresses take the same path (a confirmation email every time), so the
    caller's answer cannot reveal whether an address is known.
    """
    req.validate()
    found = resolve_target(session, req)
    person = session.scalar(select(Subscriber).where(Subscriber.email == req.email))
    if person is None:
        person = Subscriber(email=req.email, status="pending", coalition_id=req.coalition_id,
                            lang=req.lang if req.lang in LANGS else "en")
        session.add(person)
        session.flush()
    sub = Subscription(subscriber_id=person.id, target_type=req.target_type, target=req.target.strip(),
                       kinds=list(dict.fromkeys(req.kinds)), frequency=req.frequency,
                       send_time=req.send_time, timezone=req.timezone, weekday=int(req.weekday),
                       channel=req.channel, webhook_url=req.webhook_url,
                       webhook_secret=secrets.token_urlsafe(32) if req.channel == "webhook" else None,
                       coalition_id=req.coalition_id, active=False, disabled_reason="awaiting confirmation",
                       feed_token=secrets.token_urlsafe(24), cursor=_current_cursor(session))
    session.add(sub)
    session.flush()
    token = make_token(settings.secret_key, "confirm", person.id, person.token_version, sub.id)
    lang = req.lang if req.lang in LANGS else "en"
    url = f"{settings.public_url.rstrip('/')}/alerts/confirm/{token}?lang={lang}"
    return build_confirmation(settings=settings, subscriber=person, subscription=sub, confirm_url=url,
                              target_label=found.label, lang=lang)


def _current_cursor(session) -> int:
    """New subscriptions start at the newest event: they get what happens from now on."""
    from sqlalchemy import func

    from tracker.models import ChangeEvent

    return session.scalar(select(func.max(ChangeEvent.id))) or 0


def confirm(session, settings, token: str) -> tuple[Subscriber, Subscription]:
    """Activate the subscriber and the subscription the link names (double opt-in)."""
    data = read_token(settings.secret_key, "confirm", token)
    person, sub = _resolve(session, data)
    if sub is None:
        raise BadToken("this confirm link is not valid")
    if person.status in ("pending", "unsubscribed"):
        person.status, person.confirmed_at = "active", utcnow()
    if sub.disabled_reason == "awaiting confirmation":
        sub.active, sub.disabled_reason = True, None
        sub.cursor = max(sub.cursor, _current_cursor(session))
    session.add_all([person, sub])
    return person, sub


def _resolve(session, data: dict) -> tuple[Subscriber, Subscription | None]:
    person = session.get(Subscriber, data["s"])
    if person is None or person.token_version != data.get("v"):
        raise BadToken("this link is no longer valid")
    sub = None
    if data.get("sub") is not None:
        sub = session.get(Subscription, data["sub"])
        if sub is None or sub.subscriber_id != person.id:
            raise BadToken("this link is no longer valid")
    return person, sub


def subscriber_from(session, settings, purpose: str, token: str) -> tuple[Subscriber, Subscription | None]:
    """The subscriber (and subscription) a preferences or unsubscribe link names."""
    return _resolve(session, read_token(settings.secret_key, purpose, token))


def unsubscribe(session, settings, token: str) -> int:
    """Turn off the subscription the link names, or all of them; return how many were on."""
    person, sub = subscriber_from(session, settings, "unsubscribe", token)
    subs = [sub] if sub is not None else list(session.scalars(
        select(Subscription).where(Subscription.subscriber_id == person.id)))
    count = 0
    for s in subs:
        count += bool(s.active)
        s.active, s.disabled_reason = False, "unsubscribed"
        session.add(s)
    if sub is None:
        person.status, person.unsubscribed_at = "unsubscribed", utcnow()
        session.add(person)
    return count


def update_preferences(session, subscription: Subscription, *, frequency: str | None = None,
                       kinds: list[str] | None = None, send_time: str | None = None,
                       timezone: str | None = None, weekday: int | None = None,
                       active: bool | None = None) -> Subscription:
    """Change how one subscription is delivered (validated like a sign-up)."""
    req = SubscriptionRequest(email="x@example.org", target_type=subscription.target_type,
                              target=subscription.target, kinds=kinds if kinds is not None else subscription.kinds,
                              frequency=frequency or subscription.frequency,
                              send_time=send_time or subscription.send_time,
                              timezone=timezone or subscription.timezone,
                              weekday=subscription.weekday if weekday is None else weekday,
                              channel=subscription.channel, webhook_url=subscription.webhook_url)
    req.validate()
    subscription.frequency, subscription.kinds = req.frequency, req.kinds
    subscription.send_time, subscription.timezone, subscription.weekday = req.send_time, req.timezone, req.weekday
    if active is not None and subscription.disabled_reason != "awaiting confirmation":
        subscription.active = active
        subscription.disabled_reason = None if active else "turned off by the subscriber"
    session.add(subscription)
    return subscription
