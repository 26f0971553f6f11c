"""Imports store many records per transaction, each in its own savepoint, and answer unchanged
bills from one query (issue 19): the same results as one transaction per record."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from tests import factories as f
from tracker.contract import BillIn, build_any
from tracker.ingest import Ingestor, service
from tracker.ingest.bills import ingest_bill
from tracker.models import Bill, BillSearchDoc
from tracker.search.index import DEFERRED

TODAY = dt.date(2025, 6, 1)


def bills(*numbers: int) -> list[BillIn]:
    return [build_any(f.bill(n)) for n in numbers]


def stored(engine) -> int:
    """Bills another connection sees: what is committed."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Bill)).scalar_one()


def watching_commits(engine, monkeypatch) -> list[int]:
    """Make the bill handler note, before each bill, how many bills are committed."""
    seen: list[int] = []

    def noting(session, rec, today):
        seen.append(stored(engine))
        return ingest_bill(session, rec, today)
    monkeypatch.setitem(service.HANDLERS, BillIn, noting)
    return seen


def test_a_batch_is_one_transaction(engine, monkeypatch):
    # SQLite's driver sends no BEGIN before a SAVEPOINT: without one, the first savepoint's
    # RELEASE would commit each record on its own.
    seen = watching_commits(engine, monkeypatch)
    report = Ingestor(engine, today=TODAY, batch_records=3, batch_seconds=60).ingest(bills(1, 2, 3, 4))
    assert report.summary() == {"insert": 4, "update": 0, "noop": 0, "error": 0}
    assert seen == [0, 0, 0, 3]  # the fourth bill opens the second batch
    assert stored(engine) == 4


def test_a_batch_commits_when_its_time_is_up(engine, monkeypatch):
    seen = watching_commits(engine, monkeypatch)
    Ingestor(engine, today=TODAY, batch_records=100, batch_seconds=1e-9).ingest(bills(1, 2, 3))
    assert seen == [0, 1, 2]


def test_a_failing_record_leaves_nothing_and_its_batch_mates_stay(engine, monkeypatch):
    def failing(session, rec, today):
        outcome = ingest_bill(session, rec, today)
        if rec.identifier == "H.R. 2":
            session.flush()
            raise TypeError("a reader bug surfacing late")
        return outcome
    monkeypatch.setitem(service.HANDLERS, BillIn, failing)
    seen = []
    report = Ingestor(engine, today=TODAY, on_result=seen.append).ingest(bills(1, 2, 3))
    assert [r.outcome for r in report.results] == ["insert", "error", "insert"]
    assert [r.outcome for r in seen] == ["insert", "error", "insert"]
    with Session(engine) as s:
        assert sorted(s.exec(select(Bill.key)).scalars()) == ["us-119-hr1", "us-119-hr3"]
        # the search documents of the batch are written together, without the failed bill's
        docs = s.exec(select(BillSearchDoc.bill_id)).scalars().all()
        assert sorted(docs) == sorted(s.exec(select(Bill.id)).scalars())


def test_a_batch_whose_commit_fails_is_stored_record_by_record(engine, monkeypatch):
    real = service.batch_session
    calls = []

    @contextmanager
    def failing_commit(eng):
        with real(eng) as session:
            yield session
            calls.append(1)
            if len(calls) == 1:
                session.execute(text("SELECT * FROM no_such_table"))  # the batch dies at its end
    monkeypatch.setattr(service, "batch_session", failing_commit)
    seen = []
    report = Ingestor(engine, today=TODAY, on_result=seen.append, batch_records=2).ingest(bills(1, 2, 3))
    assert report.summary() == {"insert": 3, "update": 0, "noop": 0, "error": 0}
    assert [r.key for r in seen] == ["us-119-hr1", "us-119-hr2", "us-119-hr3"]  # each reported once
    assert stored(engine) == 3


