"""iCalendar (RFC 5545) writing: escaped TEXT values, lines folded at 75 octets, CRLF endings,
times in UTC. The `/hearings.ics` feed and the alerts' hearing feed both write through it."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

# Control characters other than HTAB are not allowed in TEXT (RFC 5545 3.3.11).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
STATUSES = {"scheduled": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


@dataclass
class CalendarEvent:
    """One VEVENT. `uid` must stay the same for the same event in every version of the feed."""

    uid: str
    start: dt.datetime
    summary: str
    end: dt.datetime | None = None
    location: str | None = None
    description: str | None = None
    url: str | None = None
    status: str = "scheduled"
    categories: tuple[str, ...] = ()
    last_modified: dt.datetime | None = None


def escape(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped, control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> list[str]:
    """RFC 5545 line folding: at most 75 octets a line, continuations start with a space, and a
    UTF-8 sequence is never split."""
    out, raw = [], line.encode("utf-8")
    while len(raw) > (75 if not out else 74):
        cut = 75 if not out else 74
        while raw[cut] & 0xC0 == 0x80:
            cut -= 1
        out.append(raw[:cut].decode("utf-8"))
        raw = raw[cut:]
    out.append(raw.decode("utf-8"))
    return [out[0]] + [" " + x for x in out[1:]]


def utc(value: dt.datetime) -> str:
    """A DATE-TIME in UTC form (20250401T140000Z); naive values are taken as UTC (as stored)."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _uri(value: str) -> str:
    # A URI value is not TEXT: no escaping, but it may not carry control characters or line breaks.
    return _CONTROL.sub("", value.replace("\r", "").replace("\n", ""))


def _event(e: CalendarEvent, stamp: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{escape(e.uid)}", f"DTSTAMP:{stamp}", f"DTSTART:{utc(e.start)}"]
    if e.end is not None:
        lines.append(f"DTEND:{utc(e.end)}")
    lines += [f"SUMMARY:{escape(e.summary)}", f"STATUS:{STATUSES.get(e.status, 'CONFIRMED')}"]
    if e.location:
        lines.append(f"LOCATION:{escape(e.location)}")
    if e.description:
        lines.append(f"DESCRIPTION:{escape(e.description)}")
    if e.url:
        lines.append(f"URL:{_uri(e.url)}")
    if e.categories:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in e.categories))
    if e.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{utc(e.last_modified)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[CalendarEvent], *, name: str, now: dt.datetime,
             prodid: str = "-//edtracker//hearings//EN", refresh_hours: int | None = None) -> str:
    """A VCALENDAR with `events`; `refresh_hours` suggests how often subscribers re-read it (RFC 7986)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape(prodid)}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"NAME:{escape(name)}", f"X-WR-CALNAME:{escape(name)}"]
    if refresh_hours:
        lines += [f"REFRESH-INTERVAL;VALUE=DURATION:PT{int(refresh_hours)}H",
                  f"X-PUBLISHED-TTL:PT{int(refresh_hours)}H"]
    stamp = utc(now)
    for e in events:
        lines += _event(e, stamp)
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))
