"""Alert emails: multipart plain text + HTML from Jinja2 templates, grouped by bill."""
from __future__ import annotations

import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Iterable

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tracker.alerts.kinds import EVENT_KINDS, OPS_EVENT_KINDS
from tracker.alerts.tokens import make_token
from tracker.bills.keys import bill_page_url
from tracker.models import ChangeEvent, Delivery, Subscriber, Subscription
from tracker.models.base import utcnow
from tracker.vocab import STAGE_LABELS, STANCES

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)

# One line per event kind, filled from the event's payload (missing fields read as "").
SUMMARIES = {
    "new_bill": "New bill: {title}",
    "stage_changed": "Stage changed: {old_stage_label} -> {new_stage_label}",
    "died_at_adjournment": "Died when session {session} ended{when}, still {old_stage_label}",
    "source_flagged": "Source {job_id} flagged after {streak} failed or stale runs in a row: {reason}",
    "new_action": "{date}: {description}",
    "hearing_scheduled": "Hearing scheduled {start} ({committee}, {location})",
    "hearing_changed": "Hearing changed: {status} {start} ({committee}, {location})",
    "roll_call": "Roll call {roll_number} on {motion}: {result}",
    "new_version": "New text: {note}",
    "sponsor_added": "Sponsor added: {sponsor}",
    "sponsor_withdrawn": "Sponsor withdrawn: {sponsor}",
    "position_changed": "Coalition position: {stance_label}",
    "scored_vote_notice": "Scored-vote notice: {title}",
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def summary(ev: ChangeEvent) -> str:
    p = _Blank({k: ("" if v is None else v) for k, v in (ev.payload or {}).items()})
    p["old_stage_label"] = STAGE_LABELS.get(p.get("old_stage"), p.get("old_stage"))
    p["new_stage_label"] = STAGE_LABELS.get(p.get("new_stage"), p.get("new_stage"))
    p["when"] = f" ({p['date']})" if p.get("date") else " (day not published)"
    p["stance_label"] = STANCES.get(p.get("stance"), "removed") if p.get("stance") else "removed"
    return SUMMARIES.get(ev.kind, "{kind}").format_map(_Blank(p, kind=ev.kind))


def message_id(delivery: Delivery, mail_from: str) -> str:
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


def group_by_bill(events: Iterable[ChangeEvent], base: str, extra: dict[int, dict] | None = None) -> list[dict]:
    groups: dict[str, dict] = {}
    for ev in events:
        key = ev.bill_key or ""
        g = groups.setdefault(key, {
            "bill_key": ev.bill_key, "title": (ev.payload or {}).get("title") or "",
            "identifier": (ev.payload or {}).get("identifier") or ev.bill_key or "Other news",
            "url": bill_page_url(base, ev.bill_key) if ev.bill_key else base, "events": []})
        if not g["title"]:
            g["title"] = (ev.payload or {}).get("title") or ""
        label = EVENT_KINDS.get(ev.kind) or OPS_EVENT_KINDS.get(ev.kind, ev.kind)
        g["events"].append({"id": ev.id, "kind": ev.kind, "kind_label": label,
                            "summary": summary(ev), "url": (ev.payload or {}).get("url"),
                            "votes": (extra or {}).get(ev.id, {}).get("votes", [])})
    return sorted(groups.values(), key=lambda g: (g["bill_key"] is None, g["bill_key"] or ""))


def build_email(*, settings, delivery: Delivery, subscriber: Subscriber, subscription: Subscription,
                events: list[ChangeEvent], extra: dict[int, dict] | None = None,
                credits: list[dict] | None = None) -> EmailMessage:
    """The alert or digest email of one delivery, with one-click unsubscribe headers (RFC 8058)."""
    base = settings.public_url.rstrip("/")
    ctx = links(base, settings.secret_key, subscriber, subscription)
    groups = group_by_bill(events, base, extra)
    digest = delivery.digest_key is not None
    if digest:
        subject = f"edtracker {subscription.frequency} digest: {len(events)} update(s) on {len(groups)} bill(s)"
    else:
        g = groups[0]
        subject = f"{g['identifier']}: {g['events'][0]['summary']}"[:180]
    ctx.update(groups=groups, digest=digest, subject=subject, subscription=subscription, credits=credits or [],
               target_label=f"{subscription.target_type.replace('_', ' ')} {subscription.target}")
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.mail_from
    msg["To"] = Address(addr_spec=subscriber.email)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = message_id(delivery, settings.mail_from)
    msg["List-Unsubscribe"] = f"<{ctx['unsubscribe_url']}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Edtracker-Delivery"] = str(delivery.id)
    msg.set_content(_env.get_template("alert.txt").render(ctx))
    msg.add_alternative(_env.get_template("alert.html").render(ctx), subtype="html")
    return msg


def build_confirmation(*, settings, subscriber: Subscriber, subscription: Subscription,
                       confirm_url: str) -> EmailMessage:
    """The double opt-in email: nothing else is sent before its link is followed."""
    ctx = {"confirm_url": confirm_url, "site_url": settings.public_url.rstrip("/"),
           "target_label": f"{subscription.target_type.replace('_', ' ')} {subscription.target}",
           "subscription": subscription}
    msg = EmailMessage()
    msg["Subject"] = "Confirm your edtracker alert"
    msg["From"] = settings.mail_from
    msg["To"] = Address(addr_spec=subscriber.email)
    msg["Date"] = format_datetime(utcnow())
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(_env.get_template("confirm.txt").render(ctx))
    msg.add_alternative(_env.get_template("confirm.html").render(ctx), subtype="html")
    return msg
