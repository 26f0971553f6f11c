"""Benchmark: full scorecard recompute at national scale, and one incremental update.

Synthetic data shaped like the real member x vote matrices (../shared/fixtures/ca-rollcall-lewis):
10 bodies of 740 members (7,400 legislators), 200 scored floor roll calls each (2,000), every
member on every roll (1.48 million individual votes; ~88% yes/no, ~7% not voting, some excused).
One scorecard per body. Prints seconds for the full recompute and milliseconds for adding one
new roll call (its cells and the summaries of its 740 members; median of five, the first one
printed too) and for rescoring one corrected roll call (median of five), each also as a ratio against a baseline run in the same process just before: one SQL
aggregate over the whole votes table (`SELECT legislator_id, count(*) ... GROUP BY legislator_id`).
The load average is printed at the start and the end (the machine is shared).

After building, the bench runs `ANALYZE` (every table): a freshly built set has no planner
statistics, which a real database always has (PostgreSQL's autovacuum analyzes it within
minutes), and PostgreSQL plans the recompute badly without them (31 s instead of 15 s, 2026-12-04).
The timed steps therefore measure the steady state of a production database.

Last (after the incremental steps, which the dead rows of repeated full recomputes would slow),
the nightly job's way (`tracker.scoring.batch.recompute_all`: one transaction per scorecard,
`--workers` at once on PostgreSQL) is timed against one worker on the same database, alternating,
`--rounds` times each (the cells are stored by then, so each run also deletes the old ones).

    .venv/bin/python bench/scorecard_recompute.py [--url URL] [--bodies 10] [--members 740] [--rolls 200]
                                                  [--workers 2] [--rounds 2] [--from-empty]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text, update  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tracker.db import get_engine, upgrade  # noqa: E402
from tracker.models import (Coalition, LegislativeSession, Legislator, LegislatorRole, PersonVote,  # noqa: E402
                            Scorecard, ScoredItem, VoteEvent)
from tracker.scoring import batch, engine as scoring  # noqa: E402

STATES = ["ca", "tx", "ny", "fl", "pa", "il", "oh", "ga", "nc", "mi", "nj", "va"]
OPTIONS = ["yes"] * 60 + ["no"] * 28 + ["not voting"] * 7 + ["excused"] * 3 + ["absent"] * 2


def build(url: str, bodies: int, members: int, rolls: int, seed: int = 6) -> list[int]:
    rnd = random.Random(seed)
    eng = get_engine(url)
    cards = []
    with Session(eng) as db:
        co = Coalition(slug="bench", name="Bench")
        db.add(co)
        db.flush()
        for b in range(bodies):
            j = STATES[b]
            sess = LegislativeSession(jurisdiction_id=j, identifier="2025", name="2025")
            db.add(sess)
            db.flush()
            first = db.execute(insert(Legislator).returning(Legislator.id),
                               [{"key": f"bench:{j}:{m}", "name": f"Member {j.upper()} {m}", "other_names": [],
                                 "extras": {}} for m in range(members)]).scalars().all()
            db.execute(insert(LegislatorRole), [{"legislator_id": lid, "jurisdiction_id": j, "chamber": "lower",
                                                 "district": str(i + 1), "party": rnd.choice(["D", "R"]),
                                                 "start_date": dt.date(2025, 1, 1), "end_date": dt.date(2027, 1, 1)}
                                                for i, lid in enumerate(first)])
            card = Scorecard(coalition_id=co.id, slug=f"{j}-2025", jurisdiction_id=j, title=f"{j} 2025",
                             sessions=["2025"], published_at=dt.datetime.now(dt.timezone.utc))
            db.add(card)
            db.flush()
            cards.append(card.id)
            for r in range(rolls):
                key = f"bench-{j}-{r}"
                ev = db.execute(insert(VoteEvent).returning(VoteEvent.id), [{
                    "key": key, "jurisdiction_id": j, "session_id": sess.id, "chamber": "lower",
                    "date": dt.date(2025, 1, 2) + dt.timedelta(days=r % 300), "motion_text": "On Passage",
                    "motion_classification": ["passage"], "result": "pass", "counts": {}, "extras": {},
                    "source_url": f"https://example.org/{key}.xml"}]).scalar_one()
                db.execute(insert(PersonVote), [{
                    "vote_event_id": ev, "natural_key": f"id:{lid}", "voter_name": f"Member {m}", "voter_ids": {},
                    "legislator_id": lid, "option": rnd.choice(OPTIONS), "match_method": "id",
                    "match_confidence": 1.0} for m, lid in enumerate(first)])
                db.add(ScoredItem(scorecard_id=card.id, slug=key, kind="floor_vote", vote_event_key=key,
                                  label=key, preferred=rnd.choice(["yes", "no"]), weight=rnd.choice([1, 1, 2])))
            db.commit()
    return cards


def add_roll(url: str, card_id: int, members: int, key: str = "bench-new") -> str:
    """A new roll call in the first body, not yet scored."""
    eng = get_engine(url)
    with Session(eng) as db:
        card = db.get(Scorecard, card_id)
        lids = db.execute(select(LegislatorRole.legislator_id).where(
            LegislatorRole.jurisdiction_id == card.jurisdiction_id)).scalars().all()
        sess = db.execute(select(LegislativeSession.id).where(
            LegislativeSession.jurisdiction_id == card.jurisdiction_id)).scalar_one()
        ev = db.execute(insert(VoteEvent).returning(VoteEvent.id), [{
            "key": key, "jurisdiction_id": card.jurisdiction_id, "session_id": sess, "chamber": "lower",
            "date": dt.date(2025, 11, 1), "motion_text": "On the Amendment", "motion_classification": [],
            "result": "fail", "counts": {}, "extras": {}}]).scalar_one()
        db.execute(insert(PersonVote), [{"vote_event_id": ev, "natural_key": f"id:{lid}", "voter_name": "x",
                                         "voter_ids": {}, "legislator_id": lid, "option": "no"} for lid in lids])
        db.commit()
    return key


def baseline(eng) -> float:
    """Seconds of one aggregate over every vote (best of 3): the floor any scorer pays to read them."""
    times = []
    for _ in range(3):
        with eng.connect() as conn:
            t0 = time.perf_counter()
            conn.execute(text("SELECT legislator_id, count(*) FROM person_vote GROUP BY legislator_id")).all()
            times.append(time.perf_counter() - t0)
    return min(times)


def rescore_one(eng, card_id: int, runs: int = 5) -> list[float]:
    """Seconds to rescore one corrected roll call of a scorecard (cells + summaries), `runs` times."""
    out = []
    with Session(eng) as db:
        item = db.execute(select(ScoredItem).where(ScoredItem.scorecard_id == card_id)
                          .order_by(ScoredItem.id)).scalars().first()
        ev = db.execute(select(VoteEvent.id).where(VoteEvent.key == item.vote_event_key)).scalar_one()
    for n in range(runs):
        with Session(eng) as db:  # the correction: every vote of the roll call flips
            db.execute(update(PersonVote).where(PersonVote.vote_event_id == ev)
                       .values(option="yes" if n % 2 == 0 else "no"))
            db.commit()
        with Session(eng) as db:
            t0 = time.perf_counter()
            scoring.recompute(db, card_id, [item.id])
            db.commit()
            out.append(time.perf_counter() - t0)
    return out


def empty_scores(eng) -> None:
    """No cell or summary left, their tables as new (a first computation): TRUNCATE on
    PostgreSQL (a DELETE and VACUUM leave the indexes at their size), DELETE and VACUUM on SQLite."""
    pg = eng.dialect.name == "postgresql"
    with eng.connect() as conn:
        for sql in (["TRUNCATE score_cell, score_summary"] if pg
                    else ["DELETE FROM score_cell", "DELETE FROM score_summary"]):
            conn.execute(text(sql))
        conn.commit()
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE score_cell" if pg else "VACUUM"))


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--bodies", type=int, default=10)
    ap.add_argument("--members", type=int, default=740)
    ap.add_argument("--rolls", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2, help="scorecards at once in the nightly job's way")
    ap.add_argument("--rounds", type=int, default=2, help="runs of each way, alternating (0: skip)")
    ap.add_argument("--from-empty", action="store_true", help="empty the cells and summaries (and vacuum) before "
                    "each of those runs: a first computation, as the first full recompute above")
    a = ap.parse_args()
    url = a.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    t0 = time.perf_counter()
    cards = build(url, a.bodies, a.members, a.rolls)
    print(f"built {a.bodies * a.members} legislators, {a.bodies * a.rolls} roll calls, "
          f"{a.bodies * a.members * a.rolls} votes in {time.perf_counter() - t0:.1f} s")
    eng = get_engine(url)
    t0 = time.perf_counter()
    with eng.connect() as conn:  # the steady state of a real database: statistics (see the docstring)
        conn.execute(text("ANALYZE"))
        conn.commit()
    print(f"ANALYZE in {time.perf_counter() - t0:.1f} s")
    print(load())
    base = baseline(eng)
    print(f"baseline (one aggregate over {a.bodies * a.members * a.rolls} votes): {base * 1000:.0f} ms")
    t0 = time.perf_counter()
    cells = 0
    with Session(eng) as db:
        for cid in cards:
            cells += scoring.recompute(db, cid).cells
        db.commit()
    full = time.perf_counter() - t0
    print(f"full recompute: {full:.1f} s for {cells} cells ({eng.dialect.name}); "
          f"{full / base:.1f}x the baseline")
    runs = rescore_one(eng, cards[0])
    med = statistics.median(runs)
    print(f"rescore one corrected roll call ({a.members} members), median of {len(runs)}: {med * 1000:.0f} ms "
          f"(min {min(runs) * 1000:.0f}); {med / base:.2f}x the baseline")
    from tracker.scoring import service
    adds = []
    for n in range(5):  # five new roll calls, one after the other, as a season brings them
        key = add_roll(url, cards[0], a.members, f"bench-new-{n}")
        with Session(eng) as db:
            card = db.get(Scorecard, cards[0])
            t0 = time.perf_counter()
            service.add_item(db, card, kind="floor_vote", vote_event_key=key, preferred="no")
            db.commit()
            adds.append(time.perf_counter() - t0)
    inc = statistics.median(adds)
    print(f"incremental (one new roll call, {a.members} members), median of {len(adds)}: {inc * 1000:.0f} ms "
          f"(first {adds[0] * 1000:.0f}, min {min(adds) * 1000:.0f}); {inc / base:.2f}x the baseline")
    by_workers = {1: [], batch.workers_for(eng, a.workers): []}
    for _ in range(a.rounds):
        for n in sorted(by_workers, reverse=True):
            if a.from_empty:
                empty_scores(eng)
            t0 = time.perf_counter()
            results = batch.recompute_all(eng, cards, workers=n)
            by_workers[n].append(time.perf_counter() - t0)
            assert all(r.error is None for r in results), [r.error for r in results if r.error]
    for n, times in sorted(by_workers.items()):
        if times:
            print(f"full recompute {'from empty' if a.from_empty else 'again'}, the nightly job's way, {n} at once: "
                  + ", ".join(f"{t:.1f} s ({t / base:.1f}x)" for t in times))
    print(load())


if __name__ == "__main__":
    main()
