"""The scorecard builder's JSON API (issue 17): every endpoint with an editor key, viewer keys
refused for writes, another coalition's key refused, validation errors naming the field, and the
change log; on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.app import create_app
from tests import factories as f
from tests.scoring import helpers as h
from tracker.coalitions.auth import new_api_key
from tracker.models import (ApiKey, ChangeEvent, Coalition, ScoreCell, Scorecard, ScorecardChange, ScoredItem,
                            ScoreSummary)

BASE = "/api/coalitions/edfund"
COMMITTEE = h.rollcall("us-house-ed-2025-1", "2025-02-10", [("A000001", "Adams", "yes"),
                                                           ("B000002", "Baker", "no")],
                       motion="Ordered reported", classification=("committee-passage",),
                       organization="House Committee on Education and the Workforce")


@pytest.fixture
def api(app_env, engine):
    h.small_house(engine)
    h.ingest(engine, [COMMITTEE, f.bill(6)])
    keys = {}
    with Session(engine) as db:
        other = Coalition(slug="other", name="Other")
        db.add(other)
        db.flush()
        ed = db.execute(select(Coalition).where(Coalition.slug == "edfund")).scalar_one()
        for coal, role in ((ed, "viewer"), (ed, "editor"), (ed, "admin"), (other, "editor")):
            key, prefix, hashed = new_api_key()
            db.add(ApiKey(coalition_id=coal.id, name=role, prefix=prefix, key_hash=hashed, role=role))
            keys[(coal.slug, role)] = {"Authorization": f"Bearer {key}"}
        db.commit()
    return TestClient(create_app()), keys, engine


def _create(client, headers, slug="house"):
    return client.post(f"{BASE}/scorecards", headers=headers, json={
        "slug": slug, "title": "House 2025", "jurisdiction": "us", "chambers": ["lower"], "sessions": ["119"],
        "languages": ["en", "es"]})


def test_editor_builds_and_publishes_a_scorecard(api):
    client, keys, engine = api
    ed = keys[("edfund", "editor")]
    r = _create(client, ed)
    assert r.status_code == 201, r.text
    assert r.json()["published"] is False and r.json()["languages"] == ["en", "es"]
    # Two floor votes and a committee vote; the passage vote follows the public position (support).
    r1 = client.post(f"{BASE}/scorecards/house/items", headers=ed, json={"kind": "floor_vote",
                                                                          "vote_event_key": "us-house-2025-1"})
    assert r1.status_code == 201, r1.text
    assert r1.json()["follows_position"] is True and r1.json()["preferred"] is None
    r2 = client.post(f"{BASE}/scorecards/house/items", headers=ed, json={
        "kind": "floor_vote", "vote_event_key": "us-house-2025-2", "preferred": "no", "weight": 2,
        "rationale": "The amendment guts the bill"})
    r3 = client.post(f"{BASE}/scorecards/house/items", headers=ed, json={
        "kind": "committee_vote", "vote_event_key": "us-house-ed-2025-1", "preferred": "yes"})
    assert r2.status_code == r3.status_code == 201, (r2.text, r3.text)
    # The anonymous public does not see it until it is published.
    assert client.get("/api/scorecards/edfund/house").status_code == 404
    r = client.post(f"{BASE}/scorecards/house/publish", headers=ed)
    assert r.status_code == 200 and r.json()["published"] is True
    table = client.get("/api/scorecards/edfund/house", params={"session": "119"}).json()
    scores = {row["name"]: row["score"] for row in table["rows"]}
    # Adams: yes (agrees), no on the amendment (agrees, w2), yes in committee (agrees) -> 100.
    # Baker: no (disagrees), yes (disagrees, w2), no in committee (disagrees) -> 0.
    assert scores["Ann Adams"] == 100 and scores["Bob Baker"] == 0, scores
    r = client.post(f"{BASE}/scorecards/house/unpublish", headers=ed)
    assert r.json()["published"] is False
    assert client.get("/api/scorecards/edfund/house").status_code == 404


def test_item_edit_and_remove_rescore(api):
    client, keys, engine = api
    ed = keys[("edfund", "editor")]
    _create(client, ed)
    item = client.post(f"{BASE}/scorecards/house/items", headers=ed, json={
        "kind": "floor_vote", "vote_event_key": "us-house-2025-1", "preferred": "yes"}).json()
    client.post(f"{BASE}/scorecards/house/items", headers=ed, json={
        "kind": "committee_vote", "vote_event_key": "us-house-ed-2025-1", "preferred": "yes"})
    r = client.patch(f"{BASE}/scorecards/house/items/{item['id']}", headers=ed, json={"preferred": "no", "weight": 3})
    assert r.status_code == 200 and r.json()["preferred"] == "no" and r.json()["weight"] == 3
    with Session(engine) as db:
        card = db.execute(select(Scorecard).where(Scorecard.slug == "house")).scalar_one()
        cells = {c.legislator_id: c.points for c in db.execute(select(ScoreCell).where(ScoreCell.item_id == item["id"])).scalars()}
    assert sorted(cells.values()) == [0.0, 0.0, 3.0], cells   # Baker's "no" now earns the 3 points
    assert client.delete(f"{BASE}/scorecards/house/items/{item['id']}", headers=ed).status_code == 204
    with Session(engine) as db:
        assert db.execute(select(ScoreCell).where(ScoreCell.item_id == item["id"])).first() is None
        baker = h.leg_ids(engine)["Baker"]
        s = db.execute(select(ScoreSummary).where(ScoreSummary.scorecard_id == card.id,
                                                  ScoreSummary.legislator_id == baker,
                                                  ScoreSummary.session == "119")).scalar_one()
        assert (s.earned, s.possible) == (0.0, 1.0)   # only the committee vote is left
        log = [c.action for c in db.execute(select(ScorecardChange).order_by(ScorecardChange.id)).scalars()]
    assert log == ["created", "item_added", "item_added", "item_updated", "item_removed"]
    assert client.get(f"{BASE}/scorecards/house/items/{item['id']}", headers=ed).status_code == 405


def test_settings_patch_validates_and_rescores(api):
    client, keys, _ = api
    ed = keys[("edfund", "editor")]
    _create(client, ed)
    client.post(f"{BASE}/scorecards/house/items", headers=ed, json={
        "kind": "floor_vote", "vote_event_key": "us-house-2025-3", "preferred": "yes"})
    r = client.patch(f"{BASE}/scorecards/house", headers=ed, json={"settings": {"absence_policy": "sometimes"}})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "absence_policy"]
    r = client.patch(f"{BASE}/scorecards/house", headers=ed, json={"settings": {"excused_policy": "count_against"},
                                                                     "title": "House, 2025"})
    assert r.status_code == 200 and r.json()["settings"]["excused_policy"] == "count_against"
    assert r.json()["title"] == "House, 2025"
    got = client.get(f"{BASE}/scorecards/house", headers=keys[("edfund", "viewer")]).json()
    assert got["settings"]["excused_policy"] == "count_against" and len(got["items"]) == 1
    listed = client.get(f"{BASE}/scorecards", headers=keys[("edfund", "viewer")]).json()
    assert [c["slug"] for c in listed] == ["house"]
    assert client.get("/api/coalitions/other/scorecards", headers=keys[("other", "editor")]).json() == []
    assert client.get(f"{BASE}/scorecards", headers=keys[("other", "editor")]).status_code == 403


def test_validation_names_the_field(api):
    client, keys, _ = api
    ed = keys[("edfund", "editor")]
    assert _create(client, ed).status_code == 201
    r = _create(client, ed)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "slug"]
    r = client.post(f"{BASE}/scorecards", headers=ed, json={"slug": "x", "title": "X", "jurisdiction": "zz"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "jurisdiction"]
    r = client.post(f"{BASE}/scorecards/house/items", headers=ed, json={"kind": "floor_vote",
                                                                         "vote_event_key": "nope"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "vote_event_key"]
    r = client.post(f"{BASE}/scorecards/house/items", headers=ed, json={"kind": "manual", "label": "Letter"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "rationale"]
    # An amendment vote cannot follow the position: staff must choose.
    r = client.post(f"{BASE}/scorecards/house/items", headers=ed, json={"kind": "floor_vote",
                                                                         "vote_event_key": "us-house-2025-2"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "preferred"]


@pytest.mark.parametrize("who", ["anonymous", "viewer", "other"])
def test_writes_refused_without_an_editor_key_of_the_coalition(api, who):
    client, keys, engine = api
    _create(client, keys[("edfund", "editor")])
    headers = {"anonymous": {}, "viewer": keys[("edfund", "viewer")], "other": keys[("other", "editor")]}[who]
    expected = {"anonymous": 401, "viewer": 403, "other": 403}[who]
    calls = [("post", f"{BASE}/scorecards", {"slug": "x", "title": "X", "jurisdiction": "us"}),
             ("patch", f"{BASE}/scorecards/house", {"title": "Hacked"}),
             ("delete", f"{BASE}/scorecards/house", None),
             ("post", f"{BASE}/scorecards/house/items", {"kind": "floor_vote", "vote_event_key": "us-house-2025-1",
                                                         "preferred": "yes"}),
             ("patch", f"{BASE}/scorecards/house/items/1", {"weight": 2}),
             ("delete", f"{BASE}/scorecards/house/items/1", None),
             ("post", f"{BASE}/scorecards/house/publish", None),
             ("post", f"{BASE}/scorecards/house/unpublish", None),
             ("post", f"{BASE}/scorecards/house/notices", {"bill_key": "us-119-hr6", "chamber": "lower", "text": "x"}),
             ("put", f"{BASE}/positions/us-119-hr6", {"stance": "oppose"})]
    for method, url, body in calls:
        r = client.request(method.upper(), url, headers=headers, json=body)
        assert r.status_code == expected, (method, url, r.status_code, r.text)
    if who != "viewer":
        assert client.get(f"{BASE}/scorecards/house", headers=headers).status_code == expected
        assert client.get(f"{BASE}/positions/us-119-hr5/history", headers=headers).status_code == expected
    with Session(engine) as db:
        card = db.execute(select(Scorecard).where(Scorecard.slug == "house")).scalar_one()
        assert card.title == "House 2025" and card.published_at is None


def test_admin_key_may_do_what_an_editor_may(api):
    client, keys, _ = api
    assert _create(client, keys[("edfund", "admin")]).status_code == 201


def test_delete_scorecard_keeps_the_log(api):
    client, keys, engine = api
    ed = keys[("edfund", "editor")]
    _create(client, ed)
    client.post(f"{BASE}/scorecards/house/items", headers=ed, json={
        "kind": "floor_vote", "vote_event_key": "us-house-2025-1", "preferred": "yes"})
    assert client.delete(f"{BASE}/scorecards/house", headers=ed).status_code == 204
    assert client.get(f"{BASE}/scorecards/house", headers=ed).status_code == 404
    with Session(engine) as db:
        assert db.execute(select(ScoreCell)).first() is None
        log = db.execute(select(ScorecardChange.action, ScorecardChange.by).order_by(ScorecardChange.id)).all()
    assert [a for a, _ in log] == ["created", "item_added", "deleted"]
    assert all(by.startswith("key:") for _, by in log)


def test_position_put_and_history(api):
    client, keys, _ = api
    ed = keys[("edfund", "editor")]
    assert client.put(f"{BASE}/positions/us-119-hr6", headers=ed, json={"stance": "oppose"}).status_code == 200
    assert client.put(f"{BASE}/positions/us-119-hr6", headers=ed,
                      json={"stance": "support", "public": True, "rationale": "amended"}).status_code == 200
    hist = client.get(f"{BASE}/positions/us-119-hr6/history", headers=keys[("edfund", "viewer")]).json()
    assert [(x["previous_stance"], x["stance"]) for x in hist] == [(None, "oppose"), ("oppose", "support")]
    assert hist[1]["set_by"].startswith("key:")


def test_notice_alerts_and_attaches_to_the_roll_call(api):
    client, keys, engine = api
    ed = keys[("edfund", "editor")]
    _create(client, ed)
    r = client.post(f"{BASE}/scorecards/house/notices", headers=ed, json={
        "bill_key": "us-119-hr6", "chamber": "lower", "text": "We will score the vote on H.R. 6", "preferred": "yes"})
    assert r.status_code == 201, r.text
    item = r.json()
    assert item["vote_event_key"] is None and item["notice_published_at"]
    # Public, with its time, on the scorecard page once the scorecard is published.
    client.post(f"{BASE}/scorecards/house/publish", headers=ed)
    page = client.get("/c/edfund/scorecards/house").text
    assert "We will score the vote on H.R. 6" in page and item["notice_published_at"][:10] in page
    with Session(engine) as db:
        ev = db.execute(select(ChangeEvent).where(ChangeEvent.kind == "scored_vote_notice")).scalar_one()
        assert ev.bill_key == "us-119-hr6" and ev.payload["notice"] == "We will score the vote on H.R. 6"
    # The roll call arrives later (dated after the notice): the item gets it and is scored. The
    # notice is dated back into the data's Congress, whose members' terms end on 2027-01-03, so
    # that the vote after it counts whatever today is.
    with Session(engine) as db:
        db.get(ScoredItem, item["id"]).notice_published_at = dt.datetime(2025, 11, 3, 15, tzinfo=dt.timezone.utc)
        db.commit()
    h.ingest(engine, [h.rollcall("us-house-hr6-1", "2025-11-04", [("A000001", "Adams", "yes"),
                                                                  ("B000002", "Baker", "no")], bill_key="us-119-hr6")])
    got = client.get(f"{BASE}/scorecards/house", headers=ed).json()["items"][0]
    assert got["vote_event_key"] == "us-house-hr6-1" and got["notice_text"]
    with Session(engine) as db:
        points = sorted(c.points for c in db.execute(select(ScoreCell).where(ScoreCell.item_id == item["id"])).scalars())
        assert points == [0.0, 1.0]
        assert "notice_attached" in db.execute(select(ScorecardChange.action)).scalars().all()


def test_cli_changes_are_in_the_change_log_too(api):
    from typer.testing import CliRunner

    from cli.main import app as cli

    _, _, engine = api
    runner = CliRunner()
    out = runner.invoke(cli, ["scorecard", "create", "edfund/cli-card", "-j", "us", "--title", "From the CLI"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli, ["scorecard", "add-item", "edfund/cli-card", "--vote", "us-house-2025-1",
                              "--preferred", "yes", "--by", "ops@edfund.example"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli, ["scorecard", "set-preferred", "edfund/cli-card", "us-house-2025-1", "--preferred", "no"])
    assert out.exit_code == 0, out.output
    with Session(engine) as db:
        log = db.execute(select(ScorecardChange.action, ScorecardChange.by).order_by(ScorecardChange.id)).all()
    assert [tuple(r) for r in log] == [("created", "cli"), ("item_added", "ops@edfund.example"), ("item_updated", "cli")]
