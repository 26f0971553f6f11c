"""The home page (what moved this week, upcoming hearings, search, coalitions, alerts) and the
directory of coalitions and their published scorecards."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep
from api.pages.common import render
from tracker.bills import activity
from tracker.coalitions import setup
from tracker.coalitions.directory import listed_coalitions

router = APIRouter(include_in_schema=False)
# Query parameters of the old home page, which was the search: such links now open /search.
SEARCH_PARAMS = ("q", "jurisdiction", "session", "stage", "issue_area", "sponsor", "committee",
                 "updated_since", "sort", "page")


def today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: SessionDep):
    if any(k in request.query_params for k in SEARCH_PARAMS):
        return RedirectResponse(f"/search?{urlencode(list(request.query_params.multi_items()))}", 302)
    week = activity.week(db, today())
    return render(request, "home.html", {
        "week": week, "hearings": activity.upcoming_hearings(db, dt.datetime.now(dt.timezone.utc)),
        "tracked": activity.tracked_jurisdictions(db), "coalitions": listed_coalitions(db),
        "setup_open": setup.is_open(db),   # a new instance: say where its first coalition is made
        "more_link": "/search?" + urlencode({"updated_since": week.start.isoformat(), "sort": "latest"})
        if week.start else "/search?sort=latest"})


@router.get("/coalitions", response_class=HTMLResponse)
def coalitions(request: Request, db: SessionDep):
    """Every listed coalition with its published scorecards."""
    return render(request, "coalitions.html", {"coalitions": listed_coalitions(db)})
