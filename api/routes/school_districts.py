"""JSON API of school districts: who represents a district's schools (`tracker.schools.service`)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import SessionDep, TodayDep
from tracker.people.directory import FilterError
from tracker.schools.service import UnknownDistrict, detail, search
from tracker.schools.views import SchoolDistrictDetail, SchoolDistrictMatch

router = APIRouter(prefix="/api", tags=["school districts"])

Leaid = Annotated[str, Path(min_length=7, max_length=7, pattern=r"^\d{7}$", description="NCES LEAID, e.g. 0622710")]


@router.get("/school-districts", response_model=SchoolDistrictMatch, summary="Find school districts")
def school_districts(db: SessionDep,
                     q: Annotated[str, Query(min_length=1, max_length=100, description="words of the name, or a LEAID")],
                     state: Annotated[str | None, Query(max_length=2, pattern=r"^[A-Za-z]{0,2}$")] = None,
                     ) -> SchoolDistrictMatch:
    """School districts whose name holds every word of `q` (or whose LEAID is `q`), at most 20."""
    try:
        return search(db, q, state=state or None)
    except FilterError as err:
        raise HTTPException(422, str(err)) from None


@router.get("/school-districts/{leaid}", response_model=SchoolDistrictDetail, summary="A school district's representatives",
            responses={404: {"description": "no school district with this LEAID is stored"}})
def school_district(db: SessionDep, day: TodayDep, leaid: Leaid) -> SchoolDistrictDetail:
    """The district, each seat whose district holds part of it (current members with their grades
    on published scorecards, past members, the part's share of the land area) and education bills
    naming it. Congressional parts use the boundaries of the imported file (`vintage`; cd116 =
    116th Congress): a seat's current member may represent a redrawn district."""
    try:
        return detail(db, leaid, on=day)
    except UnknownDistrict:
        raise HTTPException(404, f"no school district with LEAID {leaid}") from None
    except FilterError as err:
        raise HTTPException(422, str(err)) from None
