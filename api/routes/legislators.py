"""JSON API of legislators and committees: the same service functions as their pages
(`tracker.people`), every query parameter bounded."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from api.page_cache import public
from api.deps import SessionDep, SettingsDep
from tracker.people.committees import committee_detail, find_committee, list_committees
from tracker.people.directory import FilterError, PeopleFilter, list_people
from tracker.people.profile import legislator_profile, resolve
from tracker.people.views import CommitteeDetail, CommitteePage, LegislatorPage, LegislatorProfile

router = APIRouter(prefix="/api", tags=["legislators and committees"])

MAX_OFFSET = 1_000_000
Jurisdiction = Annotated[str | None, Query(max_length=8, pattern=r"^[A-Za-z]*$",
                                           description="postal code (ca, ny, ky) or us for Congress")]
Chamber = Annotated[str | None, Query(pattern=r"^(upper|lower|legislature)?$",
                                      description="upper, lower or legislature (a unicameral one)")]


def people_filter(jurisdiction: Jurisdiction = None, chamber: Chamber = None,
                  party: Annotated[str | None, Query(max_length=60, description="democratic, republican, ... "
                                                     "or a party as the source spells it")] = None,
                  district: Annotated[str | None, Query(max_length=40, description="as the legislature numbers "
                                                        "it; for Congress also CA (a state) or CA-12")] = None,
                  name: Annotated[str | None, Query(max_length=100, description="words of the name")] = None,
                  include_former: Annotated[bool, Query(description="also former members")] = False,
                  ) -> PeopleFilter:
    """The legislator filters of a request (422 naming the parameter when one is unusable)."""
    try:
        return PeopleFilter.checked(jurisdiction=jurisdiction, chamber=chamber, party=party, district=district,
                                    name=name, include_former=include_former)
    except FilterError as err:
        raise HTTPException(422, str(err)) from None


FilterDep = Annotated[PeopleFilter, Depends(people_filter)]
Limit = Annotated[int, Query(ge=1, le=1000, description="page size (at most the server's PAGE_SIZE_MAX)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


@router.get("/legislators", response_model=LegislatorPage)
def legislators(db: SessionDep, settings: SettingsDep, filters: FilterDep, request: Request,
                limit: Limit = 50, offset: Offset = 0) -> LegislatorPage:
    """Legislators of every jurisdiction tracked (current members unless `include_former`), by name."""
    public(request, remember_lang=False)   # public records: kept by api/page_cache.py
    return list_people(db, filters, limit=min(limit, settings.page_size_max), offset=offset)


@router.get("/legislators/{key:path}", response_model=LegislatorProfile)
def legislator(key: str, db: SessionDep, settings: SettingsDep, limit: Limit = 25,
               bills_offset: Offset = 0, votes_offset: Offset = 0) -> LegislatorProfile:
    """One legislator by stable key (or another id: W000187, ocd-person/…): roles, committees,
    contact, education bills sponsored, votes on education bills with coalitions' public
    positions, grades on published scorecards. `limit` pages the bills and the votes."""
    person = resolve(db, key)
    if person is None:
        raise HTTPException(404, f"no legislator {key!r}")
    limit = min(limit, settings.page_size_max)
    return legislator_profile(db, person, bills=(limit, bills_offset), votes=(limit, votes_offset))


@router.get("/committees", response_model=CommitteePage)
def committees(db: SessionDep, settings: SettingsDep, jurisdiction: Jurisdiction = None, chamber: Chamber = None,
               name: Annotated[str | None, Query(max_length=100)] = None,
               education: Annotated[bool, Query(description="only education committees")] = False,
               limit: Limit = 100, offset: Offset = 0) -> CommitteePage:
    """Committees by jurisdiction and chamber, education committees first."""
    try:
        f = PeopleFilter.checked(jurisdiction=jurisdiction, chamber=chamber, name=name)
    except FilterError as err:
        raise HTTPException(422, str(err)) from None
    return list_committees(db, jurisdiction=f.jurisdiction, chamber=f.chamber, name=f.name, education=education,
                           limit=min(limit, settings.page_size_max), offset=offset)


@router.get("/committees/{key:path}", response_model=CommitteeDetail)
def committee(key: str, db: SessionDep, settings: SettingsDep, limit: Limit = 25,
              bills_offset: Offset = 0) -> CommitteeDetail:
    """One committee: members with roles, hearings, bills referred (`limit` pages the bills)."""
    found = find_committee(db, key)
    if found is None:
        raise HTTPException(404, f"no committee {key!r}")
    return committee_detail(db, found, bills=(min(limit, settings.page_size_max), bills_offset))
