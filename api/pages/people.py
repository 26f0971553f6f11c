"""Legislator and committee pages: `/legislators`, `/legislators/{key}`, `/committees`,
`/committees/{key}`. They call the same `tracker.people` functions as `/api/legislators` and
`/api/committees`; a legislator or committee named by another id redirects to its stable key."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep, SettingsDep
from api.i18n import catalog, request_lang, translator
from api.i18n import format as fmt
from api.routes.legislators import Chamber, Jurisdiction, people_filter
from api.page_cache import public
from api.pages.common import render
from tracker.alerts.kinds import TARGET_TYPES
from tracker.jurisdictions.registry import all_jurisdictions
from tracker.people.committees import committee_detail, find_committee, list_committees
from tracker.people.directory import PeopleFilter, directory_options, list_people
from tracker.people.profile import legislator_profile, resolve
from tracker.people.record import key_path

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
SECTION_SIZE = 25
Page = Annotated[int, Query(ge=1, le=100_000)]


def _filters(request: Request, jurisdiction: Jurisdiction = None, chamber: Chamber = None,
             party: Annotated[str | None, Query(max_length=60)] = None,
             district: Annotated[str | None, Query(max_length=40)] = None,
             name: Annotated[str | None, Query(max_length=100)] = None,
             include_former: bool = False) -> PeopleFilter:
    """The API's filters; a value that cannot be used is a 400 page naming it."""
    try:
        return people_filter(jurisdiction, chamber, party, district, name, include_former)
    except HTTPException as err:
        raise HTTPException(400, err.detail) from None


def person_url(key: str) -> str:
    return "/legislators/" + key_path(key)


def committee_url(key: str) -> str:
    return "/committees/" + key_path(key)


def follow_url(target_type: str, key: str) -> str | None:
    """The alert sign-up page, prefilled to follow this bill, legislator or committee; None for
    a kind of target alerts do not offer."""
    if target_type not in TARGET_TYPES:
        return None
    return "/alerts/signup?" + urlencode({"target_type": target_type, "target": key})


def _helpers(request: Request) -> dict:
    """Formatting a page needs beyond the site's: seats, committee roles, times, links."""
    lang = request_lang(request)
    t = translator(lang)
    roles = {k.split(".", 1)[1] for k in catalog("en") if k.startswith("committee_role.")}
    titles = {k.split(".", 1)[1] for k in catalog("en") if k.startswith("seat_title.")}

    def seat(role) -> str:
        if role is None:
            return ""
        if isinstance(role, dict):   # a template's own seat (a committee member's)
            role = SimpleNamespace(**{"jurisdiction": None, "state": None, "district": None, "chamber": None, **role})
        if role.jurisdiction == "us" and role.state:
            state = fmt.jurisdiction_name(role.state, lang) if role.state != "us" else role.state.upper()
            if role.chamber != "lower" or not role.district:
                return state
            if role.district in ("0", "00"):
                return t("people.at_large", state=state)
            return t("people.state_district", state=state, district=role.district)
        return t("people.district_n", district=role.district) if role.district else ""

    def role_name(role: str | None) -> str:
        key = (role or "member").strip().lower().replace(" ", "_").replace("-", "_")
        return t(f"committee_role.{key}") if key in roles else (role or "")

    def when(value, jurisdiction: str | None = None) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            tz = _timezone(jurisdiction) or dt.timezone.utc
            local = _aware(value).astimezone(tz)   # stored in UTC (SQLite hands it back naive)
            return f"{fmt.format_date(local.date(), lang)}, {local:%H:%M}"
        return fmt.format_date(value, lang)

    def serving(role) -> str:
        if role is None:
            return ""
        if role.current:
            return t("people.since", date=fmt.format_date(role.start_date, lang)) if role.start_date else t("people.serving")
        return t("people.from_to", start=fmt.format_date(role.start_date, lang) or "?",
                 end=fmt.format_date(role.end_date, lang) or "?")

    def seat_title(role) -> str:
        """What the seat is called: the chamber, or a title that says more (a non-voting Delegate)."""
        key = (role.title or "").strip().lower().replace(" ", "_")
        return t(f"seat_title.{key}") if key in titles else fmt.chamber_name(role.jurisdiction, role.chamber, lang)

    return {"seat": seat, "seat_title": seat_title, "key_label": _key_label, "role_name": role_name, "when": when, "serving": serving, "person_url": person_url,
            "committee_url": committee_url, "follow_url": follow_url, "bill_url": lambda key: "/bill/" + key_path(key),
            "tel": lambda phone: "".join(ch for ch in phone if ch.isdigit() or ch == "+")}


def _key_label(key: str) -> str:
    """A bill not stored, named by its key: ny-2017-s905 -> S905 (2017)."""
    parts = key.split("-")
    return f"{parts[-1].upper()} ({parts[1]})" if len(parts) >= 3 else key


def _timezone(jurisdiction: str | None):
    name = next((r["timezone"] for r in all_jurisdictions() if r["id"] == jurisdiction), None)
    try:
        return ZoneInfo(name) if name else None
    except (KeyError, ValueError):
        return None


def _link(request: Request, **changes) -> str:
    """This page's query with `changes` (None drops a parameter)."""
    query = {k: v for k, v in request.query_params.items() if v}
    for k, v in changes.items():
        if v is None:
            query.pop(k, None)
        else:
            query[k] = str(v)
    return "?" + urlencode(query) if query else request.url.path


