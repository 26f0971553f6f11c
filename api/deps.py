"""Typed dependencies shared by the routes."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Iterator

from fastapi import Depends, Path, Query, Request
from sqlmodel import Session

from tracker.jurisdictions import clock
from tracker.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def today() -> dt.date:
    """The day "current" means (members serving, the Congress sitting) for the routes that ask:
    today, or the `as_of` setting (`tracker.jurisdictions.clock`). Tests of dated data override this dependency
    with a day inside their data."""
    return clock.today()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_db)]
TodayDep = Annotated[dt.date, Depends(today)]

# Bounds of every parameter (issue 15): out of range is a 422 naming the parameter, never a
# database overflow. Pages past MAX_OFFSET are not useful; narrow the search instead.
MAX_OFFSET = 1_000_000
MAX_LIMIT = 10_000          # larger pages are refused; up to it they are cut to PAGE_SIZE_MAX
MAX_ID = 2 ** 31 - 1        # database integer ids
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"rows to skip (at most {MAX_OFFSET:,})")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size (cut to the server's PAGE_SIZE_MAX)")]
Text = Annotated[str | None, Query(max_length=200)]
SessionText = Annotated[str | None, Query(max_length=200, description="session identifier (`119`), or one "
                                                                       "jurisdiction's (`ky:2025`)")]
SearchText = Annotated[str | None, Query(max_length=500, description="words of the title, summary, subjects or actions")]
KeyPath = Annotated[str, Path(max_length=200)]
SlugPath = Annotated[str, Path(max_length=64)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
