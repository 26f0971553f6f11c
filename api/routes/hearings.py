"""JSON API of hearings: the service `/hearings` and `/hearings.ics` use (`tracker.hearings`),
every parameter bounded."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import SessionDep, SettingsDep
from api.routes.legislators import Chamber, Jurisdiction, Limit, Offset
from tracker.hearings.listing import HearingFilter, list_hearings
from tracker.hearings.views import HearingPage
from tracker.people.directory import FilterError

router = APIRouter(prefix="/api", tags=["hearings"])


def hearing_filter(jurisdiction: Jurisdiction = None, chamber: Chamber = None,
                   committee: Annotated[str | None, Query(max_length=200, description="a committee key "
                                                          "(us-HSED, ocd-organization/…): its hearings only")] = None,
                   date_from: Annotated[dt.date | None, Query(alias="from", description="first day (the "
                                                              "legislature's local date)")] = None,
                   date_to: Annotated[dt.date | None, Query(alias="to", description="last day, included")] = None,
                   when: Annotated[Literal["upcoming", "past", "all"] | None, Query(
                       description="upcoming (from today; the default without dates), past (newest "
                       "first) or all (the default with dates)")] = None,
                   scope: Annotated[Literal["education", "all"], Query(
                       description="education: hearings of education committees or with an education bill "
                       "on the agenda (the default); all: every hearing")] = "education",
                   ) -> HearingFilter:
    """The hearing filters of a request (422 naming the parameter when one is unusable)."""
    try:
        return HearingFilter.checked(jurisdiction=jurisdiction, chamber=chamber, committee=committee,
                                     date_from=date_from, date_to=date_to, when=when, scope=scope)
    except FilterError as err:
        raise HTTPException(422, str(err)) from None


HearingFilterDep = Annotated[HearingFilter, Depends(hearing_filter)]


@router.get("/hearings", response_model=HearingPage)
def hearings(db: SessionDep, settings: SettingsDep, filters: HearingFilterDep,
             limit: Limit = 50, offset: Offset = 0) -> HearingPage:
    """Hearings of education committees and of education bills (or all with `scope=all`), with
    their committee, place, agenda links and the bills on the agenda with their stage; times in
    UTC and in the legislature's time zone. The same list as `/hearings` and `/hearings.ics`."""
    return list_hearings(db, filters, limit=min(limit, settings.page_size_max), offset=offset)
