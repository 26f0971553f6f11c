"""Scores on real roll calls from ../shared/fixtures, with the arithmetic done by hand below:
ESSA Senate votes (2015), the Mississippi Charter Schools Act of 2013 (HB 369) in the House,
and California's AB 1505 (charter school petitions, 2019) in the Senate and both Education
committees of the 2019-20 member x vote matrix."""
from __future__ import annotations

from collections import Counter

from sqlmodel import Session, select

from tests.scoring import helpers as h
from tests.scoring import real_data
from tracker.models import Legislator, LegislatorIdentifier, ScoreCell, Scorecard, ScoreSummary
from tracker.scoring import service, views


def card_with(engine, jurisdiction, items, settings=None, stances=None):
    h.coalition(engine, stances=stances)
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="real", jurisdiction=jurisdiction,
                                        title="Real", settings=settings)
        for kw in items:
            service.add_item(db, card, **kw)
        db.commit()
        return card.id


def by_id(engine, card_id, scheme, session="*"):
    """Score and grade by external id (lis, legiscan, ca-name)."""
    with Session(engine) as db:
        rows = db.exec(select(LegislatorIdentifier.value, ScoreSummary.score, ScoreSummary.grade)
                       .join(ScoreSummary, ScoreSummary.legislator_id == LegislatorIdentifier.legislator_id)
                       .where(LegislatorIdentifier.scheme == scheme, ScoreSummary.scorecard_id == card_id,
                              ScoreSummary.session == session)).all()
    return {v: (s, g) for v, s, g in rows}


ESSA = [{"kind": "floor_vote", "vote_event_key": "us-senate-114-1-243", "preferred": "yes"},  # Sanders amdt 2177 (youth jobs)
        {"kind": "floor_vote", "vote_event_key": "us-senate-114-1-237", "preferred": "yes"},  # cloture on Alexander amdt 2089
        {"kind": "floor_vote", "vote_event_key": "us-senate-114-1-333", "preferred": "yes", "weight": 2}]  # cloture, conference report


def test_essa_senate_votes(engine):
    h.ingest(engine, real_data.essa(["s243", "s237", "s333"]))
    card_id = card_with(engine, "us", ESSA)
    s = by_id(engine, card_id, "lis")
    # Sanders S313: s243 Yea (1) + s237 Yea (1) + s333 Not Voting, counted against (0 of 2) = 2/4 = 50
    assert s["S313"] == (50.0, "F")
    # Alexander S289: s243 Nay (0) + s237 Yea (1) + s333 Yea (2) = 3/4 = 75
    assert s["S289"] == (75.0, "C")
    # Graham S293: Not Voting on all three = 0/4 = 0
    assert s["S293"] == (0.0, "F")
    # Nelson S282: Not Voting, Not Voting, Yea x2 = 2/4 = 50
    assert s["S282"] == (50.0, "F")
    assert len(s) == 100
    with Session(engine) as db:
        lid = db.exec(select(Legislator.id).where(Legislator.key == "lis:S289")).one()
        [cell] = [c for c in views.cells(db, db.get(Scorecard, card_id), lid)
                  if c["vote_event_key"] == "us-senate-114-1-243"]
    assert (cell["raw_name"], cell["raw_option"], cell["option"]) == ("Alexander (R-TN)", "Nay", "no")
    assert cell["source_url"].endswith("s243/data.json") and cell["match_method"].startswith("id")


def test_essa_exclude_absences(engine):
    h.ingest(engine, real_data.essa(["s243", "s237", "s333"]))
    card_id = card_with(engine, "us", ESSA, settings={"absence_policy": "exclude"})
    s = by_id(engine, card_id, "lis")
    # Sanders: 2/2 = 100; Nelson: s333 only, 2/2 = 100; Graham: nothing counted -> N/A
    assert s["S313"] == (100.0, "A") and s["S282"] == (100.0, "A") and s["S293"] == (None, None)


MS = [{"kind": "floor_vote", "vote_event_key": "ms-legiscan-221575"},  # House passage: follows the stance (oppose -> no)
      {"kind": "floor_vote", "vote_event_key": "ms-legiscan-257240", "preferred": "no"}]  # conference report


