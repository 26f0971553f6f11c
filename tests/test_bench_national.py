"""Issue 19: the national bench's set is written lazily (one file per step, nothing else held)
and imports cleanly: every bill, roll call and legislator stored, every vote matched."""
from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
from pathlib import Path

from sqlmodel import Session, func, select

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.ingest import Ingestor
from tracker.models import Bill, Legislator, PersonVote, VoteEvent

BENCH = Path(__file__).resolve().parent.parent / "bench" / "national_import.py"


def _bench():
    spec = importlib.util.spec_from_file_location("national_import", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_set_is_written_one_file_per_step(tmp_path):
    real_fixture("legiscan")
    bench = _bench()
    gen = bench.generate(tmp_path, bills=100, people=100)
    assert inspect.isgenerator(gen)
    for written in range(1, 6):
        next(gen)
        assert sum(1 for p in tmp_path.rglob("*.json")) == written


def test_the_set_imports_with_every_vote_matched(engine, tmp_path):
    real_fixture("legiscan")
    paths = list(_bench().generate(tmp_path, bills=60, people=150))
    report = Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(iter_records(plan([tmp_path])))
    assert report.summary()["error"] == 0, report.errors[:3]
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Bill)).one() == 60
        assert s.exec(select(func.count()).select_from(Legislator)).one() == 150
        assert s.exec(select(func.count()).select_from(VoteEvent)).one() == 15
        votes = s.exec(select(PersonVote.legislator_id)).all()
        assert votes and all(v is not None for v in votes)
    assert len(paths) == 60 + 15 + 150
