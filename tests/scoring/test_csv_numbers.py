"""The CSV exports carry the numbers behind each score (issue 14, finding 6): on real California
roll calls (2019-20 member x vote matrix), `earned` and `possible` of every row equal the score
engine's sums, each legislator's cells add up to them, and 100 x earned / possible is the score."""
from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from tests.scoring import helpers as h
from tests.scoring import real_data
from tracker.db import get_engine
from tracker.models import Legislator, ScoreCell, ScoredItem, ScoreSummary
from tracker.scoring import service
from tracker.scoring.rules import round_score
from tracker.settings import get_settings

CA = [{"kind": "committee_vote", "vote_event_key": "ca-lewis-20192020-8004", "preferred": "yes"},
      {"kind": "floor_vote", "vote_event_key": "ca-lewis-20192020-9913", "preferred": "yes", "weight": 2},
      {"kind": "committee_vote", "vote_event_key": "ca-lewis-20192020-1566", "preferred": "yes"}]
API = "/api/scorecards/edfund/ca-real"


@pytest.fixture
def client(app_env):
    engine = get_engine(app_env)
    h.ingest(engine, real_data.california({8004: "Senate Education", 9913: None, 1566: "Assembly Education"}))
    h.coalition(engine)
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="ca-real", jurisdiction="ca", title="CA",
                                        sessions=["20192020"], publish=True,
                                        settings={"absence_policy": "partial", "partial_credit": 0.5})
        for kw in CA:
            service.add_item(db, card, **kw)
        db.commit()
    with TestClient(create_app(get_settings())) as c:
        yield c, engine


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _engine_sums(engine) -> dict[str, tuple[float, float]]:
    """Earned and possible per legislator key, added up here from the engine's stored cells."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    with Session(engine) as db:
        for key, points, weight, agreement, eligible in db.exec(
                select(Legislator.key, ScoreCell.points, ScoreCell.weight, ScoreCell.agreement, ScoreCell.eligible)
                .join(Legislator, Legislator.id == ScoreCell.legislator_id)):
            if eligible and agreement is not None:
                sums[key][0] += points
                sums[key][1] += weight
    return {k: (round(e, 9), round(p, 9)) for k, (e, p) in sums.items()}


@pytest.mark.parametrize("session", [None, "20192020"])
def test_table_csv_earned_and_possible_are_the_engines(client, session):
    c, engine = client
    params = {"format": "csv", **({"session": session} if session else {})}
    rows = _csv(c.get(API, params=params).text)
    assert len(rows) == 46
    expected = _engine_sums(engine)
    with Session(engine) as db:
        summaries = {key: s for s, key in db.exec(
            select(ScoreSummary, Legislator.key).join(Legislator, Legislator.id == ScoreSummary.legislator_id)
            .where(ScoreSummary.session == (session or "*")))}
    for r in rows:
        assert r["earned"] != "" and r["possible"] != "", r
        earned, possible = float(r["earned"]), float(r["possible"])
        assert (earned, possible) == expected[r["legislator_key"]], r["name"]
        assert (earned, possible) == (summaries[r["legislator_key"]].earned, summaries[r["legislator_key"]].possible)
        assert float(r["score"]) == round_score(100 * earned / possible, 0) == summaries[r["legislator_key"]].score
    by_name = {r["name"]: r for r in rows}
    # Glazer: committee no (0 of 1) + floor not voting at partial credit 0.5 (1 of 2) = 1/3 -> 33
    assert (by_name["Glazer"]["earned"], by_name["Glazer"]["possible"], by_name["Glazer"]["score"]) == \
        ("1.0", "3.0", "33.0")
    # Weber: Assembly committee not voting at partial credit = 0.5 of 1 -> 50
    assert (by_name["Weber"]["earned"], by_name["Weber"]["possible"], by_name["Weber"]["score"]) == \
        ("0.5", "1.0", "50.0")


def test_legislator_csv_cells_add_up_to_the_row(client):
    c, engine = client
    table = {r["name"]: r for r in _csv(c.get(API, params={"format": "csv"}).text)}
    with Session(engine) as db:
        cells = {(key, vote): (cell.points, cell.weight, cell.agreement) for cell, key, vote in db.exec(
            select(ScoreCell, Legislator.key, ScoredItem.vote_event_key)
            .join(Legislator, Legislator.id == ScoreCell.legislator_id)
            .join(ScoredItem, ScoredItem.id == ScoreCell.item_id))}
    for name in ("Glazer", "Weber", "Durazo", "Chang", "Kalra"):
        row = table[name]
        lines = _csv(c.get(f"{API}/legislators/{row['legislator_key']}", params={"format": "csv"}).text)
        assert lines, name
        for line in lines:
            points, weight, agreement = cells[(row["legislator_key"], line["item"])]
            counted = agreement is not None
            assert float(line["earned"]) == (points if counted else 0.0), (name, line)
            assert float(line["possible"]) == (weight if counted else 0.0), (name, line)
        assert sum(float(x["earned"]) for x in lines) == float(row["earned"])
        assert sum(float(x["possible"]) for x in lines) == float(row["possible"])
        assert round_score(100 * float(row["earned"]) / float(row["possible"]), 0) == float(row["score"])
