"""The iCalendar writer (RFC 5545) shared by `/hearings.ics` and the alerts' hearing feed:
escaping, line folding, UTC times, stable UIDs; its output read back by the `icalendar` package."""
from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from tracker.hearings.ical import CalendarEvent, calendar, escape, fold

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.timezone.utc)
NASTY = "Room 124, CAP; \"B\\C\"\r\nline two\nthird — Educación\x07"


def octets(text: str) -> list[int]:
    return [len(line.encode("utf-8")) for line in text.split("\r\n") if line]


def test_escape_text_values():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape("one\r\ntwo\rthree") == "one\\ntwo\\nthree"     # CR LF and a lone CR are one newline
    assert escape("bell\x07 tab\there") == "bell tab\there"       # control characters dropped, TAB kept


@pytest.mark.parametrize("text", ["a" * n for n in (1, 74, 75, 76, 149, 150, 151, 224, 225, 300)]
                         + ["é" * n for n in (37, 38, 75, 76, 150)] + ["a" + "€" * 60, "ab" + "😀" * 40])
def test_folded_lines_never_pass_75_octets_nor_split_a_character(text):
    lines = fold("DESCRIPTION:" + text)
    assert all(len(line.encode("utf-8")) <= 75 for line in lines), [len(x.encode()) for x in lines]
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join([lines[0]] + [line[1:] for line in lines[1:]]) == "DESCRIPTION:" + text


def test_feed_reads_back_with_the_icalendar_package():
    events = [CalendarEvent(uid="ny-2017-agenda5-labor@edtracker", start=dt.datetime(2017, 2, 6, 17, 0),
                            summary="Labor (New York): S100, S200", location=NASTY, description=NASTY * 3,
                            url="https://example.org/committees/ny-upper-labor?x=1,2", status="cancelled"),
              CalendarEvent(uid="ca-event-1@edtracker", end=None, summary="Educación: AB 1",
                            start=dt.datetime(2025, 4, 9, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
                            status="postponed")]
    text = calendar(events, name="edtracker, hearings; test", now=NOW, refresh_hours=6)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert max(octets(text)) <= 75
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]) == "-//edtracker//hearings//EN"
    # The package does not type NAME (RFC 7986) and X-WR-CALNAME: their TEXT comes back escaped.
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "edtracker\\, hearings\\; test"
    got = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(got) == {"ny-2017-agenda5-labor@edtracker", "ca-event-1@edtracker"}
    labor = got["ny-2017-agenda5-labor@edtracker"]
    # naive stored times are UTC; aware ones are converted to UTC
    assert labor.decoded("DTSTART") == dt.datetime(2017, 2, 6, 17, 0, tzinfo=dt.timezone.utc)
    assert got["ca-event-1@edtracker"].decoded("DTSTART") == dt.datetime(2025, 4, 9, 23, 30, tzinfo=dt.timezone.utc)
    assert str(labor["LOCATION"]) == NASTY.replace("\r\n", "\n").replace("\x07", "")
    assert str(labor["DESCRIPTION"]) == (NASTY * 3).replace("\r\n", "\n").replace("\x07", "")
    assert str(labor["URL"]) == "https://example.org/committees/ny-upper-labor?x=1,2"
    assert str(labor["STATUS"]) == "CANCELLED" and str(got["ca-event-1@edtracker"]["STATUS"]) == "TENTATIVE"
    assert labor.decoded("DTSTAMP") == NOW
    assert "DTEND" not in labor          # the sources give no end time; none is invented


def test_same_hearing_same_uid_in_every_version_of_the_feed():
    e = CalendarEvent(uid="h1@edtracker", start=NOW, summary="A")
    first = calendar([e], name="x", now=NOW)
    later = calendar([CalendarEvent(uid="h1@edtracker", start=NOW, summary="A (moved)")], name="x",
                     now=NOW + dt.timedelta(days=1))
    uid = lambda text: [str(v["UID"]) for v in icalendar.Calendar.from_ical(text).walk("VEVENT")]  # noqa: E731
    assert uid(first) == uid(later) == ["h1@edtracker"]


def test_alerts_feed_folds_long_lines_within_75_octets():
    """Regression: the alerts' feed folded a continuation of exactly 75 octets into a 76-octet line."""
    from types import SimpleNamespace

    from tracker.alerts.feeds import icalendar as alerts_ics

    h = SimpleNamespace(key="k", start=dt.datetime(2025, 4, 1, 14, 0), committee_name="Education", location=None,
                        description="x" * (150 - len("DESCRIPTION:")), status="scheduled")
    text = alerts_ics([(h, [])], name="n", base="http://t", now=NOW)
    assert max(octets(text)) <= 75, octets(text)
    assert str(icalendar.Calendar.from_ical(text).walk("VEVENT")[0]["DESCRIPTION"]) == h.description
