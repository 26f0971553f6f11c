"""The metered APIs' ledger (issue 19): every crawl of every process counts against one budget
per window of a source's published limit, and a crawl plans within what is left."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from tracker.db import get_engine
from tracker.ops import budget
from tracker.settings import Settings

NOON = dt.datetime(2026, 12, 3, 12, 30, tzinfo=dt.timezone.utc)


def _settings(**kw) -> Settings:
    return Settings(_env_file=None, **kw)


def test_windows_are_utc_calendar_windows():
    assert budget.window("hour", NOON) == (NOON.replace(minute=0), NOON.replace(hour=13, minute=0))
    assert budget.window("day", NOON)[1] == dt.datetime(2026, 12, 4, tzinfo=dt.timezone.utc)
    assert budget.window("month", NOON) == (dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc),
                                            dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc))
    local = NOON.astimezone(dt.timezone(dt.timedelta(hours=-8)))  # 04:30 in California, same UTC day
    assert budget.window("day", local)[0] == dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc)
    with pytest.raises(ValueError, match="unknown budget period 'week'"):
        budget.window("week", NOON)


def test_take_until_spent_then_the_next_window(db_url):
    engine, settings = get_engine(db_url), _settings(openstates_daily_limit=5)
    assert budget.remaining(engine, settings, "openstates", NOON) == 5
    assert budget.take(engine, settings, "openstates", 3, NOON)
    assert not budget.take(engine, settings, "openstates", 3, NOON)   # 3 more would pass 5: nothing taken
    assert budget.take(engine, settings, "openstates", 2, NOON)
    assert not budget.take(engine, settings, "openstates", 1, NOON)
    assert budget.plan(engine, settings, "openstates", 200, NOON) == 0
    (row,) = budget.usage(engine, settings, NOON, "openstates")
    assert (row["used"], row["remaining"], row["resets_at"].day) == (5, 0, 4)
    tomorrow = NOON + dt.timedelta(days=1)
    assert budget.plan(engine, settings, "openstates", 200, tomorrow) == 5
    # other sources keep their own ledgers; an unmetered name is never limited
    assert budget.remaining(engine, settings, "legiscan", NOON) == settings.legiscan_monthly_limit
    assert budget.take(engine, settings, "house-clerk", 10 ** 6, NOON)
    assert budget.remaining(engine, settings, "house-clerk", NOON) is None
    engine.dispose()


def test_crawls_at_once_never_spend_more_than_the_limit(db_url):
    """Four processes' worth of threads race for 37 requests: exactly 37 are granted."""
    engine, settings = get_engine(db_url), _settings(congress_api_hourly_limit=37)
    granted = []

    def crawl():
        for _ in range(20):
            if budget.take(engine, settings, "congress-gov", 1, NOON):
                granted.append(1)

    threads = [threading.Thread(target=crawl) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 37
    assert budget.remaining(engine, settings, "congress-gov", NOON) == 0
    engine.dispose()


def test_status_page_and_api_show_what_is_left(db_url, tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = Settings(_env_file=None, database_url=db_url, data_dir=tmp_path, openstates_daily_limit=480,
                        secret_key="budget-test-secret-key-0123456789abcdef")
    engine = get_engine(db_url)
    assert budget.take(engine, settings, "openstates", 3)
    app = create_app(settings)
    with TestClient(app, headers={"accept": "text/html"}) as client:
        html = client.get("/status").text
        row = html.split('id="budget-openstates-day"', 1)[1].split("</tr>", 1)[0]
        assert "Open States API v3" in row and "today (UTC)" in row and "3 of 480" in row and ">477<" in row
        es = client.get("/status?lang=es").text.split('id="budget-openstates-day"', 1)[1].split("</tr>", 1)[0]
        assert "hoy (UTC)" in es and "3 de 480" in es
        api = {(b["source"], b["period"]): b for b in client.get("/api/status/budgets").json()}
        assert api[("openstates", "day")]["remaining"] == 477
        assert api[("legiscan", "month")]["used"] == 0 and ("congress-gov", "hour") in api
    app.state.engine.dispose()
    engine.dispose()
