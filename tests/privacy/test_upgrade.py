"""Upgrading a store scored before issue 14: items that followed a (possibly private) stance are
queued for rescoring by the migration, and the first public read serves the rescored numbers."""
from __future__ import annotations

from pathlib import Path

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from api.app import create_app
from tests.scoring import helpers as h
from tests.conftest import PG_URL
from tracker.db import get_engine, make_engine, upgrade
from tracker.models import Position, Scorecard, ScoreDirty
from tracker.scoring import views
from tracker.settings import get_settings


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    """An empty database (no schema), to be migrated step by step."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
    name = f"edt_up_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    get_engine(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _run_migration(engine, filename: str) -> None:
    """Run one migration's upgrade() on the store as it is (whatever comes after it in the chain)."""
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    import tracker.migrations
    path = Path(tracker.migrations.__file__).parent / "versions" / filename
    spec = importlib.util.spec_from_file_location("migration_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()


def test_upgrade_queues_stance_items_and_the_first_read_rescores(empty_url, monkeypatch, tmp_path):
    url = empty_url
    upgrade(url)
    engine = get_engine(url)
    h.published_house(engine, evil=False)
    with Session(engine) as db:
        # Scored before the fix: cells that follow the stance, which is (now) private.
        db.exec(update(Position).values(public=False))
        db.exec(ScoreDirty.__table__.delete())
        db.commit()
        stale = [c["rule"] for card in db.exec(select(Scorecard)) for c in views.cells(db, card)
                 if c["vote_event_key"] == "us-house-2025-1"]
    assert any("agrees" in r for r in stale)
    _run_migration(engine, "0012_scorecard_trust.py")  # the data step, on a store scored before it
    with Session(engine) as db:
        queued = db.exec(select(ScoreDirty.item_id)).all()
    assert len(queued) == 1  # us-house-2025-1 follows the stance; the others are staff-set or manual
    monkeypatch.setenv("EDTRACKER_DATABASE_URL", url)
    monkeypatch.setenv("EDTRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    with TestClient(create_app(get_settings())) as c:
        doc = c.get("/api/scorecards/edfund/house-2025/export").json()
    rules = {x["rule"] for p in doc["legislators"] for x in p["cells"] if x["item"] == "us-house-2025-1"}
    assert "not scored: no preferred option (the coalition takes no side)" in rules
    assert not [r for r in rules if "agrees" in r], rules
    get_settings.cache_clear()
