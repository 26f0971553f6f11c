"""Session calendars as data (`tracker/data/calendars.yaml`): when sessions start and end, and when a
pending bill dies.

A stored session's dates are resolved from, best first: the calendar file's entry for it, what
sources reported (Open States' end dates, LegiScan's sine_die flag), the jurisdiction's rules in
the file (CA's November 30 of the even year, KY's March 30 / April 15, a congress's 3 January),
and last the nominal end of the identifier's last year. See docs/stages.md.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from tracker.jurisdictions.congress import current_congress

CALENDAR_FILE = Path(__file__).resolve().parent.parent / "data" / "calendars.yaml"
# Stages a bill can die in when its session ends. A bill sent to the executive is not killed by
# adjournment: governors (and the President) act on it after the legislature goes home.
PENDING = ("introduced", "in_committee", "out_of_committee", "passed_origin", "passed_second")
_BEFORE_ORIGIN = ("introduced", "in_committee", "out_of_committee")
# Which reported end dates are believed, best first (formats are matched by prefix).
_REPORTERS = ("openstates", "legiscan", "ny-openleg")
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2}


@dataclass(frozen=True)
class Death:
    """When and why a pending bill died; `date` is None when a source says the session ended
    without saying when."""

    date: dt.date | None
    reason: str  # adjournment | origin-deadline


@lru_cache
def calendars() -> dict[str, dict]:
    """The calendar file, per jurisdiction (cached; `calendars.cache_clear()` after editing it)."""
    data = yaml.load(CALENDAR_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {str(k): v for k, v in data.items()}


def rules(jurisdiction: str) -> dict:
    return calendars().get(jurisdiction, {})


def known_session(jurisdiction: str, identifier: str) -> dict | None:
    for entry in rules(jurisdiction).get("sessions") or []:
        if str(entry["identifier"]) == identifier:
            return entry
    return None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _month_day(year: int, md: str) -> dt.date:
    month, day = (int(x) for x in md.split("-"))
    return dt.date(year, month, day)


def _by_parity(value: Any, year: int) -> Any:
    if isinstance(value, dict):
        return value.get("odd" if year % 2 else "even", value.get("every"))
    return value


def _nth_weekday(year: int, month: int, weekday: int, after: int = 0) -> dt.date:
    """The first `weekday` of the month strictly after day `after` (0: the first of the month)."""
    day = dt.date(year, month, after + 1)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _convenes(rule: str | None, first_year: int) -> dt.date:
    if rule == "first monday of december before":
        return _nth_weekday(first_year - 1, 12, 0)
    if rule == "first tuesday after first monday of january":
        return _nth_weekday(first_year, 1, 0) + dt.timedelta(days=1)
    if rule == "first wednesday after first monday of january":
        return _nth_weekday(first_year, 1, 0) + dt.timedelta(days=2)
    return dt.date(first_year, 1, 1)


def years_of(jurisdiction: str, identifier: str) -> tuple[int, int] | None:
    """First and last calendar year of a session identifier, or None when it names none."""
    if jurisdiction == "us" and identifier.isdigit():
        start = 1787 + 2 * int(identifier)
        return start, start + 1
    m = re.match(r"^(\d{4})(\d{4})?", identifier)
    if not m:
        return None
    first = int(m.group(1))
    if m.group(2):
        return first, int(m.group(2))
    if rules(jurisdiction).get("pattern") == "biennial_start_year" and not _special(identifier):
        return first, first + 1
    return first, first


def _special(identifier: str) -> bool:
    return bool(re.search(r"(S|X|SS|Special)\d*$", identifier, re.I))


def default_session(jurisdiction: str, identifier: str) -> dict:
    """Name, dates and carry-over of a session known only by its identifier: the calendar file's
    entry, else the jurisdiction's rules, else the whole of the identifier's years."""
    r = rules(jurisdiction)
    special = _special(identifier)
    years = years_of(jurisdiction, identifier)
    out: dict[str, Any] = {"name": identifier, "start_date": None, "end_date": None,
                           "classification": "special" if special else "primary",
                           "carry_over": False, "sine_die_date": None, "dates_source": "default"}
    if years and not special:  # a special session's dates come from the file or a source only
        first, last = years
        out.update(start_date=dt.date(first, 1, 1), end_date=dt.date(last, 12, 31),
                   carry_over=last > first)
        if jurisdiction == "us" and identifier.isdigit():
            out["name"] = f"{_ordinal(int(identifier))} Congress"
        else:
            out["name"] = f"{first}-{last} Regular Session" if last > first else f"{first} Regular Session"
        if r:
            out["carry_over"] = bool(r.get("carry_over", last > first))
            if r.get("convenes") == "congress":
                out["start_date"], out["end_date"] = dt.date(first, 1, 3), dt.date(first + 2, 1, 3)
            else:
                out["start_date"] = _convenes(r.get("convenes"), first)
                last_day = _by_parity(r.get("last_day"), last)
                if last_day:
                    out["end_date"] = _month_day(last, last_day)
            out["dates_source"] = "rule"
    entry = known_session(jurisdiction, identifier)
    if entry:
        out.update({k: v for k, v in (("name", entry.get("name")),
                                      ("classification", entry.get("classification"))) if v})
        out["start_date"] = entry.get("start") or out["start_date"]
        out["end_date"] = entry.get("sine_die") or entry.get("end") or out["end_date"]
        out["sine_die_date"] = entry.get("sine_die")
        out["dates_source"] = "calendar"
    return out


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _reporter_rank(fmt: str) -> tuple[int, str]:
    for i, prefix in enumerate(_REPORTERS):
        if fmt.startswith(prefix):
            return i, fmt
    return len(_REPORTERS), fmt


def resolve(jurisdiction: str, identifier: str, reported: dict[str, dict]) -> dict:
    """The stored values of a session: the calendar's, filled in by what sources reported.

    `reported` maps a source format to what it said (name, classification, start_date,
    end_date, carry_over, sine_die). The result never depends on the order sources arrived in.
    """
    out = default_session(jurisdiction, identifier)
    sources = sorted(reported, key=_reporter_rank)
    out["adjourned"] = False  # only what sources say; a calendar date is judged against today
    if out["dates_source"] != "calendar":
        for fmt in sources:
            said = reported[fmt]
            if out["dates_source"] == "default" and said.get("name"):
                out["name"] = said["name"]
            if said.get("classification") == "special":
                out["classification"] = "special"
            start, end = _date(said.get("start_date")), _date(said.get("end_date"))
            if start and out["dates_source"] in ("default", "rule") and fmt.startswith("openstates"):
                out["start_date"] = start
            if end and fmt.startswith("openstates") and out["dates_source"] != "openstates":
                # Open States' end dates are the session's real ones; the first (best) one wins.
                out["end_date"], out["dates_source"] = end, "openstates"
            if said.get("carry_over") and out["dates_source"] == "default":
                out["carry_over"] = True
    out["adjourned"] = out["adjourned"] or any(bool(reported[f].get("sine_die")) for f in sources)
    return out


def death(row, *, stage: str, bill_type: str, introduced_date: dt.date | None,
          today: dt.date) -> Death | None:
    """Whether a bill at `stage` in the stored session `row` has died by `today`, and when."""
    if stage not in PENDING:
        return None
    deadline = origin_deadline(row.jurisdiction_id, row.identifier, bill_type, introduced_date)
    if deadline and stage in _BEFORE_ORIGIN and deadline < today:
        return Death(deadline, "origin-deadline")
    end = row.sine_die_date or row.end_date
    if end is not None and end < today:
        return Death(end, "adjournment")
    if row.adjourned:
        # A source says the session adjourned, without a date: the rule-based end is a bound,
        # not the day; the nominal end of the year is neither.
        known = row.sine_die_date or (row.end_date if row.dates_source != "default" and row.end_date
                                      and row.end_date <= today else None)
        return Death(known, "adjournment")
    return None


def may_kill(row, today: dt.date) -> bool:
    """Whether any pending bill of the stored session `row` can have died by `today` (a quick
    test before looking at its bills)."""
    end = row.sine_die_date or row.end_date
    if row.adjourned or (end is not None and end < today):
        return True
    years = years_of(row.jurisdiction_id, row.identifier)
    if not years:
        return False
    deadline = origin_deadline(row.jurisdiction_id, row.identifier, "bill", dt.date(years[0], 1, 1))
    return bool(deadline and deadline < today)


def origin_deadline(jurisdiction: str, identifier: str, bill_type: str,
                    introduced_date: dt.date | None) -> dt.date | None:
    """The day of the second year by which a first-year bill must pass its house of origin."""
    rule = rules(jurisdiction).get("origin_deadline")
    years = years_of(jurisdiction, identifier)
    if not rule or not years or _special(identifier) or years[1] == years[0]:
        return None
    if bill_type in (rule.get("exempt") or []) or introduced_date is None:
        return None
    if introduced_date.year > years[0]:
        return None
    return _month_day(years[1], str(rule["day"]))


def sits(jurisdiction: str, day: dt.date, sessions: list) -> bool:
    """Whether the legislature meets for business on `day`: within a session (stored or known to
    the calendar) and within the calendar's sitting periods of that year."""
    covered = any(_covers(s, day) for s in sessions)
    if not covered:
        covered = _calendar_covers(jurisdiction, day)
    if not covered:
        return False
    period = _by_parity(rules(jurisdiction).get("sits"), day.year)
    if not period:
        return True
    return _month_day(day.year, period[0]) <= day <= _month_day(day.year, period[1])


