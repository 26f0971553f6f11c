"""The nightly full recompute of every scorecard (`tracker.scoring.batch`, issue 19): one
transaction per scorecard, several at once on PostgreSQL, the same cells and numbers as one
scorecard after another; a scorecard that fails is reported and the others are kept."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, event
from sqlmodel import Session

from tests.scoring import helpers as h
from tests.scoring.test_scoring_engine import snapshot
from tracker.models import ScoreCell, ScoreSummary
from tracker.scoring import batch, service


def _cards(engine) -> list[int]:
    """Four scorecards over the small House: two methodologies, two item sets."""
    h.small_house(engine)
    ids = []
    with Session(engine) as db:
        for n, settings in enumerate([None, {"absence_policy": "exclude"}, None, {"missing_from_roll": "absent"}]):
            card = service.create_scorecard(db, coalition="edfund", slug=f"house-{n}", jurisdiction="us",
                                            title=f"House {n}", chambers=["lower"], settings=settings)
            service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-1", weight=1 + n)
            service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-2", preferred="no")
            if n % 2 == 0:
                service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-3", preferred="yes")
            ids.append(card.id)
        db.commit()
    return ids


def _wipe(engine) -> None:
    with Session(engine) as db:
        db.execute(delete(ScoreCell))
        db.execute(delete(ScoreSummary))
        db.commit()


class _Overlap:
    """Counts the connections checked out at once by the recompute's threads; on PostgreSQL the
    first two wait for each other (a barrier), so a recompute that ran one scorecard at a time
    would fail here instead of passing by luck."""

    def __init__(self, engine, wait_for: int):
        self.now = self.most = 0
        self.lock = threading.Lock()
        self.barrier = threading.Barrier(wait_for, timeout=20) if wait_for > 1 else None
        self.met = 0
        event.listen(engine, "checkout", self.out)
        event.listen(engine, "checkin", self.back)
        self.engine = engine

    def out(self, *_):
        if not threading.current_thread().name.startswith("rescore"):
            return
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
            first = self.met < 2
            self.met += 1
        if self.barrier is not None and first:
            self.barrier.wait()

    def back(self, *_):
        if threading.current_thread().name.startswith("rescore"):
            with self.lock:
                self.now -= 1

    def close(self):
        event.remove(self.engine, "checkout", self.out)
        event.remove(self.engine, "checkin", self.back)


def test_every_scorecard_recomputed_at_once_gives_what_one_after_another_gives(engine):
    ids = _cards(engine)
    before = {cid: snapshot(engine, cid) for cid in ids}  # built item by item (incremental path)
    assert all(before[cid][0][0] for cid in ids)  # every scorecard has cells
    assert len({repr(before[cid]) for cid in ids}) == len(ids)  # and they differ
    _wipe(engine)
    pg = engine.dialect.name == "postgresql"
    watch = _Overlap(engine, 2 if pg else 1)
    try:
        results = batch.recompute_all(engine, ids, workers=2)
    finally:
        watch.close()
    assert [r.scorecard_id for r in results] == ids
    assert [r.error for r in results] == [None] * len(ids)
    assert all(r.stats.cells > 0 for r in results)
    assert {cid: snapshot(engine, cid) for cid in ids} == before
    # PostgreSQL: two scorecards at once, each on its own connection; SQLite: one writer.
    assert watch.most == (2 if pg else 0)


def test_a_scorecard_that_fails_is_reported_and_the_others_are_kept(engine):
    ids = _cards(engine)
    before = {cid: snapshot(engine, cid) for cid in ids}
    _wipe(engine)
    results = batch.recompute_all(engine, [ids[0], 999_999, ids[1]], workers=2)
    by_id = {r.scorecard_id: r for r in results}
    assert by_id[999_999].error == "LookupError: no scorecard with id 999999"
    assert by_id[999_999].stats is None
    assert snapshot(engine, ids[0]) == before[ids[0]]
    assert snapshot(engine, ids[1]) == before[ids[1]]
    assert snapshot(engine, ids[2])[1] == []  # not asked for: still wiped


def test_workers_follow_the_engine(engine):
    if engine.dialect.name == "postgresql":
        assert batch.workers_for(engine, 2) == 2
        assert batch.workers_for(engine, 64) == engine.pool.size()
    else:
        assert batch.workers_for(engine, 2) == 1
    assert batch.workers_for(engine, 1) == 1


def test_the_nightly_job_recomputes_every_scorecard(app_env, engine):
    from tracker.ops import jobs

    ids = _cards(engine)
    before = {cid: snapshot(engine, cid) for cid in ids}
    _wipe(engine)
    out = jobs.rescore()
    assert out["updated"] == len(ids) and out["errors"] == 0 and out["failed"] == {}
    assert sorted(out["scorecards"]) == sorted(str(cid) for cid in ids)
    assert {cid: snapshot(engine, cid) for cid in ids} == before


@pytest.mark.parametrize("value, ok", [("1", True), ("8", True), ("0", False), ("33", False)])
def test_the_setting_is_bounded(monkeypatch, value, ok):
    from pydantic import ValidationError

    from tracker.settings import Settings

    monkeypatch.setenv("EDTRACKER_SCORING_WORKERS", value)
    if ok:
        assert Settings().scoring_workers == int(value)
    else:
        with pytest.raises(ValidationError, match="scoring_workers"):
            Settings()


def test_real_roll_calls_of_two_legislatures_at_once_keep_their_hand_checked_scores(engine):
    """ESSA's Senate votes (2015) and Mississippi's charter-school votes (2013), real fixtures, two
    scorecards recomputed by the nightly job's way: the scores worked out by hand in
    `test_scorecard_real` and the same cells as item by item."""
    from tests.scoring import real_data
    from tests.scoring.test_scorecard_real import ESSA, MS, by_id

    h.ingest(engine, real_data.essa(["s243", "s237", "s333"]))
    h.ingest(engine, real_data.mississippi("2013", ["221575", "257240"], "ms-2013-hb369"))
    h.coalition(engine, stances={"ms-2013-hb369": "oppose"})
    ids = []
    with Session(engine) as db:
        for slug, jurisdiction, items in (("essa", "us", ESSA), ("ms-charter", "ms", MS)):
            card = service.create_scorecard(db, coalition="edfund", slug=slug, jurisdiction=jurisdiction,
                                            title=slug)
            for kw in items:
                service.add_item(db, card, **kw)
            ids.append(card.id)
        db.commit()
    before = {cid: snapshot(engine, cid) for cid in ids}
    _wipe(engine)
    results = batch.recompute_all(engine, ids, workers=2)
    assert [r.error for r in results] == [None, None]
    assert {cid: snapshot(engine, cid) for cid in ids} == before
    essa, ms = by_id(engine, ids[0], "lis"), by_id(engine, ids[1], "legiscan")
    assert essa["S313"] == (50.0, "F") and essa["S289"] == (75.0, "C") and len(essa) == 100
    assert ms["6499"] == (50.0, "F") and ms["6546"] == (100.0, "A")
