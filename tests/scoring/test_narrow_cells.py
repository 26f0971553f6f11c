"""Narrow score cells (issue 19, migration 0033): the audit trail pages, JSON and CSV show is the
same as when every cell carried its own copy of the item's facts and the rule words; upgrading a
scored store drops the old cells and rescores every item to the same numbers."""
from __future__ import annotations

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, text
from sqlmodel import Session

from api.app import create_app
from tests.scoring import golden_data as g
from tests.scoring import helpers as h
from tracker.db import alembic_config, get_engine, migration_head
from tracker.models import ScoreCell, ScoreDirty, ScoredItem, ScoreRuleText, ScoreSummary
from tracker.scoring import dirty
from tracker.scoring.engine import recompute
from tracker.settings import get_settings

API = "/api/scorecards/edfund/house-2025"
PAGE = "/c/edfund/scorecards/house-2025"
V = "https://example.org/rollcalls/us-house-2025-{}.xml"
# (item slug, session, roll call key, source URL, printed name, match, confidence, option, raw option,
#  rule words, agreement, weight, points, eligible), as the wide cells of migration 0032 showed them.
CRUZ = [
    ("us-house-2025-1", "119", "us-house-2025-1", V.format(1), "Cruz", "id:bioguide", 1.0, "yes", "Yes",
     "not a member of that body on that date", None, 1.0, 0.0, False),
    ("us-house-2025-2", "119", "us-house-2025-2", V.format(2), "Cruz", "id:bioguide", 1.0, "not voting", "Not Voting",
     "not voting: absence counted against", 0.0, 2.0, 0.0, True),
    ("us-house-2025-3", "119", "us-house-2025-3", V.format(3), "Cruz", "id:bioguide", 1.0, "yes", "Yes",
     "voted yes, the coalition's position: agrees", 1.0, 1.0, 1.0, True)]
BAKER = [
    ("us-house-2025-1", "119", "us-house-2025-1", V.format(1), "Baker", "id:bioguide", 1.0, "no", "No",
     "voted no, against the coalition's position (yes): disagrees", 0.0, 1.0, 0.0, True),
    ("us-house-2025-2", "119", "us-house-2025-2", V.format(2), "Baker", "id:bioguide", 1.0, "yes", "Yes",
     "voted yes, against the coalition's position (no): disagrees", 0.0, 2.0, 0.0, True),
    ("us-house-2025-3", "119", "us-house-2025-3", V.format(3), "Baker", "id:bioguide", 1.0, "paired", "Paired",
     "paired: paired excluded", None, 1.0, 0.0, True),
    ("meals-letter", "119", None, None, None, None, None, "manual", None, "manual: signed the letter", 1.0, 1.0, 1.0,
     True)]
FIELDS = ("session", "vote_event_key", "source_url", "raw_name", "match_method", "match_confidence", "option",
          "raw_option", "rule", "agreement", "weight", "points", "eligible")


@pytest.fixture
def client(app_env):
    h.published_house(get_engine(app_env))
    with TestClient(create_app(get_settings())) as c:
        yield c


def _trail(doc: dict) -> list[tuple]:
    return [(x["item"]["slug"], *(x["cell"][f] for f in FIELDS)) for x in doc["votes"] + doc["manual"]]


def test_audit_trail_pages_show_is_unchanged(client):
    assert _trail(client.get(f"{API}/legislators/bioguide:C000003").json()) == CRUZ
    assert _trail(client.get(f"{API}/legislators/bioguide:B000002").json()) == BAKER
    page = client.get(f"{PAGE}/legislators/bioguide:C000003").text
    for words in ("not a member of that body on that date", "not voting: absence counted against", V.format(2)):
        assert words in page, words
    lines = client.get(f"{API}/legislators/bioguide:B000002", params={"format": "csv"}).text
    assert "manual: signed the letter" in lines and "paired: paired excluded" in lines
    unmatched = client.get(f"{API}/export").json()["unmatched"]
    assert len(unmatched) == 1 and "Smithers (X-ZZ)" in str(unmatched) and V.format(2) in str(unmatched)


def test_rule_words_are_stored_once(client, app_env):
    engine = get_engine(app_env)
    with Session(engine) as db:
        texts = db.execute(select(ScoreRuleText.words)).scalars().all()
        recompute(db, db.execute(select(ScoredItem.scorecard_id)).scalars().first())
        db.commit()
        again = db.execute(select(ScoreRuleText.words)).scalars().all()
    assert len(texts) == len(set(texts)) and sorted(again) == sorted(texts)
    assert "not voting: absence counted against" in texts and "manual: signed the letter" in texts


def test_upgrade_to_narrow_cells_rescores_every_item_to_the_same_numbers(engine):
    g.build(engine)
    before = g.snapshot(engine)
    url = engine.url.render_as_string(hide_password=False)
    cfg = alembic_config(url)
    command.downgrade(cfg, "0032_score_cell_lean")  # the wide cells of a store scored before 0033
    with engine.begin() as conn:
        item = conn.execute(select(ScoredItem.id, ScoredItem.scorecard_id)).first()
        conn.execute(text("INSERT INTO score_cell (scorecard_id, item_id, cell_key, legislator_id, rule, weight, "
                          "points, eligible) VALUES (:c, :i, 'leg:1', 1, 'agrees', 1.0, 1.0, :t)"),
                     {"c": item.scorecard_id, "i": item.id, "t": True})
        conn.execute(insert(ScoreSummary.__table__).values(scorecard_id=item.scorecard_id, legislator_id=1,
                                                           session="stale", earned=1.0, possible=1.0))
        conn.execute(ScoreDirty.__table__.delete())
    command.upgrade(cfg, "head")
    with Session(engine) as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == migration_head()
        assert db.execute(select(func.count()).select_from(ScoreCell)).scalar_one() == 0
        assert db.execute(select(func.count()).select_from(ScoreSummary)).scalar_one() == 0
        queued = set(db.execute(select(ScoreDirty.scorecard_id, ScoreDirty.item_id)))
        items = set(db.execute(select(ScoredItem.scorecard_id, ScoredItem.id)))
    assert queued == items and len(items) > 10
    dirty.process_dirty(engine)
    assert g.snapshot(engine) == before