def in_session(jurisdiction: str, day: dt.date, sessions: list) -> bool:
    """Whether a session of the jurisdiction covers `day` (unknown dates count as yes)."""
    return any(_covers(s, day) for s in sessions) or _calendar_covers(jurisdiction, day)


def _covers(s, day: dt.date) -> bool:
    end = s.sine_die_date or s.end_date
    if getattr(s, "adjourned", False) and not s.sine_die_date and s.dates_source == "default":
        return False  # a source says it adjourned; the nominal end is not a sitting day
    return (s.start_date is None or s.start_date <= day) and (end is None or day <= end)


def _calendar_covers(jurisdiction: str, day: dt.date) -> bool:
    """A session the calendar knows or can compute covers `day` (e.g. the congress in office)."""
    r = rules(jurisdiction)
    if not r:
        return False
    candidates = [str(e["identifier"]) for e in r.get("sessions") or []]
    if r.get("pattern") == "congress":
        candidates.append(str(current_congress(day)))
    elif r.get("pattern") in ("annual",):
        candidates.append(str(day.year))
    elif r.get("pattern") == "biennial":
        first = day.year if day.year % 2 else day.year - 1
        candidates += [f"{first}{first + 1}", f"{first + 2}{first + 3}"]
    elif r.get("pattern") == "biennial_start_year":
        first = day.year if day.year % 2 else day.year - 1
        candidates.append(str(first))
    for ident in candidates:
        s = default_session(jurisdiction, ident)
        end = s["sine_die_date"] or s["end_date"]
        if s["start_date"] and s["start_date"] <= day and (end is None or day <= end):
            return True
    return False