def test_mississippi_charter_votes(engine):
    h.ingest(engine, real_data.mississippi("2013", ["221575", "257240"], "ms-2013-hb369"))
    card_id = card_with(engine, "ms", MS, stances={"ms-2013-hb369": "oppose"})
    s = by_id(engine, card_id, "legiscan")
    # Bell 6499: Yea (0) then Nay (1) = 1/2 = 50; Aldridge 6497: NV counted against (0) + Yea (0) = 0
    assert s["6499"] == (50.0, "F") and s["6497"] == (0.0, "F")
    # Rogers 6594: Nay (1) + NV (0) = 50; Gardner 6546 is not on the second roll (vacant seat by
    # default: not scored) so Nay 1/1 = 100
    assert s["6594"] == (50.0, "F") and s["6546"] == (100.0, "A")
    # Of the 120 House members matched: 54 voted Nay twice and Gardner -> 55 at 100;
    # Bell, Flaggs, Rogers at 50; 60 Yea-Yea + Aldridge + Upshaw (Yea, then off the roll) = 62 at 0.
    assert Counter(score for score, _ in s.values()) == {100.0: 55, 50.0: 3, 0.0: 62}
    with Session(engine) as db:
        unmatched = db.exec(select(ScoreCell).where(ScoreCell.legislator_id.is_(None))).all()
    # people_id 6492 voted Yea on both rolls but is not among the session's people files.
    assert sorted(c.raw_name for c in unmatched) == ["legiscan people_id 6492"] * 2


def test_mississippi_missing_from_roll_as_absent(engine):
    h.ingest(engine, real_data.mississippi("2013", ["221575", "257240"], "ms-2013-hb369"))
    card_id = card_with(engine, "ms", MS, stances={"ms-2013-hb369": "oppose"},
                        settings={"missing_from_roll": "absent"})
    # Gardner: Nay (1) + not on the roll, counted as an absence against (0) = 1/2 = 50
    assert by_id(engine, card_id, "legiscan")["6546"] == (50.0, "F")


CA = [{"kind": "committee_vote", "vote_event_key": "ca-lewis-20192020-8004", "preferred": "yes"},   # Sen. Ed. 4-3
      {"kind": "floor_vote", "vote_event_key": "ca-lewis-20192020-9913", "preferred": "yes", "weight": 2},  # Senate floor 27-11
      {"kind": "committee_vote", "vote_event_key": "ca-lewis-20192020-1566", "preferred": "yes"}]   # Asm. Ed. 4-1


def test_california_education_committee_and_floor(engine):
    h.ingest(engine, real_data.california({8004: "Senate Education", 9913: None, 1566: "Assembly Education"}))
    card_id = card_with(engine, "ca", CA)
    s = {k.split("|")[0]: v for k, v in by_id(engine, card_id, "ca-name").items()}
    # Senate Education (column 8004): yes Durazo, Leyva, McGuire, Pan; no Chang, Glazer, Wilk.
    # Durazo: committee yes (1) + floor yes (2) = 3/3 = 100; Chang: 0 + 0 = 0/3 = 0
    # Glazer: committee no (0) + floor not voting, counted against (0 of 2) = 0/3 = 0
    assert s["Durazo"] == (100.0, "A") and s["Chang"] == (0.0, "F") and s["Glazer"] == (0.0, "F")
    # Assembly Education (column 1566): Kalra yes = 1/1 = 100; Kiley no = 0; Weber not voting = 0
    assert s["Kalra"] == (100.0, "A") and s["Kiley"] == (0.0, "F") and s["Weber"] == (0.0, "F")
    # Assembly members not on the committee are not scored (0 = not on committee in the matrix);
    # all 40 senators are scored on the floor vote: 27 yes -> 100; 11 no + 2 not voting -> 0.
    senators = [v for k, v in by_id(engine, card_id, "ca-name").items() if "|upper|" in k]
    assert Counter(score for score, _ in senators) == {100.0: 27, 0.0: 13}
    assert len(s) == 40 + 6


def test_california_partial_credit(engine):
    h.ingest(engine, real_data.california({8004: "Senate Education", 9913: None, 1566: "Assembly Education"}))
    card_id = card_with(engine, "ca", CA, settings={"absence_policy": "partial", "partial_credit": 0.5})
    s = {k.split("|")[0]: v for k, v in by_id(engine, card_id, "ca-name").items()}
    # Glazer: 0 + 0.5 x 2 = 1/3 = 33; Weber: 0.5 x 1 = 0.5/1 = 50
    assert s["Glazer"] == (33.0, "F") and s["Weber"] == (50.0, "F")