def test_an_unchanged_bill_is_answered_without_its_merge(engine, monkeypatch):
    Ingestor(engine, today=TODAY).ingest(bills(1, 2))

    def must_not_run(session, rec, today):
        raise AssertionError(f"{rec.key} went through the whole path")
    monkeypatch.setitem(service.HANDLERS, BillIn, must_not_run)
    report = Ingestor(engine, today=TODAY).ingest(bills(1, 2))
    assert report.summary() == {"insert": 0, "update": 0, "noop": 2, "error": 0}
    # recheck sends every record the whole way
    again = Ingestor(engine, today=TODAY, recheck=True).ingest(bills(1))
    assert again.summary()["error"] == 1 and "went through the whole path" in again.errors[0].problem


def test_a_changed_or_repeated_bill_goes_the_whole_way(engine):
    Ingestor(engine, today=TODAY).ingest(bills(1, 2))
    changed = build_any(dict(f.bill(1), title="Community Schools Act, as amended"))
    report = Ingestor(engine, today=TODAY).ingest([changed, *bills(2)])
    assert [r.outcome for r in report.results] == ["update", "noop"]
    assert report.results[0].changes["title"]["new"] == "Community Schools Act, as amended"
    # the same bill twice in one batch: the order decides, as one transaction each would
    original = bills(1)[0]
    report = Ingestor(engine, today=TODAY).ingest([original, changed])
    assert [r.outcome for r in report.results] == ["update", "update"]
    with Session(engine) as s:
        assert s.exec(select(Bill.title).where(Bill.key == "us-119-hr1")).scalar_one() == changed.title


def test_an_unchanged_bill_that_has_died_since_is_stored_dead(engine):
    Ingestor(engine, today=TODAY).ingest(bills(1))
    after_the_congress = dt.date(2027, 2, 1)
    report = Ingestor(engine, today=after_the_congress).ingest(bills(1))
    (result,) = report.results
    assert result.outcome == "update" and result.changes["stage"]["new"] == "dead"
    # and the same import once more is a noop again
    assert Ingestor(engine, today=after_the_congress).ingest(bills(1)).summary()["noop"] == 1


def test_the_crawl_path_still_stores_one_record_per_transaction(engine):
    ingestor = Ingestor(engine, today=TODAY)
    assert ingestor.ingest_one(f.bill(1)).outcome == "insert"
    assert stored(engine) == 1
    with Session(engine) as s:  # indexed at once, not deferred to a batch
        assert s.exec(select(func.count()).select_from(BillSearchDoc)).scalar_one() == 1
        assert DEFERRED not in s.info


@pytest.mark.parametrize("size", [1, 2, 200])
def test_the_results_do_not_depend_on_the_batch_size(engine, size):
    from tests.test_ingest import dump

    first = Ingestor(engine, today=TODAY, batch_records=size).ingest(f.batch())
    assert first.summary() == {"insert": 5, "update": 0, "noop": 0, "error": 0}
    before = dump(engine)
    again = Ingestor(engine, today=TODAY, batch_records=size).ingest(f.batch())
    assert again.summary() == {"insert": 0, "update": 0, "noop": 5, "error": 0}
    assert dump(engine) == before


def test_an_unchanged_dead_bill_imported_as_of_an_earlier_day_lives_again(engine):
    # what one transaction per record did: the stage is derived for the import's own day
    Ingestor(engine, today=dt.date(2027, 2, 1)).ingest(bills(1))
    (result,) = Ingestor(engine, today=TODAY).ingest(bills(1)).results
    assert result.outcome == "update" and result.changes["stage"]["old"] == "dead"
    with Session(engine) as s:
        assert s.exec(select(Bill.stage).where(Bill.key == "us-119-hr1")).scalar_one() != "dead"


def test_items_that_are_not_records_keep_their_place_and_are_reported(engine):
    bad = dict(f.bill(2), identifier=None)  # no identifier: rejected before any transaction
    seen = []
    report = Ingestor(engine, today=TODAY, on_result=seen.append).ingest(
        [f.bill(1), bad, f.bill(3)])
    assert [r.outcome for r in report.results] == ["insert", "error", "insert"]
    assert [r.outcome for r in seen] == ["insert", "error", "insert"]
    assert stored(engine) == 2
