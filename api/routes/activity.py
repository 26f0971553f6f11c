"""GET /api/activity: what the home page shows, as JSON (the week's moves, upcoming hearings)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import SessionDep
from tracker.bills import activity

router = APIRouter(prefix="/api", tags=["activity"])


class WeekOut(BaseModel):
    start: dt.date | None
    end: dt.date | None
    current: bool
    new_bills: list[activity.Moved]
    stage_changes: list[activity.Moved]
    floor_votes: list[activity.Moved]
    totals: dict[str, int]


class ActivityOut(BaseModel):
    week: WeekOut
    upcoming_hearings: list[activity.UpcomingHearing]


@router.get("/activity", response_model=ActivityOut, summary="What moved this week")
def week_activity(db: SessionDep,
                  hearings: Annotated[int, Query(ge=0, le=100, description="upcoming hearings listed")] = 10
                  ) -> ActivityOut:
    """Education bills introduced, changing stage or voted on the floor in the seven days up to
    today, or up to the newest data when that is older (`current` false); upcoming hearings."""
    now = dt.datetime.now(dt.timezone.utc)
    week = activity.week(db, now.date())
    return ActivityOut(week=WeekOut(**week.__dict__),
                       upcoming_hearings=activity.upcoming_hearings(db, now, limit=hearings))
