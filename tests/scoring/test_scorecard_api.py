"""Scorecard HTTP outputs on both databases: JSON, CSV, the open export, pages with filters and
sorting by query parameters, escaping, CSP frame-ancestors, ETag / Last-Modified / 304, badge, oEmbed."""
from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.scoring import helpers as h
from tracker.db import get_engine
from tracker.settings import get_settings

BASE = "/c/edfund/scorecards/house-2025"


@pytest.fixture
def client(app_env):
    h.published_house(get_engine(app_env), embed_origins=["https://partner.example", "javascript:bad",
                                                           "https://x.example; script-src *"])
    with TestClient(create_app(get_settings())) as c:
        yield c


def test_json_table_filters_and_sort(client):
    r = client.get("/api/scorecards/edfund/house-2025", params={"sort": "score", "dir": "desc"})
    assert r.status_code == 200
    rows = r.json()["rows"]
    # Lifetime (pooled) = the 119th here. Adams: 1 + 2 + excused excluded = 3/3 = 100.
    # Cruz: not voting counted against (0 of 2) + 1 = 1/3 = 33.
    # Baker: 0 (w1) + 0 (w2) + paired excluded + manual letter 1x1 = 1/(1+2+1) = 25.
    assert [(x["name"], x["score"], x["grade"]) for x in rows] == [
        ("Ann Adams", 100.0, "A"), ("Cara Cruz", 33.0, "F"), ("Bob Baker", 25.0, "F")]
    assert r.json()["unmatched"] == 1
    dem = client.get("/api/scorecards/edfund/house-2025", params={"party": "Democratic", "q": "cruz"}).json()
    assert [x["name"] for x in dem["rows"]] == ["Cara Cruz"]


