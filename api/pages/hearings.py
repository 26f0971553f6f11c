"""`/hearings` (upcoming hearings of education committees and bills, filterable, past ones a
click away) and its iCalendar `/hearings.ics`, over the service of `/api/hearings`."""
from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep, SettingsDep
from api.i18n import request_lang, translator
from api.i18n import format as fmt
from api.pages.common import render
from api.pages.people import committee_url
from api.routes.hearings import HearingFilterDep
from tracker.hearings.ical import CalendarEvent, calendar
from tracker.hearings.listing import HearingFilter, hearing_jurisdictions, list_hearings
from tracker.people.directory import FilterError
from tracker.people.record import key_path

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
ICS_MAX = 1000          # events in one calendar
ICS_PAST_DAYS = 30      # a subscribed calendar keeps the last month's hearings

Text = Annotated[str | None, Query(max_length=200)]


def _date(name: str, value: str | None) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: {value[:20]!r} is not a date (YYYY-MM-DD)") from None


def page_filter(jurisdiction: Text = None, chamber: Text = None, committee: Text = None,
                date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
                date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None,
                when: Annotated[str | None, Query(max_length=20)] = None,
                scope: Annotated[str | None, Query(max_length=20)] = None) -> HearingFilter:
    """The page's filters: a form sends blank fields, which mean "any"; a value that cannot be
    used is a 400 page naming it."""
    try:
        return HearingFilter.checked(jurisdiction=jurisdiction, chamber=chamber, committee=committee,
                                     date_from=_date("from", date_from), date_to=_date("to", date_to),
                                     when=when, scope=scope)
    except FilterError as err:
        raise HTTPException(400, str(err)) from None


def query_of(f: HearingFilter, **changes) -> dict[str, str]:
    """The filter as query parameters (defaults left out), with `changes` (None drops one)."""
    q = {"jurisdiction": f.jurisdiction, "chamber": f.chamber, "committee": f.committee,
         "from": f.date_from.isoformat() if f.date_from else None,
         "to": f.date_to.isoformat() if f.date_to else None,
         "when": None if f.when == ("all" if f.date_from or f.date_to else "upcoming") else f.when,
         "scope": None if f.scope == "education" else f.scope}
    q.update(changes)
    return {k: v for k, v in q.items() if v}


def _link(path: str, query: dict) -> str:
    return f"{path}?{urlencode(query)}" if query else path


_WEEKDAYS = {"en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
             "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")}


def day_label(day: dt.date, lang: str) -> str:
    """"Tuesday, February 7, 2017" / "martes, 7 de febrero de 2017"."""
    return f"{_WEEKDAYS.get(lang, _WEEKDAYS['en'])[day.weekday()]}, {fmt.format_date(day, lang, 'long')}"


def _clock(value: dt.datetime) -> str:
    """"12:00 EST" in the legislature's time."""
    return f"{value:%H:%M} {value.tzname() or ''}".strip()


def by_day(items, lang: str) -> list[tuple[str, list]]:
    """Hearings grouped by their local date, in the list's order."""
    days: list[tuple[dt.date, list]] = []
    for h in items:
        day = h.local_start.date()
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(h)
    return [(day_label(day, lang), rows) for day, rows in days]


@router.get("/hearings", response_class=HTMLResponse)
def hearings_page(request: Request, db: SessionDep, f: Annotated[HearingFilter, Depends(page_filter)],
                  page: Annotated[int, Query(ge=1, le=20_000)] = 1) -> HTMLResponse:
    result = list_hearings(db, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    lang = request_lang(request)
    t = translator(lang)
    base = query_of(f)
    chambers = [(c, fmt.chamber_name(f.jurisdiction, c, lang) if f.jurisdiction else t(f"people.chamber_{c}"))
                for c in ("upper", "lower", "legislature")]
    pages = max(1, -(-result.total // PAGE_SIZE))
    return render(request, "hearings.html", {
        "f": f, "result": result, "base_query": base,
        "jurisdictions": sorted(hearing_jurisdictions(db), key=lambda j: (j != "us", fmt.jurisdiction_name(j, lang))),
        "chambers": chambers,
        "ics_url": _link("/hearings.ics", base),
        "upcoming_url": _link("/hearings", query_of(f, when=None, **{"from": None, "to": None})),
        "past_url": _link("/hearings", query_of(f, when="past", **{"from": None, "to": None})),
        "all_scope_url": _link("/hearings", query_of(f, scope="all")),
        "pager": {"page": page, "pages": pages,
                  "prev": _link("/hearings", {**base, **({"page": page - 1} if page > 2 else {})}) if page > 1 else None,
                  "next": _link("/hearings", {**base, "page": page + 1}) if page * PAGE_SIZE < result.total else None},
        "days": by_day(result.items, lang), "clock": lambda h: _clock(h.local_start),
        "committee_url": committee_url, "bill_url": lambda key: "/bill/" + key_path(key)})


def _event(h, base: str, lang: str) -> CalendarEvent:
    t = translator(lang)
    where = fmt.jurisdiction_name(h.jurisdiction, lang)
    if h.chamber in ("upper", "lower"):
        where += " · " + fmt.chamber_name(h.jurisdiction, h.chamber, lang)
    committee = h.committee.name if h.committee else (h.committee_name or t("hearings.hearing"))
    summary = f"{committee} ({fmt.jurisdiction_name(h.jurisdiction, lang)})"
    if h.bills:
        summary += ": " + ", ".join(b.identifier for b in h.bills[:8]) + (" …" if len(h.bills) > 8 else "")
    lines = [where]
    if h.bills:
        lines.append(t("hearings.col_bills") + ":")
        for b in h.bills:
            if b.stored:
                lines.append(f"- {b.identifier} ({fmt.stage_label(b.stage, lang)}): {b.title} "
                             f"{base}/bill/{key_path(b.key)}")
            else:
                lines.append(f"- {b.note or b.identifier}")
    if h.description:
        lines.append(h.description)
    lines += [f"{t('hearings.agenda')}: {u}" for u in h.links]
    url = f"{base}{committee_url(h.committee.key)}" if h.committee else \
        f"{base}/hearings?" + urlencode({"jurisdiction": h.jurisdiction, "from": h.local_start.date().isoformat(),
                                          "to": h.local_start.date().isoformat(), "scope": "all"})
    return CalendarEvent(uid=f"{h.key}@edtracker", start=h.start, summary=summary, location=h.location,
                         description="\n".join(lines), url=url, status=h.status)


@router.get("/hearings.ics")
def hearings_calendar(request: Request, db: SessionDep, settings: SettingsDep, f: HearingFilterDep) -> Response:
    """The hearings of `/hearings` with the same filters as an iCalendar feed; without dates it
    also keeps the last 30 days, so a subscribed calendar does not lose this month's hearings."""
    if f.when == "upcoming" and not f.date_from and not f.date_to:
        since = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=ICS_PAST_DAYS)
        f = HearingFilter(f.jurisdiction, f.chamber, f.committee, since, None, "all", f.scope)
    result = list_hearings(db, f, limit=ICS_MAX)
    lang = request_lang(request)
    base = settings.public_url.rstrip("/")
    body = calendar([_event(h, base, lang) for h in result.items],
                    name=translator(lang)("hearings.calendar_name"), now=dt.datetime.now(dt.timezone.utc),
                    refresh_hours=6)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="edtracker-hearings.ics"'})
