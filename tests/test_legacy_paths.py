"""The JSON API under /api/ (documented in OpenAPI) and its old addresses: API clients still get
the same JSON there (marked deprecated), a person's browser gets the page (issue 16)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from api.legacy import page_for
from tests import factories as f
from tracker.ingest import Ingestor
from tracker.models import Coalition
from tracker.tagging.store import retag_all

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"accept": "application/json"}
# Old JSON path -> its new home under /api/.
MOVED = {
    "/bills?limit=2": "/api/bills?limit=2",
    "/bills/us-119-hr5": "/api/bills/us-119-hr5",
    "/search?q=community": "/api/search?q=community",
    "/quality": "/api/quality",
    "/status/jobs": "/api/status/jobs",
    "/coalitions/fair/positions": "/api/coalitions/fair/positions",
    "/coalitions/fair/issue-areas": "/api/coalitions/fair/issue-areas",
    "/coalitions/fair/search?q=community": "/api/coalitions/fair/search?q=community",
}
# What a browser asking an old JSON path gets: (status, where it lands).
FOR_PEOPLE = {
    "/bills": (302, "/search"),
    "/bills?jurisdiction=us&stage=passed_origin&limit=5&offset=10": (302, "/search?jurisdiction=us&stage=passed_origin"),
    "/bills/us-119-hr5": (302, "/bill/us-119-hr5"),
    "/status/jobs": (302, "/status"),
    "/coalitions/fair/positions": (302, "/c/fair/"),
    "/coalitions/fair/search?q=school&limit=3": (302, "/c/fair/?q=school"),
    "/coalitions/fair/tags": (302, "/c/fair/staff/"),
    "/coalitions/fair/alerts/status": (302, "/c/fair/staff/alerts"),
    "/coalitions/fair": (302, "/c/fair/"),
    "/search?q=community": (200, "/search?q=community"),
    "/quality": (200, "/quality"),
}


@pytest.fixture
def client(app_env, engine):
    Ingestor(engine).ingest([*f.batch(), f.bill(6, title="Highway bridges", summary="Roads.", subjects=[],
                                                  policy_area=None)])
    with Session(engine) as db:
        db.add(Coalition(slug="fair", name="Fair Schools"))
        db.commit()
    retag_all(engine)
    with TestClient(create_app()) as c:
        yield c


@pytest.mark.parametrize("old, new", MOVED.items())
def test_api_clients_keep_their_json_at_the_old_paths(client, old, new):
    for accept in ({}, JSON, {"accept": "*/*"}):
        was = client.get(old, headers=accept, follow_redirects=False)
        now = client.get(new, headers=accept)
        assert was.status_code == now.status_code == 200, (old, was.status_code, was.text[:200])
        assert was.headers["content-type"].startswith("application/json")
        assert was.json() == now.json()
        assert was.headers["deprecation"] == "true"
        assert was.headers["link"] == f'<{new.split("?")[0]}>; rel="successor-version"'
        assert "Accept" in was.headers["vary"]
        assert "deprecation" not in now.headers


def test_writes_through_old_paths_still_work(client, engine):
    from tracker.coalitions.auth import new_api_key
    from tracker.models import ApiKey

    key, prefix, hashed = new_api_key()
    with Session(engine) as db:
        db.add(ApiKey(coalition_id=1, name="t", prefix=prefix, key_hash=hashed, role="editor"))
        db.commit()
    r = client.put("/coalitions/fair/positions/us-119-hr5", json={"stance": "support", "public": True},
                   headers={"authorization": f"Bearer {key}", **BROWSER})
    assert r.status_code == 200 and r.json()["stance"] == "support"
    assert client.get("/api/coalitions/fair/positions").json()[0]["bill_key"] == "us-119-hr5"


@pytest.mark.parametrize("old, expected", FOR_PEOPLE.items())
def test_browsers_get_the_page(client, old, expected):
    status, where = expected
    r = client.get(old, headers=BROWSER, follow_redirects=False)
    assert r.status_code == status, (old, r.status_code, r.text[:200])
    if status == 302:
        assert r.headers["location"] == where and "Accept" in r.headers["vary"]
        r = client.get(where, headers=BROWSER)
    assert r.headers["content-type"].startswith("text/html"), old
    if old.startswith(("/search", "/quality")):
        assert "Accept" in r.headers["vary"]      # the same address answers JSON to API clients


def test_errors_at_old_paths_speak_the_clients_language(client):
    assert client.get("/bills/us-119-hr404").json()["detail"] == "no bill 'us-119-hr404'"
    assert client.get("/bills?stage=limbo").status_code == 422
    page = client.get("/bills/us-119-hr404", headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_openapi_documents_the_api_paths_only(client):
    doc = client.get("/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/api/bills", "/api/bills/{key}", "/api/search", "/api/quality", "/api/status/jobs",
            "/api/activity", "/api/coalitions/{slug}/positions", "/api/coalitions/{slug}/search",
            "/api/coalitions/{slug}/alerts/status", "/api/scorecards/{coalition}/{slug}"} <= paths
    old = {p for p in paths if p.startswith(("/bills", "/search", "/quality", "/status", "/coalitions"))}
    assert old == set(), old
    pages = {"/", "/search", "/bill/{key}", "/coalitions", "/status", "/quality"}
    assert not pages & paths
    tags = {t["name"] for t in doc["tags"]}
    for path in ("/api/bills", "/api/search", "/api/quality", "/api/status/jobs", "/api/activity"):
        op = doc["paths"][path]["get"]
        assert op["summary"] and op["tags"][0] in tags, path


def test_a_page_never_answers_json_to_a_browser(client):
    """The HTML addresses and the API do not mix: pages to browsers, JSON under /api/."""
    for path in ("/", "/search", "/coalitions", "/status", "/quality", "/bill/us-119-hr5"):
        r = client.get(path, headers=BROWSER)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
    for path in ("/api/bills", "/api/search", "/api/activity", "/api/status/jobs", "/api/quality"):
        r = client.get(path, headers=BROWSER)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), path


@pytest.mark.parametrize("path, query, expected", [
    ("/bills", b"", "/search"),
    ("/bills", b"q=a%20b&limit=3&offset=9", "/search?q=a+b"),
    ("/bills/us-119-hr5", b"", "/bill/us-119-hr5"),
    ("/bills/a b?c", b"", "/bill/a%20b%3Fc"),
    ("/status/jobs", b"x=1", "/status"),
    ("/coalitions/fair/search", b"stance=support&names=2", "/c/fair/?stance=support"),
    ("/coalitions/a%2F/positions", b"", "/c/a%252F/"),
])
def test_page_for_builds_same_site_addresses(path, query, expected):
    where = page_for(path, query)
    assert where == expected
    assert where.startswith("/") and not where.startswith("//")