def test_csv_and_legislator_outputs(client):
    r = client.get("/api/scorecards/edfund/house-2025", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {x["bioguide"]: x["score"] for x in rows} == {"A000001": "100.0", "B000002": "25.0", "C000003": "33.0"}
    detail = client.get("/api/scorecards/edfund/house-2025/legislators/bioguide:B000002").json()
    assert [m["cell"]["rule"] for m in detail["manual"]] == ["manual: signed the letter"]
    v2 = [v for v in detail["votes"] if v["item"]["vote_event_key"] == "us-house-2025-2"][0]
    assert v2["cell"]["raw_name"] == "Baker" and v2["cell"]["match_method"] == "id:bioguide"
    assert "disagrees" in v2["cell"]["rule"]
    text = client.get("/api/scorecards/edfund/house-2025/legislators/bioguide:B000002",
                      params={"format": "csv"}).text
    assert "meals-letter" in text and "us-house-2025-2" in text


def test_open_export_format(client):
    doc = client.get("/api/scorecards/edfund/house-2025/export").json()
    assert (doc["format"], doc["format_version"]) == ("edtracker-scorecard", 1)
    assert doc["scorecard"]["jurisdiction"]["ocd_jurisdiction_id"].startswith("ocd-jurisdiction/country:us")
    adams = [p for p in doc["legislators"] if p["key"] == "bioguide:A000001"][0]
    assert adams["ids"]["bioguide"] == "A000001"
    assert {s["session"]: s["score"] for s in adams["scores"]} == {"119": 100.0, "*": 100.0}
    assert [u["raw_name"] for u in doc["unmatched"]] == ["Smithers (X-ZZ)"]
    notice = [i for i in doc["items"] if i["slug"] == "us-house-2025-1"][0]
    assert notice["notice_text"] == "We will score this vote" and notice["preferred"] == "yes"


def test_page_sort_filter_without_js_and_escaping(client):
    r = client.get(BASE, params={"sort": "name", "dir": "desc", "chamber": "lower"})
    assert r.status_code == 200
    body = r.text
    assert body.index("Cara Cruz") < body.index("Bob Baker") < body.index("Ann Adams")
    assert 'aria-sort="descending"' in body and "<caption id=\"scores-caption\">" in body and 'scope="col"' in body
    assert "<script>window.__xss" not in body and "&lt;script&gt;window.__xss" in body
    assert 'onerror="window' not in body
    assert "House &lt;b&gt;2025&lt;/b&gt;" in body
    assert "Smithers (X-ZZ)" in body  # unmatched votes are listed on the page
    found = client.get(BASE, params={"district": "2"}).text
    assert "Bob Baker" in found and "Ann Adams" not in found
    es = client.get(BASE, params={"lang": "es"}).text
    assert 'lang="es"' in es and "Puntuación" in es


def test_legislator_and_methodology_pages(client):
    page = client.get(f"{BASE}/legislators/bioguide:A000001").text
    assert "voted no, the coalition&#39;s position: agrees" in page
    assert "&lt;script&gt;window.__xss" in page and "<script>window" not in page
    assert "excused: excused excluded" in page
    meth = client.get(f"{BASE}/methodology").text
    assert "We score votes on public schools." in meth and "Last updated" in meth
    assert "/embed.js" in meth and "We will score this vote" in meth


def test_csp_frame_ancestors_only_for_listed_origins(client):
    embed = client.get(f"/embed{BASE}")
    csp = embed.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://partner.example" in csp
    assert "javascript" not in csp and "x.example" not in csp and "script-src 'self';" in csp
    assert "x-frame-options" not in embed.headers
    page = client.get(BASE)
    assert page.headers["content-security-policy"].endswith("frame-ancestors 'none'")
    assert page.headers["x-frame-options"] == "DENY"


def test_etag_last_modified_and_304(client):
    first = client.get(f"/embed{BASE}")
    etag, last = first.headers["etag"], first.headers["last-modified"]
    assert "public" in first.headers["cache-control"]
    again = client.get(f"/embed{BASE}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(f"/embed{BASE}", headers={"If-Modified-Since": last}).status_code == 304
    assert client.get(f"/embed{BASE}", headers={"If-None-Match": '"other"'}).status_code == 200
    # Another language is another representation: another ETag.
    assert client.get(f"/embed{BASE}", params={"lang": "es"}).headers["etag"] != etag
    api = client.get("/api/scorecards/edfund/house-2025")
    assert client.get("/api/scorecards/edfund/house-2025",
                      headers={"If-None-Match": api.headers["etag"]}).status_code == 304


def test_etag_changes_after_recompute(client, app_env):
    from sqlmodel import Session

    from tracker.scoring import engine as eng
    etag = client.get(f"/embed{BASE}").headers["etag"]
    with Session(get_engine(app_env)) as db:
        eng.recompute(db, 1)
        db.commit()
    r = client.get(f"/embed{BASE}", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.headers["etag"] != etag


def test_badge_and_card(client):
    r = client.get(f"{BASE}/badge.svg", params={"legislator": "bioguide:A000001"})
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert 'role="img"' in r.text and "Ann Adams: score 100 A, grade A on House &lt;b&gt;2025&lt;/b&gt;" in r.text
    card = client.get(f"/embed{BASE}/legislators/bioguide:C000003", params={"lang": "es"}).text
    assert "Cara Cruz" in card and "Puntuación" in card


def test_oembed(client):
    r = client.get("/oembed", params={"url": f"http://testserver{BASE}/legislators/bioguide:A000001"})
    data = r.json()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert f'src="http://testserver/embed{BASE}/legislators/bioguide:A000001"' in data["html"]
    assert client.get("/oembed", params={"url": "https://elsewhere.example/c/edfund/scorecards/house-2025"}).status_code == 404


def test_unpublished_scorecard_is_not_public(client, app_env):
    from sqlmodel import Session

    from tracker.scoring import service
    with Session(get_engine(app_env)) as db:
        service.create_scorecard(db, coalition="edfund", slug="draft", jurisdiction="us", title="Draft")
        db.commit()
    assert client.get("/c/edfund/scorecards/draft").status_code == 404
    assert client.get("/api/scorecards/edfund/draft").status_code == 404


def test_embed_js_and_catalog_complete(client):
    js = client.get("/embed.js")
    assert js.headers["content-type"].startswith("text/javascript")
    assert "event.origin !== origin" in js.text
    from api.scorecards.render import catalog
    assert set(catalog()["en"]) == set(catalog()["es"])
