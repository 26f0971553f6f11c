"""Per-coalition API keys: roles, revocation, and no leaks between coalitions."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.app import create_app
from tests import factories as f
from tracker.coalitions.auth import new_api_key
from tracker.coalitions.positions import set_position
from tracker.ingest import Ingestor
from tracker.models import ApiKey, Coalition
from tracker.models.base import utcnow
from tracker.tagging.store import retag


@pytest.fixture
def world(app_env, engine):
    Ingestor(engine).ingest([f.bill(5), f.bill(6)])
    keys = {}
    with Session(engine, expire_on_commit=False) as db:
        for slug in ("a", "b"):
            coal = Coalition(slug=slug, name=slug.upper())
            db.add(coal)
            db.flush()
            set_position(db, coal.id, "us-119-hr5", stance="support", public=True, rationale=f"{slug} public")
            set_position(db, coal.id, "us-119-hr6", stance="oppose", public=False, rationale=f"{slug} secret")
            for role in ("viewer", "editor"):
                key, prefix, hashed = new_api_key()
                db.add(ApiKey(coalition_id=coal.id, name=role, prefix=prefix, key_hash=hashed, role=role))
                keys[(slug, role)] = key
        db.commit()
    retag(engine, coalition="a")
    return TestClient(create_app()), keys


def auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_anonymous_sees_public_positions_only(world):
    client, _ = world
    got = client.get("/api/coalitions/a/positions").json()
    assert [(p["bill_key"], p["rationale"]) for p in got] == [("us-119-hr5", "a public")]


def test_own_key_sees_private_positions(world):
    client, keys = world
    got = client.get("/api/coalitions/a/positions", headers=auth(keys[("a", "viewer")])).json()
    assert {p["rationale"] for p in got} == {"a public", "a secret"}


def test_other_coalitions_key_cannot_read_private_positions(world):
    client, keys = world
    r = client.get("/api/coalitions/b/positions", headers=auth(keys[("a", "editor")]))
    assert r.status_code == 403
    assert "b secret" not in r.text
    # Nor search b's private stances with it.
    r = client.get("/api/coalitions/b/search", params={"stance": "oppose"}, headers=auth(keys[("a", "editor")]))
    assert r.status_code == 403


def test_viewer_cannot_set_a_position(world):
    client, keys = world
    r = client.put("/api/coalitions/a/positions/us-119-hr6", json={"stance": "support"},
                   headers=auth(keys[("a", "viewer")]))
    assert r.status_code == 403
    r = client.put("/api/coalitions/a/positions/us-119-hr6", json={"stance": "support", "public": True},
                   headers={"X-API-Key": keys[("a", "editor")]})
    assert r.status_code == 200 and r.json()["set_by"].startswith("key:")
    assert "us-119-hr6" in {p["bill_key"] for p in client.get("/api/coalitions/a/positions").json()}


def test_missing_wrong_or_revoked_key_is_refused(world, engine):
    client, keys = world
    assert client.put("/api/coalitions/a/positions/us-119-hr6", json={"stance": "support"}).status_code == 401
    assert client.get("/api/coalitions/a/tags", headers=auth("edt_00000000_nope")).status_code == 401
    key = keys[("a", "editor")]
    with Session(engine) as db:
        row = db.execute(select(ApiKey).where(ApiKey.prefix == key.split("_")[1])).scalar_one()
        row.revoked_at = utcnow()
        db.commit()
    r = client.get("/api/coalitions/a/tags", headers=auth(key))
    assert r.status_code == 401 and "revoked" in r.text


def test_review_queue_through_the_api(world):
    client, keys = world
    queue = client.get("/api/coalitions/a/tags", headers=auth(keys[("a", "viewer")])).json()
    assert queue and all(t["explanation"] for t in queue)
    tag = queue[0]
    assert client.post(f"/api/coalitions/a/tags/{tag['id']}", json={"status": "confirmed"},
                       headers=auth(keys[("a", "viewer")])).status_code == 403
    r = client.post(f"/api/coalitions/a/tags/{tag['id']}", json={"status": "confirmed"},
                    headers=auth(keys[("a", "editor")]))
    assert r.json()["status"] == "confirmed"
    # b cannot touch a's tag.
    assert client.post(f"/api/coalitions/b/tags/{tag['id']}", json={"status": "rejected"},
                       headers=auth(keys[("b", "editor")])).status_code == 404


def test_public_search_has_no_coalition_data(world):
    client, _ = world
    body = client.get("/api/search", params={"q": "community"}).json()
    assert body["total"] == 2
    assert all(t["coalition"] is None for b in body["items"] for t in b["issue_areas"])


def test_production_refuses_placeholder_secret(monkeypatch, app_env):
    from tracker.settings import Settings
    with pytest.raises(ValueError, match="SECRET_KEY"):
        create_app(Settings(environment="production", secret_key="change-me"))


def test_a_keyed_request_writes_last_used_at_most_every_few_minutes(world, engine):
    """Issue 19: a write per keyed request queued API calls behind an import's write transaction
    on SQLite. The first use is recorded; the next uses within LAST_USED_EVERY write nothing."""
    from sqlalchemy import event, update

    from api.coalition_deps import LAST_USED_EVERY

    client, keys = world
    assert client.get("/api/coalitions/a/positions", headers=auth(keys[("a", "viewer")])).status_code == 200
    writes = []
    listener = lambda conn, cur, stmt, *a: writes.append(stmt) if stmt.lstrip().upper().startswith(("UPDATE", "INSERT")) else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(3):
            assert client.get("/api/coalitions/a/positions", headers=auth(keys[("a", "viewer")])).status_code == 200
        assert writes == []
        with Session(engine) as db:   # as if the last use was longer ago: recorded again
            db.execute(update(ApiKey).values(last_used_at=utcnow() - LAST_USED_EVERY * 2))
            db.commit()
        writes.clear()
        client.get("/api/coalitions/a/positions", headers=auth(keys[("a", "viewer")]))
        assert any("api_key" in w for w in writes)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
