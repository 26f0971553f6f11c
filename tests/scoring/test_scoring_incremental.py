"""Automatic incremental scores (issue 6): ingest and position changes queue the scored items
they touch, the queue is processed after the ingest batch or by the scheduler job, and a full
recompute then gives identical numbers; on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tests import factories as f
from tests.scoring import helpers as h
from tests.scoring.test_scoring_engine import assert_same_as_full_recompute, build, scores, snapshot
from tracker.coalitions.positions import set_position
from tracker.models import Position, Scorecard, ScoreDirty
from tracker.scoring import dirty, service

# A roll call the coalition announced it would score before it happened.
V4 = h.rollcall("us-house-2025-4", "2025-09-10", [("A000001", "Adams", "no"), ("B000002", "Baker", "yes"),
                                                 ("C000003", "Cruz", "yes")])


def queued(engine) -> int:
    with engine.connect() as conn:
        return dirty.pending(conn)


def test_ingest_of_a_scored_roll_call_updates_scores_without_recompute(engine):
    card_id = build(engine)
    with Session(engine) as db:
        card = db.get(Scorecard, card_id)
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-4", preferred="yes",
                         notice_text="We will score this vote",
                         notice_published_at=dt.datetime(2025, 9, 1, tzinfo=dt.timezone.utc))
        db.commit()
        version = card.version
    # Before the roll call: Adams 100, Baker 0, Cruz 33 (see test_scoring_engine).
    assert scores(engine, card_id) == {"Adams": (100.0, "A"), "Baker": (0.0, "F"), "Cruz": (33.0, "F")}
    h.ingest(engine, [V4])  # nothing else is called
    # V4 (preferred yes, weight 1): Adams no 3/4 = 75 C; Baker yes 1/4 = 25 F; Cruz yes 2/4 = 50 F
    assert scores(engine, card_id) == {"Adams": (75.0, "C"), "Baker": (25.0, "F"), "Cruz": (50.0, "F")}
    assert scores(engine, card_id, "*")["Adams"] == (75.0, "C")
    assert queued(engine) == 0
    with Session(engine) as db:
        assert db.get(Scorecard, card_id).version > version
    # A correction of a scored roll call (Baker's V1 vote becomes yes) moves Baker only.
    fixed = h.rollcall("us-house-2025-1", "2025-03-05", [("A000001", "Adams", "yes"), ("B000002", "Baker", "yes"),
                                                         ("C000003", "Cruz", "yes")])
    h.ingest(engine, [fixed])
    assert scores(engine, card_id) == {"Adams": (75.0, "C"), "Baker": (50.0, "F"), "Cruz": (50.0, "F")}
    assert_same_as_full_recompute(engine, card_id)


def test_unscored_records_queue_nothing(engine):
    card_id = build(engine)
    before = snapshot(engine, card_id)
    other = h.rollcall("us-house-2025-77", "2025-10-01", [("A000001", "Adams", "no")], bill_key="us-119-hr7")
    report = h.ingest(engine, [other, f.bill(7)])
    assert report.counts["insert"] == 2
    assert queued(engine) == 0
    assert snapshot(engine, card_id) == before


def test_position_change_queues_items_and_the_job_updates_them(engine, app_env):
    card_id = build(engine)
    with Session(engine) as db:
        co_id = db.exec(select(Position.coalition_id)).one()
        set_position(db, co_id, "us-119-hr5", stance="oppose", public=True, by="staff@example.org")
        db.commit()
    # Queued in the position's transaction: V1 follows the stance; V2 and V3 are staff-set.
    with Session(engine) as db:
        rows = db.exec(select(ScoreDirty)).all()
        assert [(r.scorecard_id, r.reason) for r in rows] == [
            (card_id, f"position of coalition {co_id} on us-119-hr5")]
    assert scores(engine, card_id)["Adams"] == (100.0, "A")  # not yet processed
    from tracker.scoring.jobs import update_dirty

    out = update_dirty()  # the scheduler job (settings point at the test database)
    assert out["items"] == 1 and queued(engine) == 0
    # Adams: V1 yes now disagrees (0 of 1) + V2 2 = 2/3 -> 67; Baker: V1 no agrees: 1/3 -> 33
    assert scores(engine, card_id) == {"Adams": (67.0, "D"), "Baker": (33.0, "F"), "Cruz": (33.0, "F")}
    # A direct edit of the row (no service) is seen too, and deleting the position unscores V1.
    with Session(engine) as db:
        pos = db.exec(select(Position)).one()
        pos.stance = "support"
        db.add(pos)
        db.commit()
    assert update_dirty()["items"] == 1
    assert scores(engine, card_id)["Adams"] == (100.0, "A")
    with Session(engine) as db:
        db.delete(db.exec(select(Position)).one())
        db.commit()
    update_dirty()
    # No stance: V1 is not scored. Adams 2/2 = 100; Baker 0/2 = 0; Cruz 1/3 unchanged -> 33
    assert scores(engine, card_id) == {"Adams": (100.0, "A"), "Baker": (0.0, "F"), "Cruz": (33.0, "F")}
    assert_same_as_full_recompute(engine, card_id)


def test_scheduler_runs_the_queue_every_minute_and_after_crawls():
    import scheduler

    jobs = {j.id: j for j in scheduler.DEFAULT_JOBS}
    assert jobs["score_dirty"].target == "tracker.scoring.jobs:update_dirty"
    assert jobs["score_dirty"].trigger.startswith("interval")
    assert "score_dirty" in jobs["us_votes"].after
    assert "rescore" in jobs  # the nightly full recompute stays as the reference


def test_an_update_rewrites_the_touched_summaries_in_place(engine):
    """A new roll call moves its members' summaries by their delta: the stored rows are updated
    (same ids), not deleted and inserted again, and hold what a full recompute gives."""
    from tracker.models import ScoreSummary

    card_id = build(engine)

    def ids():
        with Session(engine) as db:
            return {(s.legislator_id, s.session): s.id
                    for s in db.exec(select(ScoreSummary).where(ScoreSummary.scorecard_id == card_id))}

    before = ids()
    with Session(engine) as db:
        service.add_item(db, db.get(Scorecard, card_id), kind="floor_vote", vote_event_key="us-house-2025-4",
                         preferred="yes")
        db.commit()
    h.ingest(engine, [V4])
    assert scores(engine, card_id) == {"Adams": (75.0, "C"), "Baker": (25.0, "F"), "Cruz": (50.0, "F")}
    assert ids() == before
    assert_same_as_full_recompute(engine, card_id)
