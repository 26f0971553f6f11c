"""Atom feeds of change events and an iCalendar feed of hearings."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Collection, Iterable

from tracker.alerts.kinds import EVENT_KINDS
from tracker.alerts.render import summary
from tracker.store.sqlutil import aware
from tracker.bills.attribution import LEGISCAN, credit_text, credits
from tracker.bills.keys import bill_page_url
from tracker.hearings.ical import CalendarEvent, calendar
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


def icalendar(hearings: Iterable[tuple[Hearing, list[str]]], *, name: str, base: str,
              now: dt.datetime) -> str:
    """A VCALENDAR of hearings (with the followed bills on their agenda); times in UTC."""
    events = []
    for h, bills in hearings:
        if h.start is None:
            continue
        start = aware(h.start).astimezone(dt.timezone.utc)
        desc = (h.description or "") + "\n" + "\n".join(bill_page_url(base, b) for b in bills)
        events.append(CalendarEvent(uid=f"{h.key}@edtracker", start=start, end=start + dt.timedelta(hours=2),
                                    summary=(h.committee_name or "Hearing") + ": " + ", ".join(bills),
                                    location=h.location, description=desc.strip(), status=h.status))
    return calendar(events, name=name, now=now, prodid="-//edtracker//alerts//EN")


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
