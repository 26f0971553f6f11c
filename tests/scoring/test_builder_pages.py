"""The scorecard builder's staff pages over HTTP (issue 17): an editor builds, previews and
publishes a scorecard with forms only; CSRF, roles, validation next to the field, the embed
allowlist, API keys shown once; the coalition file merges origins. SQLite and PostgreSQL."""
from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.app import create_app
from tests.scoring import helpers as h
from tests.scoring.test_builder_api import COMMITTEE
from tracker.coalitions.auth import hash_api_key, hash_password
from tracker.models import ApiKey, Coalition, Scorecard, ScorecardChange, StaffUser

HTML = {"accept": "text/html"}
PASSWORD = "correct-horse-battery"


@pytest.fixture
def site(app_env, engine, monkeypatch):
    monkeypatch.setenv("EDTRACKER_SECRET_KEY", "test-secret-key-test-secret-key-123")
    from tracker.settings import get_settings
    get_settings.cache_clear()
    h.small_house(engine)
    h.ingest(engine, [COMMITTEE])
    with Session(engine) as db:
        co = db.execute(select(Coalition).where(Coalition.slug == "edfund")).scalar_one()
        for role in ("viewer", "editor", "admin"):
            db.add(StaffUser(coalition_id=co.id, email=f"{role}@edfund.example", password_hash=hash_password(PASSWORD),
                             role=role))
        db.commit()
    return create_app(), engine


def login(app, role: str) -> TestClient:
    client = TestClient(app, headers=HTML)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/c/edfund/staff/login").text).group(1)
    r = client.post("/c/edfund/staff/login", data={"email": f"{role}@edfund.example", "password": PASSWORD,
                                                   "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    return client


def csrf(client, url="/c/edfund/staff/scorecards") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).text).group(1)


