"""Golden test of the scoring engine (issue 19): every cell, with its audit columns, and every
summary of scorecards that between them use every rule, on real and hand-made roll calls, must
equal what the row-by-row engine of issue 6 computed (tests/data/scoring/golden.json), after
incremental updates, after a full recompute and after a corrected roll call; SQLite and PostgreSQL."""
from __future__ import annotations

import json

from sqlmodel import Session, select

from tests.scoring import golden_data as g
from tests.scoring import helpers as h
from tracker.models import Scorecard
from tracker.scoring import engine as scoring


def _golden() -> dict:
    return json.loads(g.GOLDEN.read_text())


def assert_golden(got: dict) -> None:
    want = _golden()
    for part in ("cells", "summaries", "item_sessions"):
        extra = [r for r in got[part] if r not in want[part]]
        missing = [r for r in want[part] if r not in got[part]]
        assert not extra and not missing, (f"{part}: {len(extra)} rows not in the golden file, "
                                           f"{len(missing)} missing; first: {extra[:3]} / {missing[:3]}")
        assert got[part] == want[part]


def test_golden_covers_every_rule():
    """The fixture is worth its name: it holds every rule outcome the engine can write."""
    rules = {r[12] for r in _golden()["cells"]}
    words = ["agrees", "disagrees", "absence counted against", "absence excluded", "absence earns partial",
             "absence credited with the outcome", "excused excluded", "excused counted against",
             "excused earns partial", "paired excluded", "paired credited with the outcome",
             "paired counted against", "present counted against", "present excluded",
             "present credited with the outcome", "outcome is unknown", "recorded as 'other'",
             "no preferred option", "not a member of that body", "not a member of the legislature",
             "unmatched", "sponsored a supported bill", "withdrew sponsorship", "did not sponsor a supported",
             "did not sponsor an opposed", "credit-only", "manual: signed"]
    for w in words:
        assert any(w in r for r in rules), f"no cell with a rule saying {w!r}"
    summaries = _golden()["summaries"]
    assert any(s[9] is None and s[5] > 0 for s in summaries), "no summary under the minimum participation"
    assert {s[2] for s in summaries} >= {"119", "119-2", "*", "20192020", "2013"}
    assert len(_golden()["cells"]) > 700  # the real roll calls are in


def test_incremental_build_equals_golden(engine):
    g.build(engine)  # every item added one by one: the incremental path
    assert_golden(g.snapshot(engine))


def test_full_recompute_equals_golden(engine):
    g.build(engine)
    with Session(engine) as db:
        for card_id in db.execute(select(Scorecard.id)).scalars().all():
            scoring.recompute(db, card_id)
        db.commit()
    assert_golden(g.snapshot(engine))


def test_corrected_roll_call_and_back_equals_golden(engine):
    """A roll call changed by an ingest moves the scores; ingesting it back restores every number."""
    g.build(engine)
    original = g.ROLLS[3]
    changed = {**original, "result": "pass",
               "votes": [{**v, "option": "yes"} for v in original["votes"]]}
    h.ingest(engine, [changed])
    assert g.snapshot(engine)["summaries"] != _golden()["summaries"]
    h.ingest(engine, [original])
    assert_golden(g.snapshot(engine))
