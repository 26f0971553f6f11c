"""`/find`: find my legislators by street address (the U.S. Census Geocoder) or by state and
district, over the service of `/api/find`. The address form posts, so the address stays out of
the page's URL, the browser history and the access log; it is never stored."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep, SettingsDep, TodayDep
from api.i18n import request_lang, translator
from api.i18n import format as fmt
from api.pages.common import render
from api.pages.people import person_url
from api.routes.find import DistrictText, install_log_redaction, lookup
from tracker.districts.find import district_options, places
from tracker.people.directory import FilterError

router = APIRouter(include_in_schema=False)
install_log_redaction()

# Territories the registry does not name (they elect a Delegate to Congress, no legislature here).
_TERRITORY_ES = {"as": "Samoa Americana", "gu": "Guam", "mp": "Islas Marianas del Norte",
                 "vi": "Islas Vírgenes de EE. UU.", "pr": "Puerto Rico"}


def place_name(code: str, lang: str) -> str:
    if places()[code][1] == "territory" and code != "pr":
        return _TERRITORY_ES[code] if lang == "es" else places()[code][0]
    return fmt.jurisdiction_name(code, lang)


def _page(request: Request, db, *, result=None, error: str | None = None, address: str = "",
          state: str | None = None, chosen: dict | None = None, status_code: int = 200, day: dt.date | None = None):
    lang = request_lang(request)
    t = translator(lang)
    options = None
    code = (state or "").strip().lower()
    if code in places():
        options = district_options(db, code, on=day)
    else:
        code = None

    def seat_title(seat) -> str:
        if seat.level == "us_senate":
            return t("find.us_senate")
        if seat.level == "us_house":
            return t("find.us_house")
        return t("find.state_chamber", state=place_name(seat.state, lang),
                 chamber=fmt.chamber_name(seat.jurisdiction, seat.chamber, lang))

    def district_label(seat) -> str:
        if seat.level == "us_senate":
            return place_name(seat.state, lang)
        if seat.district == "AL":
            return t("find.at_large", state=place_name(seat.state, lang))
        if seat.level == "us_house":
            return t("people.state_district", state=place_name(seat.state, lang), district=seat.district)
        return t("people.district_n", district=seat.district)

    states = sorted(places(), key=lambda c: (places()[c][1] == "territory" and c != "pr", place_name(c, lang)))
    return render(request, "find.html", {
        "result": result, "error": error, "address": address, "state": code, "options": options,
        "chosen": chosen or {}, "states": [(c, place_name(c, lang)) for c in states],
        "place_name": lambda c: place_name(c, lang), "seat_title": seat_title, "district_label": district_label,
        "person_url": person_url,
        "lower_name": fmt.chamber_name(code, "lower", lang) if code else "",
        "upper_name": fmt.chamber_name(code, "upper", lang) if code else ""}, status_code=status_code)


def _answer(request: Request, db, settings, *, address: str | None, state: str | None = None,
            district: str | None = None, upper: str | None = None, lower: str | None = None,
            day: dt.date | None = None):
    asked = bool((address or "").strip() or (state or "").strip())
    chosen = {"district": district or "", "upper": upper or "", "lower": lower or ""}
    if not asked:
        return _page(request, db, state=state, day=day)
    try:
        result = lookup(request, db, settings, address=address, state=state, district=district,
                        upper=upper, lower=lower, on=day)
    except FilterError as err:
        lang = request_lang(request)
        t = translator(lang)
        field = t(f"find.field_{err.field}")
        value = repr({"state": state, "district": district, "upper": upper, "lower": lower}.get(err.field) or "")[:42]
        # The service's own words are English; other languages say the same from the catalog.
        problem = err.problem if lang == "en" else t("find.invalid_state" if err.field == "state"
                                                     else "find.invalid_district", value=value)
        return _page(request, db, error=f"{field}: {problem}", address=address or "", state=state,
                     chosen=chosen, status_code=400, day=day)
    return _page(request, db, result=result, address=address or "", state=result.state or state, chosen=chosen,
                 day=day)


@router.get("/find", response_class=HTMLResponse)
def find_page(request: Request, db: SessionDep, settings: SettingsDep, day: TodayDep,
              address: Annotated[str | None, Query(max_length=1000)] = None,
              state: Annotated[str | None, Query(max_length=20)] = None,
              district: DistrictText = None, upper: DistrictText = None, lower: DistrictText = None) -> HTMLResponse:
    """The forms; with `state` (and districts) the legislators of those seats."""
    return _answer(request, db, settings, address=address, state=state, district=district, upper=upper, lower=lower,
                   day=day)


@router.post("/find", response_class=HTMLResponse)
def find_by_address_page(request: Request, db: SessionDep, settings: SettingsDep, day: TodayDep,
                         address: Annotated[str, Form(max_length=1000)] = "") -> HTMLResponse:
    """The address form's answer (a POST: the address is in no URL)."""
    if not address.strip():
        return _page(request, db, error=translator(request_lang(request))("find.address_missing"), status_code=400)
    return _answer(request, db, settings, address=address, day=day)
