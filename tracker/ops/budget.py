"""Metered APIs: their published limits, and a ledger in the database of what every crawl of
every process used in each window, so a crawl plans within what is left (issue 19).

Limits are data (`limits`): Open States' key allows a number of requests a day, LegiScan's a
number of queries a month, Congress.gov's (api.data.gov) a number an hour. Windows are fixed
calendar windows in UTC; the configured limits stay a margin below the published ones because a
provider may count a rolling window. Taking is one conditional UPDATE per window, so two crawls at
once cannot both spend the last request.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from tracker.models import ApiBudgetUse

PERIODS = ("minute", "hour", "day", "month")
NAMES = {"openstates": "Open States API v3", "legiscan": "LegiScan Pull API", "congress-gov": "Congress.gov API v3"}


@dataclass(frozen=True)
class Limit:
    source: str
    period: str
    allowed: int


def limits(settings) -> dict[str, list[Limit]]:
    """Each metered source's limits, from the settings."""
    table = {"openstates": [("day", settings.openstates_daily_limit)],
             "legiscan": [("month", settings.legiscan_monthly_limit)],
             "congress-gov": [("hour", settings.congress_api_hourly_limit)]}
    return {source: [Limit(source, period, allowed) for period, allowed in rows] for source, rows in table.items()}


def window(period: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The UTC window of `period` holding `now`: (start, end)."""
    now = now.astimezone(dt.timezone.utc)
    if period == "minute":
        start = now.replace(second=0, microsecond=0)
        return start, start + dt.timedelta(minutes=1)
    if period == "hour":
        start = now.replace(minute=0, second=0, microsecond=0)
        return start, start + dt.timedelta(hours=1)
    if period == "day":
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + dt.timedelta(days=1)
    if period == "month":
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        return start, end
    raise ValueError(f"unknown budget period {period!r} (one of {', '.join(PERIODS)})")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.timezone.utc)


def _key(limit: Limit, now: dt.datetime):
    start = window(limit.period, now)[0]
    return and_(ApiBudgetUse.source == limit.source, ApiBudgetUse.period == limit.period,
                ApiBudgetUse.window_start == start), start


class _Spent(Exception):
    pass


def _open(conn, limit: Limit, start: dt.datetime, now: dt.datetime) -> None:
    """The window's row, made if missing (a write first: on SQLite the transaction takes the
    write lock here, before reading anything, so it never works from a stale snapshot)."""
    dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(dialect_insert(ApiBudgetUse).values(source=limit.source, period=limit.period,
                                                     window_start=start, used=0, updated_at=now)
                 .on_conflict_do_nothing())


def take(engine: Engine, settings, source: str, n: int = 1, now: dt.datetime | None = None) -> bool:
    """Record `n` requests to `source` if every window of its limits has room; False (and
    nothing recorded) when one is spent. A source without limits is always allowed."""
    now = _now(now)
    try:
        with engine.begin() as conn:
            for limit in limits(settings).get(source, []):
                where, start = _key(limit, now)
                _open(conn, limit, start, now)
                done = conn.execute(update(ApiBudgetUse).where(where, ApiBudgetUse.used + n <= limit.allowed)
                                    .values(used=ApiBudgetUse.used + n, updated_at=now))
                if done.rowcount != 1:
                    raise _Spent  # rolls back what the other windows took
    except _Spent:
        return False
    return True


def remaining(engine: Engine, settings, source: str, now: dt.datetime | None = None) -> int | None:
    """Requests `source` allows before its tightest window is spent (None: not metered)."""
    rows = usage(engine, settings, now, source)
    return min((r["remaining"] for r in rows), default=None)


def usage(engine: Engine, settings, now: dt.datetime | None = None, source: str | None = None) -> list[dict]:
    """Each limit's window now: allowed, used, remaining and when it resets."""
    now = _now(now)
    out = []
    with engine.connect() as conn:
        for name, rows in limits(settings).items():
            if source is not None and name != source:
                continue
            for limit in rows:
                where, start = _key(limit, now)
                used = conn.execute(select(ApiBudgetUse.used).where(where)).scalar() or 0
                out.append({"source": name, "name": NAMES.get(name, name), "period": limit.period, "allowed": limit.allowed, "used": used,
                            "remaining": max(0, limit.allowed - used), "resets_at": window(limit.period, now)[1]})
    return out


def plan(engine: Engine, settings, source: str, wanted: int, now: dt.datetime | None = None) -> int:
    """How many requests a crawl that wants `wanted` may plan: no more than the ledger has left."""
    left = remaining(engine, settings, source, now)
    return wanted if left is None else max(0, min(wanted, left))
