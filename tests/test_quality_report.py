"""`edtracker quality` and `/api/quality` on the real Mississippi 2013 LegiScan dataset."""
from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app
from tests.conftest import real_fixture
from tracker.settings import get_settings

runner = CliRunner()


def test_quality_names_the_one_voter_without_a_people_file(app_env):
    folder = real_fixture("legiscan-ms-xml", "ms-2013")
    out = runner.invoke(app, ["import", str(folder), "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(runner.invoke(app, ["quality", "ms", "--json"]).stdout)
    (entry,) = report
    assert (entry["jurisdiction"], entry["session"]) == ("ms", "2013")
    # People 6492 votes twice on HB 369 but has no people file in the dataset: the only gap,
    # and the reason says the LegiScan id names nobody loaded (it is never guessed from the name).
    assert entry["votes"] - entry["votes_matched"] == 2
    assert entry["unmatched_names"] == [{"name": "LegiScan person 6492", "votes": 2, "sponsorships": 0,
                                         "reasons": ["unknown-id"]}]
    assert entry["sponsorships_matched_share"] == 1.0 and entry["bills_without_actions"] == []
    text = runner.invoke(app, ["quality", "ms"]).stdout
    assert "unmatched 'LegiScan person 6492': 2 votes" in text

    with TestClient(create_app(get_settings())) as client:
        api = client.get("/api/quality", params={"jurisdiction": "ms"}).json()
    assert api[0]["votes_matched"] == entry["votes_matched"]
    assert api[0]["unmatched_names"][0]["name"] == "LegiScan person 6492"
