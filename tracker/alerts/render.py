"""Alert emails: multipart plain text + HTML from Jinja2 templates, grouped by bill."""
from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from email import policy as email_policy
from email.headerregistry import Address, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Iterable

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from tracker.alerts import mime
from tracker.alerts.tokens import make_token
from tracker.bills.keys import bill_page_url
from tracker.models import ChangeEvent, Delivery, Subscriber, Subscription
from tracker.models.base import utcnow

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)

MESSAGES: dict[str, dict] = yaml.load((TEMPLATES / "messages.yaml").read_text(encoding="utf-8"),
                                           Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
LANGS = tuple(MESSAGES)
# One line per event kind, filled from the event's payload (missing fields read as "").
SUMMARIES = MESSAGES["en"]["summary"]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def words(lang: str | None) -> dict:
    """The email catalog of `lang` (English when unknown)."""
    return MESSAGES.get(lang or "en", MESSAGES["en"])


def summary(ev: ChangeEvent, lang: str = "en") -> str:
    w = words(lang)
    p = _Blank({k: ("" if v is None else v) for k, v in (ev.payload or {}).items()})
    p["old_stage_label"] = w["stage"].get(p.get("old_stage"), p.get("old_stage"))
    p["new_stage_label"] = w["stage"].get(p.get("new_stage"), p.get("new_stage"))
    p["when"] = f" ({p['date']})" if p.get("date") else f" ({w['day_unknown']})"
    p["stance_label"] = w["stance"].get(p.get("stance"), w["removed"]) if p.get("stance") else w["removed"]
    return w["summary"].get(ev.kind, "{kind}").format_map(_Blank(p, kind=ev.kind))


def message_id_of(delivery: Delivery, mail_from: str) -> str:
    """Deterministic per delivery: a resend of the same delivery carries the same Message-ID."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "edtracker.invalid"
    digest = hashlib.sha256(delivery.dedupe_key.encode()).hexdigest()[:16]
    return f"<alert.{delivery.id}.{digest}@{domain}>"


def links(base: str, secret: str, subscriber: Subscriber, subscription: Subscription | None) -> dict:
    sid = subscription.id if subscription else None
    tok = lambda purpose, sub=sid: make_token(secret, purpose, subscriber.id, subscriber.token_version, sub)  # noqa: E731
    return {"preferences_url": f"{base}/alerts/preferences/{tok('preferences', None)}",
            "unsubscribe_url": f"{base}/alerts/unsubscribe/{tok('unsubscribe')}",
            "unsubscribe_all_url": f"{base}/alerts/unsubscribe/{tok('unsubscribe', None)}",
            "site_url": base}


class _VerbatimHeader(UnstructuredHeader):
    """A header written as given, never RFC 2047-encoded: RFC 8058 clients read
    `List-Unsubscribe: <https://...>` literally (a URL has no spaces to fold at; up to 998 octets)."""

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


_registry = HeaderRegistry()
for _name in ("list-unsubscribe", "list-unsubscribe-post"):
    _registry.map_to_type(_name, _VerbatimHeader)
# The message's header objects keep their class whatever policy the sender serializes with.
POLICY = email_policy.default.clone(header_factory=_registry)


def batch_facts(session, events: Iterable[ChangeEvent]) -> dict[str, dict]:
    """Identifier, title and stage of the bills of a batch of events, in one query: a dispatcher
    (through `_facts`) reads them once, however many messages are about them."""
    from sqlalchemy import select

    from tracker.models import Bill

    keys = {e.bill_key for e in events if e.bill_key}
    return {b.key: {"identifier": b.identifier, "title": b.title, "stage": b.stage}
            for b in session.scalars(select(Bill).where(Bill.key.in_(keys)))} if keys else {}


# What `_facts` read lately, by database: a digest run sends many messages about the same bills
# and targets, and a stage a minute old reads as well as the event that triggered the email.
_FACTS_TTL, _FACTS_MAX = 60.0, 4096
_facts_cache: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load):
    now = time.monotonic()
    hit = _facts_cache.get(key)
    if hit and hit[0] > now:
        return hit[1]
    if len(_facts_cache) >= _FACTS_MAX:
        _facts_cache.clear()
    value = load()
    _facts_cache[key] = (now + _FACTS_TTL, value)
    return value


def _facts(settings, events: list[ChangeEvent], subscription: Subscription | None) -> tuple[dict, str | None]:
    """Each bill's identifier, title and stage now, and the followed thing's name, from the store
    (remembered a minute); an email still goes out with what its events carry when the store
    cannot say."""
    from sqlmodel import Session

    from tracker.alerts.targets import describe
    from tracker.db import get_engine

    url = settings.effective_database_url
    keys = tuple(sorted({e.bill_key for e in events if e.bill_key}))
    try:
        with Session(get_engine(url)) as s:
            bills = _cached(("bills", url, keys), lambda: batch_facts(s, events))
            label = _cached(("label", url, subscription.target_type, subscription.target),
                            lambda: describe(s, subscription.target_type, subscription.target)) if subscription else None
        return bills, label
    except Exception:  # noqa: BLE001 - the events' own payloads still make a readable email
        return {}, None


def group_by_bill(events: Iterable[ChangeEvent], base: str, extra: dict[int, dict] | None = None,
                  lang: str = "en", bills: dict[str, dict] | None = None) -> list[dict]:
    w = words(lang)
    groups: dict[str, dict] = {}
    for ev in events:
        key = ev.bill_key or ""
        p = ev.payload or {}
        known = (bills or {}).get(key, {})
        g = groups.setdefault(key, {
            "bill_key": ev.bill_key, "title": known.get("title") or p.get("title") or "",
            "identifier": known.get("identifier") or p.get("identifier") or ev.bill_key or w["other_news"],
            "stage": known.get("stage") or p.get("stage"), "stage_label": "",
            "url": bill_page_url(base, ev.bill_key) if ev.bill_key else base, "events": []})
        g["title"] = g["title"] or p.get("title") or ""
        g["stage"] = g["stage"] or p.get("new_stage") or p.get("stage")
        g["stage_label"] = w["stage"].get(g["stage"], "") if g["stage"] else ""
        votes = [dict(v, vote_label=w["vote"].get(v.get("vote"), v.get("vote")),
                      stance_label=w["stance"].get(v.get("stance"), v.get("stance") or ""))
                 for v in (extra or {}).get(ev.id, {}).get("votes", [])]
        g["events"].append({"id": ev.id, "kind": ev.kind, "kind_label": w["kind"].get(ev.kind, ev.kind),
                            "summary": summary(ev, lang), "url": p.get("url"), "votes": votes})
    return sorted(groups.values(), key=lambda g: (g["bill_key"] is None, g["bill_key"] or ""))


def hearing_calendar(events: Iterable[ChangeEvent], base: str, now: dt.datetime) -> str | None:
    """An iCalendar file of the hearings these events announce (None when none has a time)."""
    from tracker.hearings.ical import CalendarEvent, calendar

    found: dict[str, CalendarEvent] = {}
    for ev in events:
        p = ev.payload or {}
        if ev.kind not in ("hearing_scheduled", "hearing_changed") or not p.get("start"):
            continue
        try:
            start = dt.datetime.fromisoformat(p["start"])
        except ValueError:
            continue
        if start.tzinfo is None:
            start = start.replace(tzinfo=dt.timezone.utc)
        key = p.get("hearing_key") or ev.natural_key
        item = found.setdefault(key, CalendarEvent(
            uid=f"hearing-{key}@edtracker", start=start, summary=f"{p.get('committee') or 'Committee'}: hearing",
            location=p.get("location"), description=p.get("description") or "", url=f"{base}/hearings",
            status=p.get("status") or "scheduled"))
        if ev.bill_key and ev.bill_key not in (item.description or ""):
            item.description = f"{item.description}\n{ev.bill_key}".strip()
    if not found:
        return None
    return calendar(found.values(), name="edtracker hearings", now=now)


# Placeholders for the subscriber's own links: a content is rendered once with these in it
# (letters and hyphens only, so no escaping changes them) and each message gets its own links.
SLOTS = {"preferences_url": "edtracker-slot-preferences-url", "unsubscribe_url": "edtracker-slot-unsubscribe-url",
         "unsubscribe_all_url": "edtracker-slot-unsubscribe-all-url"}


@dataclass
class _Content:
    subject: bytes      # the Subject header, encoded
    text: mime.Holes    # the parts, encoded but for the lines holding a subscriber's links
    html: mime.Holes
    ics: str | None
    lang: str


class Emails:
    """The alert and digest emails of one dispatch batch, as SMTP-ready bytes.

    Many subscribers receive the same news (a digest of the same bills for the same issue area, in
    the same language): each distinct content is rendered once (and remembered a minute, as the
    bills' facts are), and each message then
    gets its subscriber's links, unsubscribe headers and Message-ID. Emails have HTML and plain
    text parts, one-click unsubscribe headers (RFC 8058) and hearings attached as iCalendar.
    """

    def __init__(self, settings):
        self.settings = settings
        self.base = settings.public_url.rstrip("/")
        self.from_header = mime.header("From", settings.mail_from)

    def _content(self, delivery: Delivery, subscriber: Subscriber, subscription: Subscription,
                 events: list[ChangeEvent], extra: dict[int, dict] | None, credits: list[dict] | None) -> _Content:
        lang = getattr(subscriber, "lang", None) or "en"
        digest = delivery.digest_key is not None
        key = ("content", self.settings.effective_database_url, self.base, lang, subscription.target_type,
               subscription.target, subscription.frequency, digest, tuple(e.id for e in events),
               repr(sorted((extra or {}).items())), repr(credits or []))
        return _cached(key, lambda: self._render(lang, digest, subscription, events, extra, credits))

    def _render(self, lang: str, digest: bool, subscription: Subscription, events: list[ChangeEvent],
                extra: dict[int, dict] | None, credits: list[dict] | None) -> _Content:
        w = words(lang)
        bills, target_label = _facts(self.settings, events, subscription)
        groups = group_by_bill(events, self.base, extra, lang, bills)
        frequency = w.get(f"frequency_{subscription.frequency}", subscription.frequency)
        if digest:
            subject = w["digest_subject"].format(frequency=frequency, n=len(events), bills=len(groups))
        else:
            g = groups[0]
            subject = f"{g['identifier']}: {g['events'][0]['summary']}"[:180]
        ics = hearing_calendar(events, self.base, utcnow())
        ctx = dict(SLOTS, site_url=self.base, groups=groups, digest=digest, subject=subject,
                   subscription=subscription, w=w, lang=lang, credits=credits or [], frequency=frequency,
                   calendar=ics is not None,
                   target_label=target_label or f"{subscription.target_type.replace('_', ' ')} {subscription.target}")
        slots = list(SLOTS.values())
        return _Content(mime.header("Subject", subject), mime.Holes(_env.get_template("alert.txt").render(ctx), slots),
                        mime.Holes(_env.get_template("alert.html").render(ctx), slots), ics, lang)

    def wire(self, *, delivery: Delivery, subscriber: Subscriber, subscription: Subscription,
             events: list[ChangeEvent], extra: dict[int, dict] | None = None, credits: list[dict] | None = None,
             message_id: str | None = None) -> bytes:
        """One delivery's email; `message_id` is the one stored when it was queued (every copy
        ever sent carries it)."""
        c = self._content(delivery, subscriber, subscription, events, extra, credits)
        own = links(self.base, self.settings.secret_key, subscriber, subscription)
        text = c.text.fill({slot: own[name] for name, slot in SLOTS.items()})
        html = c.html.fill({slot: str(escape(own[name])) for name, slot in SLOTS.items()})
        entity = mime.multipart("alternative", [mime.text_part(text, "plain"), mime.text_part(html, "html")])
        if c.ics:
            entity = mime.multipart("mixed", [entity, mime.text_part(
                c.ics, "calendar", '; method="PUBLISH"', 'attachment; filename="hearing.ics"')])
        headers = [c.subject, self.from_header, mime.header("To", subscriber.email),
                   mime.header("Date", format_datetime(utcnow())),
                   mime.verbatim("Message-ID", message_id or message_id_of(delivery, self.settings.mail_from)),
                   mime.verbatim("List-Unsubscribe", f"<{own['unsubscribe_url']}>"),
                   b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                   b"Auto-Submitted: auto-generated\r\n",
                   mime.verbatim("X-Edtracker-Delivery", str(delivery.id)),
                   mime.verbatim("Content-Language", c.lang)]
        return mime.message(headers, entity)


def build_confirmation(*, settings, subscriber: Subscriber, subscription: Subscription,
                       confirm_url: str, target_label: str | None = None, lang: str | None = None) -> EmailMessage:
    """The double opt-in email: nothing else is sent before its link is followed."""
    lang = lang or getattr(subscriber, "lang", None) or "en"
    w = words(lang)
    ctx = {"confirm_url": confirm_url, "site_url": settings.public_url.rstrip("/"), "w": w, "lang": lang,
           "target_label": target_label or f"{subscription.target_type.replace('_', ' ')} {subscription.target}",
           "subscription": subscription}
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = w["confirm_subject"]
    msg["From"] = settings.mail_from
    msg["To"] = Address(addr_spec=subscriber.email)
    msg["Date"] = format_datetime(utcnow())
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(_env.get_template("confirm.txt").render(ctx))
    msg.add_alternative(_env.get_template("confirm.html").render(ctx), subtype="html")
    msg["Content-Language"] = lang
    return msg
