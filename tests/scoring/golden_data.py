"""The scoring golden fixture: real California and Mississippi roll calls plus a hand-made House
with every edge the scorer has, scored by several scorecards whose settings between them use
every rule; and a snapshot of cells (with their audit columns) and summaries by natural keys.

`python -m tests.scoring.golden_data --write` regenerates tests/data/scoring/golden.json with the
current engine (only ever after checking that a change of numbers is intended)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from tests.conftest import FIXTURES
from tests.scoring import helpers as h
from tests.scoring import real_data
from tracker.models import (Legislator, PersonVote, ScoreCell, Scorecard, ScoredItem, ScoreSummary, Sponsorship,
                            VoteEvent)
from tracker.scoring import service, views
from tracker.scoring.engine import SPONSOR_KINDS

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "scoring" / "golden.json"

p = h.person
# The House of tests.scoring.helpers, plus: Evans moved from the Senate (Republican) to the House
# (Independent) on 2025-06-15; Ford's seat ended on 2025-07-01 (exclusive end date: not a member of
# V2 that day); Gray sits in the "legislature" chamber (a unicameral body's role); Hill has no role
# dates at all.
PEOPLE = [*h.PEOPLE,
          p("E000005", "Eve Evans", "Independent", "5", start="2025-06-15",
            extra_roles=[{"jurisdiction": "us", "chamber": "upper", "district": "NE", "party": "Republican",
                          "start_date": "2025-01-03", "end_date": "2025-06-15"}]),
          p("F000006", "Fay Ford", "Democratic", "6", end="2025-07-01"),
          p("G000007", "Gus Gray", "Republican", "7", chamber="legislature"),
          {**p("H000008", "Hal Hill", "Democratic", "8"),
           "roles": [{"jurisdiction": "us", "chamber": "lower", "district": "8", "party": "Democratic"}]}]
ALL = [("A000001", "Adams"), ("B000002", "Baker"), ("C000003", "Cruz"), ("E000005", "Evans"),
       ("F000006", "Ford"), ("G000007", "Gray")]


def _roll(key, date, options, **kw):
    return h.rollcall(key, date, [(bio, name, opt) for (bio, name), opt in zip(ALL, options) if opt], **kw)


ROLLS = [
    h.V1, h.V2, h.V3,
    # Every option once or more, Hill missing from the roll, an unmatched name, a different session.
    _roll("us-house-2025-10", "2025-07-01", ["present", "abstain", "absent", "yes", "no", "other"],
          result="fail"),
    _roll("us-house-2025-11", "2025-08-01", ["excused", "paired", "not voting", "no", "yes", "yes"],
          result="other"),
    _roll("us-house-2026-12", "2026-02-01", ["yes", "no", "paired", "excused", "present", "absent"],
          session="119-2", bill_key="us-119-hr6", classification=("passage",)),
    # A roll call in the upper chamber: Evans was a senator until 2025-06-15 (exclusive).
    _roll("us-senate-2025-13", "2025-06-14", ["yes", None, None, "no", None, "yes"], chamber="upper"),
    _roll("us-senate-2025-14", "2025-06-15", ["yes", None, None, "no", None, "yes"], chamber="upper"),
    # A roll call with no chamber (any chamber of the jurisdiction).
    {**_roll("us-joint-2025-15", "2025-09-01", ["yes", "no", "yes", "excused", "no", "not voting"]),
     "chamber": None},
]
SPONSORED = [
    {"name": "Rep. Adams", "ids": {"bioguide": "A000001"}, "primary": True, "classification": "primary"},
    {"name": "Rep. Baker", "ids": {"bioguide": "B000002"}, "classification": "cosponsor", "date": "2025-01-10"},
    {"name": "Rep. Cruz", "ids": {"bioguide": "C000003"}, "classification": "cosponsor", "date": "2025-07-01",
     "withdrawn_date": "2025-08-01"},
    {"name": "Rep. Ford", "ids": {"bioguide": "F000006"}, "classification": "cosponsor", "date": "2025-09-01"},
    {"name": "Rep. Nobody", "ids": {}, "classification": "cosponsor", "date": "2025-02-01"},
]

# Between them these scorecards use every setting value of tracker.scoring.settings.
CARDS = {
    "house-default": {},
    "house-policies": {"absence_policy": "partial", "partial_credit": 0.25, "excused_policy": "count_against",
                       "paired_policy": "with_outcome", "present_policy": "exclude", "rounding": 2,
                       "sponsorship_mode": "scored", "withdrawal": "debit", "missing_from_roll": "absent",
                       "grade_bands": [[95, "A+"], [50, "pass"], [0, "fail"]]},
    "house-strict": {"absence_policy": "with_outcome", "excused_policy": "partial", "paired_policy": "count_against",
                     "present_policy": "with_outcome", "min_participation": 4, "lifetime": False,
                     "rounding": 1, "missing_from_roll": "absent", "sponsorship_mode": "scored"},
}


def build_house(engine) -> None:
    """The hand-made House and its scorecards (stance on hr5 support, hr6 private, hr7 neutral)."""
    h.ingest(engine, [*PEOPLE, h.f.bill(5, sponsorships=SPONSORED), h.f.bill(6), h.f.bill(7), *ROLLS])
    co = h.coalition(engine, stances={"us-119-hr5": "support", "us-119-hr7": "oppose"})
    ids = h.leg_ids(engine)
    from tracker.models import Position
    with Session(engine) as db:
        db.add(Position(coalition_id=co, bill_key="us-119-hr6", stance="support", public=False))
        db.flush()
        for slug, settings in CARDS.items():
            card = service.create_scorecard(db, coalition="edfund", slug=slug, jurisdiction="us", title=slug,
                                            settings=settings)
            add = service.add_item
            add(db, card, kind="floor_vote", vote_event_key="us-house-2025-1")  # follows the stance: yes
            add(db, card, kind="floor_vote", vote_event_key="us-house-2025-2", preferred="no", weight=2)
            add(db, card, kind="floor_vote", vote_event_key="us-house-2025-3", preferred="yes", weight=0.5)
            add(db, card, kind="floor_vote", vote_event_key="us-house-2025-10", preferred="yes", weight=1.5)
            add(db, card, kind="floor_vote", vote_event_key="us-house-2025-11", preferred="no")
            add(db, card, kind="committee_vote", vote_event_key="us-house-2026-12")  # private stance: unscored
            add(db, card, kind="floor_vote", vote_event_key="us-senate-2025-13", preferred="no", weight=3)
            add(db, card, kind="floor_vote", vote_event_key="us-senate-2025-14", preferred="no")
            add(db, card, kind="floor_vote", vote_event_key="us-joint-2025-15", preferred="yes", weight=0.3)
            add(db, card, kind="floor_vote", vote_event_key="us-house-2025-99", preferred="yes")  # not imported
            add(db, card, kind="sponsorship", bill_key="us-119-hr5")
            add(db, card, kind="cosponsorship", bill_key="us-119-hr5", slug="cosp-hr5", weight=2)
            add(db, card, kind="cosponsorship", bill_key="us-119-hr7", slug="cosp-hr7")  # opposed
            add(db, card, kind="cosponsorship", bill_key="us-119-hr404", slug="cosp-missing", preferred="yes")
            letter = add(db, card, kind="manual", label="letter", rationale="Letter of 2025-04-01", slug="letter",
                         session="119", weight=2)
            service.add_manual_entry(db, letter, ids["Baker"], 1.0, "signed")
            service.add_manual_entry(db, letter, ids["Cruz"], 0.5, "signed late")
        db.commit()


CA_COLUMNS = {8004: "Senate Education", 9913: None, 1566: "Assembly Education", 5175: None}
MS_ROLLS = ["221575", "257240"]


def build_real(engine) -> None:
    """Real roll calls: California 2019-20 (both floors, two committees) and Mississippi 2013."""
    h.ingest(engine, real_data.california(CA_COLUMNS))
    h.ingest(engine, real_data.mississippi("2013", MS_ROLLS, "ms-2013-hb369"))
    with Session(engine) as db:
        for slug, j, keys, settings in (
                ("ca-default", "ca", [f"ca-lewis-20192020-{c}" for c in CA_COLUMNS], {}),
                ("ca-absent", "ca", [f"ca-lewis-20192020-{c}" for c in CA_COLUMNS],
                 {"missing_from_roll": "absent", "absence_policy": "partial", "min_participation": 2}),
                ("ms-absent", "ms", [f"ms-legiscan-{r}" for r in MS_ROLLS],
                 {"missing_from_roll": "absent", "absence_policy": "exclude", "rounding": 3})):
            card = service.create_scorecard(db, coalition="edfund", slug=slug, jurisdiction=j, title=slug,
                                            settings=settings)
            for n, key in enumerate(keys):
                service.add_item(db, card, kind="floor_vote", vote_event_key=key,
                                 preferred="yes" if n % 2 == 0 else "no", weight=1 + n % 3)
        db.commit()


def build(engine) -> None:
    build_house(engine)
    build_real(engine)


def snapshot(engine) -> dict:
    """Every cell and summary of every scorecard, keyed by natural keys (ids differ by database)."""
    root = str(FIXTURES.resolve())
    with Session(engine) as db:
        legs = dict(db.execute(select(Legislator.id, Legislator.key)).all())
        voters = {f"name:{i}": f"name:{k}|{n}" for i, k, n in db.execute(
            select(PersonVote.id, VoteEvent.key, PersonVote.voter_name)
            .join(VoteEvent, VoteEvent.id == PersonVote.vote_event_id)).all()}
        sponsors = {f"name:sp{i}": f"name:sp|{n}" for i, n in db.execute(select(Sponsorship.id, Sponsorship.name)).all()}
        cards = dict(db.execute(select(Scorecard.id, Scorecard.slug)).all())
        items = {i.id: i for i in db.exec(select(ScoredItem))}

        def key(k: str) -> str:
            if k.startswith("leg:"):
                return "leg:" + legs[int(k[4:])]
            return voters.get(k) or sponsors[k]

        def url(u):
            return u.replace(root, "<fixtures>") if u else u

        def old_key(c: ScoreCell) -> str:  # the cell keys the golden file was written with
            if c.cell_ref > 0:
                return f"leg:{c.cell_ref}"
            return f"name:sp{-c.cell_ref}" if items[c.item_id].kind in SPONSOR_KINDS else f"name:{-c.cell_ref}"

        cells = []
        for card_id in cards:  # the audit trail as pages, JSON and CSV read it (views.cells)
            stored = sorted(db.exec(select(ScoreCell).where(ScoreCell.scorecard_id == card_id)),
                            key=lambda c: views.cell_order(c.item_id, c.cell_ref))
            shown = views.cells(db, db.get(Scorecard, card_id))
            assert [(c.item_id, c.legislator_id) for c in stored] == [(d["item_id"], d["legislator_id"]) for d in shown]
            cells += [[cards[card_id], items[d["item_id"]].slug, key(old_key(c)), legs.get(d["legislator_id"]),
                       d["session"], d["vote_event_key"], url(d["source_url"]), d["raw_name"], d["match_method"],
                       d["match_confidence"], d["option"], d["raw_option"], d["rule"], d["agreement"], d["weight"],
                       d["points"], bool(d["eligible"])] for c, d in zip(stored, shown)]
        cells.sort(key=lambda r: [str(v) for v in r])
        summaries = sorted([
            [cards[s.scorecard_id], legs[s.legislator_id], s.session, s.earned, s.possible, s.counted, s.eligible,
             s.manual_earned, s.manual_possible, s.score, s.grade, s.chamber, s.district, s.party]
            for s in db.exec(select(ScoreSummary))], key=lambda r: [str(v) for v in r])
        item_sessions = sorted([cards[i.scorecard_id], i.slug, i.session] for i in items.values())
    return {"cells": cells, "summaries": summaries, "item_sessions": item_sessions}


if __name__ == "__main__":  # pragma: no cover - regenerates the golden file
    import sys
    import tempfile

    from tracker.db import get_engine, register_store_hooks, upgrade  # noqa: F401

    if "--write" not in sys.argv:
        sys.exit("usage: python -m tests.scoring.golden_data --write")
    url = f"sqlite:///{tempfile.mkdtemp()}/golden.db"
    upgrade(url)
    eng = get_engine(url)
    build(eng)
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    snap = snapshot(eng)
    GOLDEN.write_text("{\n" + ",\n".join(  # one row a line: reviewable diffs
        f' "{part}": [\n' + ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows) + "\n ]"
        for part, rows in snap.items()) + "\n}\n")
    print(f"wrote {GOLDEN}")
