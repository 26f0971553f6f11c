"""Atom feeds of change events and an iCalendar feed of hearings."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Collection, Iterable

from tracker.alerts.kinds import EVENT_KINDS
from tracker.alerts.render import summary
from tracker.alerts.sqlutil import aware
from tracker.bills.attribution import LEGISCAN, credit_text, credits
from tracker.bills.keys import bill_page_url
from tracker.models import ChangeEvent, Hearing

ATOM = "http://www.w3.org/2005/Atom"


def atom(*, title: str, feed_id: str, self_url: str, base: str, events: Iterable[ChangeEvent],
         credited: Collection[int] = ()) -> bytes:
    """An Atom 1.0 document (RFC 4287), newest event first; entry ids are the natural keys.
    Entries of `credited` events (showing LegiScan data) carry its credit in `rights`."""
    ET.register_namespace("", ATOM)
    q = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    events = sorted(events, key=lambda e: e.id, reverse=True)
    feed = ET.Element(q("feed"))
    ET.SubElement(feed, q("title")).text = title
    ET.SubElement(feed, q("id")).text = feed_id
    ET.SubElement(feed, q("link"), rel="self", href=self_url)
    ET.SubElement(feed, q("link"), rel="alternate", href=base)
    updated = max((aware(e.created_at) for e in events), default=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    ET.SubElement(feed, q("updated")).text = updated.isoformat()
    ET.SubElement(ET.SubElement(feed, q("author")), q("name")).text = "edtracker"
    notice = credit_text(credits(bool(set(credited) & {e.id for e in events})))
    if notice:
        ET.SubElement(feed, q("rights")).text = notice
    for e in events:
        entry = ET.SubElement(feed, q("entry"))
        label = (e.payload or {}).get("identifier") or e.bill_key or ""
        ET.SubElement(entry, q("title")).text = f"{label}: {summary(e)}" if label else summary(e)
        ET.SubElement(entry, q("id")).text = f"tag:edtracker,2025:event:{e.natural_key}"
        ET.SubElement(entry, q("updated")).text = aware(e.created_at).isoformat()
        ET.SubElement(entry, q("category"), term=e.kind, label=EVENT_KINDS.get(e.kind, e.kind))
        if e.bill_key:
            ET.SubElement(entry, q("link"), href=bill_page_url(base, e.bill_key))
        ET.SubElement(entry, q("summary")).text = summary(e)
        if e.id in credited:
            ET.SubElement(entry, q("rights")).text = notice
            ET.SubElement(entry, q("link"), rel="license", href=LEGISCAN["license_url"])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """RFC 5545 line folding at 75 octets."""
    out, raw = [], line.encode("utf-8")
    while len(raw) > 75:
        cut = 75 if not out else 74
        while raw[cut] & 0xC0 == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        out.append(raw[:cut].decode())
        raw = raw[cut:]
    out.append(raw.decode())
    return [out[0]] + [" " + x for x in out[1:]]


def icalendar(hearings: Iterable[tuple[Hearing, list[str]]], *, name: str, base: str,
              now: dt.datetime) -> str:
    """A VCALENDAR of hearings (with the followed bills on their agenda); times in UTC."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//edtracker//alerts//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(name)}"]
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for h, bills in hearings:
        if h.start is None:
            continue
        start = aware(h.start).astimezone(dt.timezone.utc)
        lines += ["BEGIN:VEVENT", f"UID:{_ics_text(h.key)}@edtracker", f"DTSTAMP:{stamp}",
                  f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTEND:{(start + dt.timedelta(hours=2)).strftime('%Y%m%dT%H%M%SZ')}",
                  f"SUMMARY:{_ics_text((h.committee_name or 'Hearing') + ': ' + ', '.join(bills))}",
                  f"STATUS:{'CANCELLED' if h.status == 'cancelled' else 'CONFIRMED'}"]
        if h.location:
            lines.append(f"LOCATION:{_ics_text(h.location)}")
        desc = (h.description or "") + "\n" + "\n".join(bill_page_url(base, b) for b in bills)
        lines += [f"DESCRIPTION:{_ics_text(desc.strip())}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(f + "\r\n" for line in lines for f in _fold(line))


def matching_events(session, sub, *, limit: int = 50, scan: int = 2000) -> list[ChangeEvent]:
    """The newest events a subscription (or an unsaved one describing a feed) matches."""
    from sqlalchemy import select

    from tracker.alerts.matching import Matcher

    events = session.scalars(select(ChangeEvent).order_by(ChangeEvent.id.desc()).limit(scan)).all()
    m = Matcher(session, events)
    return [e for e in events if m.matches(sub, e)][:limit]


def followed_hearings(session, subscriber_id: int) -> list[tuple[Hearing, list[str]]]:
    """Hearings with a bill the subscriber follows on the agenda, with those bills."""
    from sqlalchemy import select

    from tracker.models import HearingBill, Subscription

    keys = set(session.scalars(select(Subscription.target).where(
        Subscription.subscriber_id == subscriber_id, Subscription.target_type == "bill",
        Subscription.active.is_(True))))
    if not keys:
        return []
    found: dict[int, tuple[Hearing, list[str]]] = {}
    for h, bill_key in session.execute(select(Hearing, HearingBill.bill_key)
                                       .join(HearingBill, HearingBill.hearing_id == Hearing.id)
                                       .where(HearingBill.bill_key.in_(keys)).order_by(Hearing.start)):
        found.setdefault(h.id, (h, []))[1].append(bill_key)
    return list(found.values())
