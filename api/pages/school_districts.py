"""`/districts`: school districts by name or LEAID, and `/districts/{leaid}`: who represents a
district's schools (the service of `/api/school-districts`)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep, TodayDep
from api.i18n import request_lang, translator
from api.i18n import format as fmt
from api.pages.common import coalition_or_404, render, staff_user
from api.pages.find import place_name
from api.pages.people import follow_url, person_url
from tracker.jurisdictions.congress import current_congress
from tracker.people.directory import FilterError
from tracker.schools.coalition import our_schools
from tracker.schools.service import UnknownDistrict, detail, search

router = APIRouter(include_in_schema=False)


def _helpers(lang: str) -> dict:
    t = translator(lang)

    def seat_title(r) -> str:
        if r.level in ("us_senate", "us_house"):
            return t(f"find.{r.level}")
        return t("find.state_chamber", state=place_name(r.state, lang),
                 chamber=fmt.chamber_name(r.jurisdiction, r.chamber, lang))

    def where(r) -> str:
        if r.level == "us_senate":
            return place_name(r.state, lang)
        if r.district == "AL":
            return t("find.at_large", state=place_name(r.state, lang))
        if r.level == "us_house":
            return t("people.state_district", state=place_name(r.state, lang), district=r.district)
        return t("people.district_n", district=r.district)

    def share(value) -> str:
        if value is None:
            return "—"
        pct = value * 100
        text = f"{pct:.1f}" if pct >= 0.1 else "<0.1"
        return (text.replace(".", ",") if lang == "es" else text) + " %"

    def vintage(v: str) -> str:
        if v.startswith("cd") and v[2:].isdigit():
            return t("schools.vintage_congress", congress=int(v[2:]))
        return v

    return {"seat_title": seat_title, "where": where, "share": share, "vintage": vintage,
            "place_name": lambda c: place_name(c, lang), "person_url": person_url,
            "follow_url": follow_url}


@router.get("/districts", response_class=HTMLResponse)
def districts_page(request: Request, db: SessionDep,
                   q: Annotated[str | None, Query(max_length=200)] = None,
                   state: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    """School districts matching a name or LEAID (the form of `/find`)."""
    lang = request_lang(request)
    result, error = None, None
    if (q or "").strip():
        try:
            result = search(db, q, state=(state or "").strip() or None)
        except FilterError as err:
            error = translator(lang)("schools.bad_query")
    return render(request, "school_districts.html", {"q": q or "", "result": result, "error": error,
                                                     **_helpers(lang)}, status_code=400 if error else 200)


@router.get("/districts/{leaid}", response_class=HTMLResponse)
def district_page(request: Request, db: SessionDep, day: TodayDep, leaid: str) -> HTMLResponse:
    """A school district, who represents it (by chamber, with their share) and bills naming it."""
    lang = request_lang(request)
    try:
        d = detail(db, leaid, on=day)
    except (UnknownDistrict, FilterError):
        return render(request, "school_district.html", {"missing": leaid[:20], "d": None, **_helpers(lang)},
                      status_code=404)
    congress = current_congress(day)
    old = [v for v in d.boundaries if v.startswith("cd") and v[2:].isdigit() and int(v[2:]) < congress]
    helpers = _helpers(lang)
    return render(request, "school_district.html", {
        "missing": None, "d": d, "old_boundaries": old, "current_congress": congress,
        "boundaries_text": ", ".join(helpers["vintage"](v) for v in d.boundaries), **helpers})


@router.get("/c/{slug}/schools", response_class=HTMLResponse)
def coalition_schools_page(slug: str, request: Request, db: SessionDep, day: TodayDep) -> HTMLResponse:
    """"Our schools are represented by ...": the school districts of the coalition's members and
    the current members of every seat holding part of one (districts only, not which member)."""
    coal = coalition_or_404(db, slug)
    lang = request_lang(request)
    schools = our_schools(db, coal.id, on=day)
    helpers = _helpers(lang)
    congress = current_congress(day)
    old = [v for v in schools.boundaries if v.startswith("cd") and v[2:].isdigit() and int(v[2:]) < congress]
    return render(request, "coalition_schools.html", {
        "coalition": coal, "user": staff_user(request, db, coal), "schools": schools, "old_boundaries": old,
        "current_congress": congress, **helpers})
