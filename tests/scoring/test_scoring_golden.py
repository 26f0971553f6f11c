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


def _cells_of(db, card_id):
    """Every column of a scorecard's cells, by their key (item id, cell ref)."""
    from tracker.models import ScoreCell
    rows = db.execute(select(ScoreCell).where(ScoreCell.scorecard_id == card_id)).scalars()
    return {(c.item_id, c.cell_ref): c.model_dump() for c in rows}


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


def test_option_outside_the_vocabulary_is_kept_and_not_counted(engine):
    """A vote whose option no source maps (written by hand) still gets its cell and rule words."""
    g.build(engine)
    from sqlalchemy import update

    from tracker.models import PersonVote, VoteEvent
    from tracker.scoring import views
    with Session(engine) as db:
        ev = db.execute(select(VoteEvent.id).where(VoteEvent.key == "us-house-2025-10")).scalar_one()
        n = db.execute(update(PersonVote).where(PersonVote.vote_event_id == ev, PersonVote.voter_name == "Adams")
                       .values(option="sick leave")).rowcount
        db.commit()
        assert n == 1
        card_id = db.execute(select(Scorecard.id).where(Scorecard.slug == "house-default")).scalar_one()
        scoring.recompute(db, card_id)
        db.commit()
        cells = [(c["rule"], c["agreement"], c["eligible"]) for c in views.cells(db, db.get(Scorecard, card_id))
                 if c["vote_event_key"] == "us-house-2025-10" and c["option"] == "sick leave"]
    assert cells == [("recorded as 'sick leave': not counted", None, True)]


def test_one_roll_call_touches_only_its_cells_and_its_members_summaries(engine):
    """Rescoring a committee roll call rewrites its cells and its members' summaries, nothing else,
    in a number of statements that does not grow with the number of votes."""
    from sqlalchemy import event

    from tracker.models import ScoreCell, ScoredItem, ScoreSummary
    g.build(engine)
    with Session(engine) as db:
        card_id = db.execute(select(Scorecard.id).where(Scorecard.slug == "ca-default")).scalar_one()
        item = db.execute(select(ScoredItem).where(ScoredItem.scorecard_id == card_id,
                                                   ScoredItem.slug == "ca-lewis-20192020-8004")).scalar_one()
        item_id = item.id
        members = set(db.execute(select(ScoreCell.legislator_id).where(ScoreCell.item_id == item_id)).scalars())
        cells = _cells_of(db, card_id)
        stamps = {(r.legislator_id, r.session): r.computed_at for r in db.execute(
            select(ScoreSummary.legislator_id, ScoreSummary.session, ScoreSummary.computed_at)
            .where(ScoreSummary.scorecard_id == card_id))}
    statements = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with Session(engine) as db:
            scoring.recompute(db, card_id, [item_id])
            db.commit()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert 5 < len(members) < 40 and len(statements) <= 30, statements
    with Session(engine) as db:
        after = _cells_of(db, card_id)
        restamped = {(r.legislator_id, r.session) for r in db.execute(
            select(ScoreSummary.legislator_id, ScoreSummary.session, ScoreSummary.computed_at)
            .where(ScoreSummary.scorecard_id == card_id)) if stamps.get((r.legislator_id, r.session)) != r.computed_at}
    # the other items' cells are untouched, every column; the item's own were rewritten (the
    # statements deleted and inserted them) with the same members
    assert {k: v for k, v in cells.items() if k[0] != item_id} == {k: v for k, v in after.items() if k[0] != item_id}
    assert any(s.lstrip().upper().startswith(("DELETE FROM SCORE_CELL", "WITH C AS (DELETE FROM SCORE_CELL"))
               for s in statements), statements
    assert any(s.lstrip().upper().startswith("INSERT INTO SCORE_CELL") for s in statements), statements
    assert {k[1] for k in after if k[0] == item_id} == {k[1] for k in cells if k[0] == item_id}
    assert restamped and {lid for lid, _ in restamped} <= members
    assert_golden(g.snapshot(engine))