def build(client) -> None:
    token = csrf(client)
    r = client.post("/c/edfund/staff/scorecards", data={
        "csrf": token, "title": "House 2025", "sc_slug": "house", "jurisdiction": "us", "chambers": ["lower"],
        "sessions": "119", "languages": ["en", "es"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/c/edfund/staff/scorecards/house", r.text
    page = client.get("/c/edfund/staff/scorecards/house", params={"q": "hr 5"}).text
    assert "us-house-2025-1" in page and "us-house-ed-2025-1" in page
    # The passage vote's default follows the public position (support -> yes).
    assert "Follows our public position (Yes)" in page or "Follows our public position (yes)" in page
    for key, kind, pref in (("us-house-2025-1", "floor_vote", ""), ("us-house-2025-2", "floor_vote", "no"),
                            ("us-house-ed-2025-1", "committee_vote", "yes")):
        r = client.post("/c/edfund/staff/scorecards/house/items", data={
            "csrf": token, "kind": kind, "vote_event_key": key, "preferred": pref, "weight": "1"},
            follow_redirects=False)
        assert r.status_code == 303, r.text


def test_editor_builds_previews_and_publishes(site):
    app, engine = site
    client = login(app, "editor")
    build(client)
    token = csrf(client)
    # Preview: counting excused absences against changes nobody here (no excused vote on these
    # items); counting absences as excluded changes Cruz (absent on vote 2). Nothing is saved.
    r = client.post("/c/edfund/staff/scorecards/house/settings", data={
        "csrf": token, "action": "preview", "absence_policy": "exclude", "lifetime": "on"})
    assert r.status_code == 200
    table = r.text.split('id="preview-h"')[1]
    assert "Cara Cruz" in table and "Ann Adams" not in table, table[:2000]
    with Session(engine) as db:
        card = db.execute(select(Scorecard).where(Scorecard.slug == "house")).scalar_one()
        assert card.settings["absence_policy"] == "count_against"
    r = client.post("/c/edfund/staff/scorecards/house/settings", data={
        "csrf": token, "action": "save", "absence_policy": "exclude", "lifetime": "on"}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post("/c/edfund/staff/scorecards/house/publish", data={"csrf": token, "publish": "1"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/c/edfund/scorecards/house").status_code == 200
    page = client.get("/c/edfund/staff/scorecards/house").text
    log = page.split('id="log-h"')[1]
    for words in ("created", "item added", "methodology changed", "published", "editor@edfund.example"):
        assert words in log


def test_validation_messages_sit_next_to_the_field(site):
    app, _ = site
    client = login(app, "editor")
    r = client.post("/c/edfund/staff/scorecards", data={"csrf": csrf(client), "title": "", "sc_slug": "good-slug",
                                                        "jurisdiction": "us", "languages": ["en"]})
    assert r.status_code == 422
    assert 'id="title-err"' in r.text and 'aria-describedby="title-err"' in r.text
    r = client.post("/c/edfund/staff/scorecards", data={"csrf": csrf(client), "title": "T", "sc_slug": "Bad Slug",
                                                        "jurisdiction": "us", "languages": ["en"]})
    assert r.status_code == 422 and 'id="sc_slug-err"' in r.text and 'value="Bad Slug"' in r.text
    build(client)
    r = client.post("/c/edfund/staff/scorecards/house/items", data={"csrf": csrf(client), "kind": "manual",
                                                                    "label": "Letter", "rationale": ""})
    assert r.status_code == 422 and 'id="manual_rationale-err"' in r.text
    r = client.post("/c/edfund/staff/scorecards/house/settings", data={"csrf": csrf(client), "action": "preview",
                                                                       "partial_credit": "7"})
    assert r.status_code == 422 and 'id="setting_partial_credit-err"' in r.text
    # In Spanish, the message next to the field is Spanish too.
    r = client.post("/c/edfund/staff/scorecards/house/items?lang=es", data={"csrf": csrf(client), "kind": "manual",
                                                                            "label": "Carta", "rationale": ""})
    assert r.status_code == 422 and "un elemento manual necesita una justificación escrita" in r.text


def test_csrf_and_roles(site):
    app, engine = site
    editor = login(app, "editor")
    build(editor)
    r = editor.post("/c/edfund/staff/scorecards/house/publish", data={"publish": "1"})
    assert r.status_code == 403
    viewer = login(app, "viewer")
    assert viewer.get("/c/edfund/staff/scorecards/house").status_code == 200
    token = csrf(viewer)
    for url, data in (("/c/edfund/staff/scorecards/house/publish", {"publish": "1"}),
                      ("/c/edfund/staff/scorecards", {"title": "X", "sc_slug": "x", "jurisdiction": "us"}),
                      ("/c/edfund/staff/embed", {"embed_origins": "https://evil.example"}),
                      ("/c/edfund/staff/keys", {"name": "x", "role": "viewer"})):
        assert viewer.post(url, data={"csrf": token, **data}).status_code == 403, url
    assert viewer.get("/c/edfund/staff/keys").status_code == 403
    anonymous = TestClient(app, headers=HTML)
    r = anonymous.get("/c/edfund/staff/scorecards/house", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/staff/login")
    with Session(engine) as db:
        assert db.execute(select(Scorecard.published_at)).scalar() is None


def test_embed_origins_are_edited_in_the_browser_and_merged_by_the_file(site, tmp_path):
    app, engine = site
    client = login(app, "editor")
    r = client.post("/c/edfund/staff/embed", data={"csrf": csrf(client), "embed_origins": "https://partner.example/path"})
    assert r.status_code == 422 and "https://partner.example/path" in r.text and 'id="embed_origins-err"' in r.text
    r = client.post("/c/edfund/staff/embed", data={"csrf": csrf(client),
                                                   "embed_origins": "https://partner.example\nhttp://127.0.0.1:8631"},
                    follow_redirects=False)
    assert r.status_code == 303
    from tracker.coalitions.loader import load_coalition
    f = tmp_path / "edfund.yaml"
    f.write_text("version: 1\ncoalition:\n  slug: edfund\n  name: Education Fund\n  settings:\n"
                 "    embed_origins: [https://from-file.example, https://partner.example]\n")
    load_coalition(engine, f)
    with Session(engine) as db:
        co = db.execute(select(Coalition).where(Coalition.slug == "edfund")).scalar_one()
        assert co.settings["embed_origins"] == ["https://partner.example", "http://127.0.0.1:8631",
                                                "https://from-file.example"]
    load_coalition(engine, f)   # and again: nothing changes
    with Session(engine) as db:
        co = db.execute(select(Coalition).where(Coalition.slug == "edfund")).scalar_one()
        assert len(co.settings["embed_origins"]) == 3


def test_embed_page_shows_snippet_and_previews_in_both_languages(site):
    app, engine = site
    client = login(app, "editor")
    build(client)
    client.post("/c/edfund/staff/scorecards/house/publish", data={"csrf": csrf(client), "publish": "1"})
    r = client.get("/c/edfund/staff/embed")
    text = html.unescape(r.text)
    assert 'data-scorecard="edfund/house" async></script>' in text and '<iframe class="embed-preview"' in text
    assert "frame-src 'self'" in r.headers["content-security-policy"]
    assert "badge.svg?legislator=" in text and '"type": "rich"' in text
    es = html.unescape(client.get("/c/edfund/staff/embed?lang=es").text)
    assert "Sitios que pueden insertar" in es and 'data-lang="es"' in es


def test_api_key_is_shown_once_and_stored_hashed(site):
    app, engine = site
    client = login(app, "editor")
    r = client.post("/c/edfund/staff/keys", data={"csrf": csrf(client, "/c/edfund/staff/keys"), "name": "CRM",
                                                  "role": "admin"})
    assert r.status_code == 422    # an editor cannot make an admin key
    r = client.post("/c/edfund/staff/keys", data={"csrf": csrf(client, "/c/edfund/staff/keys"), "name": "CRM",
                                                  "role": "editor"})
    key = re.search(r'value="(edt_[^"]+)"', r.text).group(1)
    assert r.headers["cache-control"] == "no-store"
    assert key not in client.get("/c/edfund/staff/keys").text
    with Session(engine) as db:
        row = db.execute(select(ApiKey).where(ApiKey.name.like("CRM%"))).scalar_one()
        assert row.key_hash == hash_api_key(key) and key not in (row.name, row.prefix)
    api = TestClient(app)
    r = api.post("/api/coalitions/edfund/scorecards", headers={"Authorization": f"Bearer {key}"},
                 json={"slug": "senate", "title": "Senate", "jurisdiction": "us"})
    assert r.status_code == 201
    with Session(engine) as db:
        assert db.execute(select(ScorecardChange.by)).scalar().startswith("key:")


def test_items_are_edited_removed_and_announced_with_forms(site):
    app, engine = site
    client = login(app, "editor")
    build(client)
    token = csrf(client)
    page = client.get("/c/edfund/staff/scorecards/house").text
    ids = re.findall(r'<tr id="item-(\d+)">', page)
    assert len(ids) == 3
    r = client.post(f"/c/edfund/staff/scorecards/house/items/{ids[0]}", data={
        "csrf": token, "preferred": "no", "weight": "0", "rationale": ""})
    assert r.status_code == 422 and f'id="item{ids[0]}_weight-err"' in r.text
    r = client.post(f"/c/edfund/staff/scorecards/house/items/{ids[0]}", data={
        "csrf": token, "preferred": "no", "weight": "2.5", "rationale": "Changed our mind"}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(f"/c/edfund/staff/scorecards/house/items/{ids[1]}/remove", data={"csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post("/c/edfund/staff/scorecards/house/notices", data={
        "csrf": token, "bill_key": "us-119-hr5", "chamber": "upper", "kind": "floor_vote", "preferred": "yes",
        "text": "The Senate vote on H.R. 5 will be scored"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/c/edfund/staff/scorecards/house").text
    assert len(re.findall(r'<tr id="item-(\d+)">', page)) == 3        # two left, plus the notice
    assert "The Senate vote on H.R. 5 will be scored" in page and "waiting for its roll call" in page
    log = page.split('id="log-h"')[1]
    for words in ("item changed", "weight=2.5", "item removed", "notice published"):
        assert words in log, words
    r = client.post("/c/edfund/staff/scorecards/house/delete", data={"csrf": token, "confirm": "nope"})
    assert r.status_code == 422 and 'id="confirm-err"' in r.text
    r = client.post("/c/edfund/staff/scorecards/house/delete", data={"csrf": token, "confirm": "house"},
                    follow_redirects=False)
    assert r.status_code == 303
    with Session(engine) as db:
        assert db.execute(select(Scorecard)).first() is None
        assert db.execute(select(ScorecardChange.action).order_by(ScorecardChange.id.desc())).first()[0] == "deleted"
