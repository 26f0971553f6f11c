"""The day "current" is judged on (`tracker.jurisdictions.clock`): today, or `EDTRACKER_AS_OF` (the demo sets it
to a day of its sample, so it does not empty itself when its Congress ends)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from cli.main import app
from tests import factories as f
from tests.test_cli import write_jsonl
from tracker.jurisdictions import clock
from tracker.jurisdictions.congress import current_congress
from tracker.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def as_of(monkeypatch):
    def set_day(day: str | None):
        if day is None:
            monkeypatch.delenv("EDTRACKER_AS_OF", raising=False)
        else:
            monkeypatch.setenv("EDTRACKER_AS_OF", day)
        get_settings.cache_clear()
    yield set_day
    get_settings.cache_clear()


def test_today_unless_the_setting_names_a_day(as_of):
    as_of(None)
    assert clock.today() == dt.date.today()
    as_of("2026-12-01")
    assert clock.today() == dt.date(2026, 12, 1)
    assert current_congress() == 119
    as_of("2027-02-01")
    assert current_congress() == 120


def test_a_bad_day_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("EDTRACKER_AS_OF", "2026-13-01")
    with pytest.raises(ValidationError, match="as_of"):
        Settings()


@pytest.mark.parametrize("day, dead", [("2026-12-01", False), ("2027-02-01", True)])
def test_an_import_judges_ended_sessions_as_of_the_setting(app_env, as_of, tmp_path, day, dead):
    """No --today given: the import asks the clock, which follows EDTRACKER_AS_OF (a bill of the
    119th Congress still pending when it ended, 2027-01-03, is dead)."""
    as_of(day)
    data = write_jsonl(tmp_path / "r.jsonl", [f.bill(5)])
    assert runner.invoke(app, ["import", str(data)]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["bills", "show", "us-119-hr5", "--json"]).stdout)
    assert (shown["stage"] == "dead") is dead


def test_pages_show_members_serving_on_the_setting_day(app_env, as_of, tmp_path):
    """Members whose terms end 2027-01-03 are current as of a day inside their terms, not after."""
    from tests.pages.test_people_http import make_client
    from tests.scoring import helpers as h
    from tracker.db import get_engine

    h.ingest(get_engine(app_env), h.PEOPLE)
    totals = {}
    for day in ("2026-12-01", "2027-02-01"):
        as_of(day)
        with make_client(app_env, tmp_path / day) as client:
            totals[day] = client.get("/api/legislators?jurisdiction=us").json()["total"]
    assert totals == {"2026-12-01": len(h.PEOPLE), "2027-02-01": 0}
