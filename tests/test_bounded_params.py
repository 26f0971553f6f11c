"""Every query and path parameter is bounded (issue 15): out-of-range numbers, huge pages, long
strings and odd dates answer 4xx, never 5xx, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from tests import factories as f
from tracker.ingest import Ingestor
from tracker.models import Coalition

HUGE = str(2 ** 63)
LONG = "school " * 2000
API = [
    "/api/bills?offset=" + HUGE, "/api/bills?offset=" + str(2 ** 64 + 5), "/api/bills?limit=" + HUGE,
    "/api/bills?offset=-1", "/api/bills?jurisdiction=" + "x" * 5000, "/api/bills/" + "k" * 5000,
    "/api/search?offset=" + HUGE, "/api/search?q=school&offset=" + HUGE, "/api/search?q=school&limit=" + HUGE,
    "/api/search?q=" + LONG, "/api/search?updated_since=99999-01-01", "/api/search?updated_since=0000-01-01",
    "/api/search?session=" + "x:" * 3000, "/api/activity?hearings=" + HUGE,
    "/api/coalitions/fair/search?offset=" + HUGE, "/api/coalitions/fair/search?q=school&offset=" + HUGE,
    "/api/coalitions/fair/tags?limit=" + HUGE, "/api/quality?names=" + HUGE,
]
# The same through the old addresses (deprecated aliases API clients still use; api/legacy.py).
CASES = API + [p.removeprefix("/api") for p in API if not p.startswith("/api/activity")] + [
    "/oembed?url=http://testserver/c/fair/scorecards/x&maxwidth=" + HUGE,
    "/oembed?url=http://testserver/c/fair/scorecards/x&maxheight=-" + HUGE,
]
PAGES = ["/search?page=" + HUGE, "/search?page=99999999999999999999&q=school", "/c/fair/?page=" + HUGE,
         "/c/fair/bills?q=school&page=" + HUGE, "/search?q=" + LONG, "/search?updated_since=99999-12-31",
         "/search?page=1000000000", "/search?session=" + "x:" * 3000, "/?page=" + HUGE,
         "/quality?session=" + "x:" * 3000, "/quality?jurisdiction=" + "x" * 5000]


@pytest.fixture
def client(app_env, engine):
    Ingestor(engine).ingest(f.batch())
    with Session(engine) as db:
        db.add(Coalition(slug="fair", name="Fair"))
        db.commit()
    return TestClient(create_app(), raise_server_exceptions=False)


@pytest.mark.parametrize("path", CASES)
def test_api_parameters_out_of_range_are_4xx(client, path):
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path[:120], r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("path", PAGES)
def test_pages_with_out_of_range_parameters_never_fail(client, path):
    r = client.get(path, headers={"accept": "text/html"})
    assert r.status_code < 500, (path[:120], r.status_code)
    assert r.headers["content-type"].startswith("text/html"), path[:120]


def test_tag_ids_and_bodies_are_bounded(client):
    r = client.post(f"/api/coalitions/fair/tags/{HUGE}", json={"status": "confirmed"})
    assert 400 <= r.status_code < 500
    r = client.put("/api/coalitions/fair/positions/us-119-hr5", json={"stance": "support", "priority": 2 ** 70})
    assert 400 <= r.status_code < 500