def _pager(request: Request, param: str, page: int, size: int, total: int) -> dict:
    return {"page": page, "pages": max(1, -(-total // size)),
            "prev": _link(request, **{param: page - 1 if page > 2 else None}) if page > 1 else None,
            "next": _link(request, **{param: page + 1}) if page * size < total else None}


def _chamber_options(request: Request, jurisdiction: str | None, chambers: list[str]) -> list[tuple[str, str]]:
    lang = request_lang(request)
    t = translator(lang)
    if jurisdiction:
        return [(c, fmt.chamber_name(jurisdiction, c, lang)) for c in chambers]
    return [(c, t(f"people.chamber_{c}")) for c in chambers]


@router.get("/legislators", response_class=HTMLResponse)
def legislators_page(request: Request, db: SessionDep, filters: Annotated[PeopleFilter, Depends(_filters)],
                     page: Page = 1) -> HTMLResponse:
    result = list_people(db, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    options = directory_options(db, filters.jurisdiction)
    lang = request_lang(request)
    return render(request, "people/legislators.html", {
        **_helpers(request), "f": filters, "result": result, "pager": _pager(request, "page", page, PAGE_SIZE, result.total),
        "jurisdictions": sorted(options.jurisdictions, key=lambda j: (j != "us", fmt.jurisdiction_name(j, lang))),
        "chambers": _chamber_options(request, filters.jurisdiction, options.chambers),
        "parties": [(key, fmt.party_name(spelled, lang)) for key, spelled in options.parties]})


@router.get("/legislators/{key:path}", response_class=HTMLResponse)
def legislator_page(key: str, request: Request, db: SessionDep, settings: SettingsDep,
                    bills_page: Page = 1, votes_page: Page = 1):
    person = resolve(db, key)
    if person is None:
        raise HTTPException(404, f"no legislator {key!r}")
    if person.key != key:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(person_url(person.key) + query, status_code=301)
    profile = legislator_profile(db, person, bills=(SECTION_SIZE, (bills_page - 1) * SECTION_SIZE),
                                 votes=(SECTION_SIZE, (votes_page - 1) * SECTION_SIZE))
    public(request)   # public records only (api/page_cache.py)
    return render(request, "people/legislator.html", {
        **_helpers(request), "p": profile, "remote_photos": settings.remote_photos,
        "bills_pager": _pager(request, "bills_page", bills_page, SECTION_SIZE, profile.sponsored.total),
        "votes_pager": _pager(request, "votes_page", votes_page, SECTION_SIZE, profile.votes.total)})


def _groups(items) -> list[dict]:
    """Committees in (jurisdiction, chamber) groups, subcommittees under their committee."""
    groups: list[dict] = []
    tops: dict[str, dict] = {}
    for item in items:
        entry = {"c": item, "subs": []}
        parent = tops.get(item.parent_key or "")
        if parent is not None:
            parent["subs"].append(item)
            continue
        if not groups or (groups[-1]["jurisdiction"], groups[-1]["chamber"]) != (item.jurisdiction, item.chamber):
            groups.append({"jurisdiction": item.jurisdiction, "chamber": item.chamber, "entries": []})
        groups[-1]["entries"].append(entry)
        tops[item.key] = entry
    return groups


@router.get("/committees", response_class=HTMLResponse)
def committees_page(request: Request, db: SessionDep, jurisdiction: Jurisdiction = None, chamber: Chamber = None,
                    name: Annotated[str | None, Query(max_length=100)] = None, education: bool = False) -> HTMLResponse:
    f = _filters(request, jurisdiction=jurisdiction, chamber=chamber, name=name)
    result = list_committees(db, jurisdiction=f.jurisdiction, chamber=f.chamber, name=f.name, education=education)
    everything = list_committees(db)
    lang = request_lang(request)
    jurisdictions = sorted({c.jurisdiction for c in everything.items}, key=lambda j: (j != "us", fmt.jurisdiction_name(j, lang)))
    chambers = sorted({c.chamber for c in everything.items if c.chamber in ("upper", "lower", "legislature")
                       and (not f.jurisdiction or c.jurisdiction == f.jurisdiction)})
    return render(request, "people/committees.html", {
        **_helpers(request), "f": f, "education": education, "groups": _groups(result.items), "total": result.total,
        "jurisdictions": jurisdictions, "chambers": _chamber_options(request, f.jurisdiction, chambers)})


@router.get("/committees/{key:path}", response_class=HTMLResponse)
def committee_page(key: str, request: Request, db: SessionDep, bills_page: Page = 1):
    found = find_committee(db, key)
    if found is None:
        raise HTTPException(404, f"no committee {key!r}")
    if found.key != key:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(committee_url(found.key) + query, status_code=301)
    detail = committee_detail(db, found, bills=(SECTION_SIZE, (bills_page - 1) * SECTION_SIZE))
    now = dt.datetime.now(dt.timezone.utc)
    upcoming = [h for h in detail.hearings if h.start and _aware(h.start) >= now]
    return render(request, "people/committee.html", {
        **_helpers(request), "c": detail, "upcoming": sorted(upcoming, key=lambda h: _aware(h.start)),
        "past": [h for h in detail.hearings if h not in upcoming],
        "bills_pager": _pager(request, "bills_page", bills_page, SECTION_SIZE, detail.referred.total)})


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
