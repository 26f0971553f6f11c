"""A roll call or a legislator imported again unchanged is a noop answered from the stored
content hash (`vote_event.record_hash`, `legislator_source.record_hash`; issue 19), one query
a batch, without reading and comparing its votes or merging the person; a changed one, one
stored before the roll calls' hash existed, and every one under `recheck`, go the whole way."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text, update
from sqlmodel import Session

from tests import factories as f
from tests.test_ingest_batches import content
from tracker.contract import LegislatorIn, VoteEventIn, build_any
from tracker.ingest import Ingestor, bulk_votes, service
from tracker.models import Legislator, PersonVote, VoteEvent

TODAY = dt.date(2025, 12, 1)


def rolls() -> list[VoteEventIn]:
    doe, roe = f.vote()["votes"]
    return [build_any(f.vote()), build_any(f.vote(key="us-house-2025-18", roll_number="18", votes=[
        dict(doe, ids={}, voter_name="Doe"), roe]))]


def went_the_whole_way(monkeypatch, kind) -> list[str]:
    """Keys of the records of `kind` stored by its record path (and, for roll calls, the bulk
    path of new ones), as they go."""
    seen: list[str] = []

    def record(session, rec, today, real=service.HANDLERS[kind]):
        seen.append(rec.key)
        return real(session, rec, today)
    monkeypatch.setitem(service.HANDLERS, kind, record)
    if kind is VoteEventIn:
        def in_bulk(session, recs, today, real=bulk_votes.store_new_votes):
            seen.extend(r.key for r in recs)
            return real(session, recs, today)
        monkeypatch.setattr(bulk_votes, "store_new_votes", in_bulk)
    return seen


@pytest.fixture
def whole_path(monkeypatch) -> list[str]:
    """Keys of the roll calls that went the whole way (record or bulk path)."""
    return went_the_whole_way(monkeypatch, VoteEventIn)


def hashes(engine) -> dict[str, str | None]:
    with Session(engine) as db:
        return dict(db.execute(select(VoteEvent.key, VoteEvent.record_hash)).all())


def test_an_unchanged_roll_call_is_answered_from_its_hash(engine, whole_path):
    Ingestor(engine, today=TODAY).ingest([f.legislator(), *rolls()])
    assert sorted(whole_path) == ["us-house-2025-17", "us-house-2025-18"]
    stored = hashes(engine)
    assert all(stored.values()) and len(set(stored.values())) == 2
    before = content(engine)
    whole_path.clear()
    again = Ingestor(engine, today=TODAY).ingest(rolls())
    assert again.summary() == {"insert": 0, "update": 0, "noop": 2, "error": 0}
    assert whole_path == []
    assert content(engine) == before
    # the fetch time is not content
    later = [r.model_copy(update={"source": r.source.model_copy(update={"fetched_at": dt.datetime(
        2026, 1, 1, tzinfo=dt.timezone.utc)})}) for r in rolls()]
    assert Ingestor(engine, today=TODAY).ingest(later).summary()["noop"] == 2 and whole_path == []
    # recheck sends every record the whole way
    assert Ingestor(engine, today=TODAY, recheck=True).ingest(rolls()).summary()["noop"] == 2
    assert sorted(whole_path) == ["us-house-2025-17", "us-house-2025-18"]


def test_a_changed_or_repeated_roll_call_goes_the_whole_way(engine, whole_path):
    Ingestor(engine, today=TODAY).ingest([f.legislator(), *rolls()])
    first = hashes(engine)
    doe, roe = f.vote()["votes"]
    flipped = build_any(f.vote(votes=[dict(doe, option="no"), roe]))
    whole_path.clear()
    report = Ingestor(engine, today=TODAY).ingest([flipped, rolls()[1]])
    assert [r.outcome for r in report.results] == ["update", "noop"]
    assert "votes" in report.results[0].changes
    assert whole_path == ["us-house-2025-17"]
    assert hashes(engine)["us-house-2025-17"] != first["us-house-2025-17"]
    # the original and the flipped record in one batch: the order decides, each the whole way
    whole_path.clear()
    report = Ingestor(engine, today=TODAY).ingest([rolls()[0], flipped])
    assert [r.outcome for r in report.results] == ["update", "update"] and len(whole_path) == 2
    with Session(engine) as db:
        options = db.execute(select(PersonVote.option).join(VoteEvent, VoteEvent.id == PersonVote.vote_event_id)
                             .where(VoteEvent.key == "us-house-2025-17").order_by(PersonVote.natural_key)).scalars()
        assert list(options) == ["no", dict(roe)["option"]]


def test_a_roll_call_stored_before_the_hash_gets_it_without_being_a_change(engine, whole_path):
    Ingestor(engine, today=TODAY).ingest([f.legislator(), *rolls()])
    expected = hashes(engine)
    with Session(engine) as db:  # as migration 0036 leaves the roll calls stored before it
        db.execute(update(VoteEvent).values(record_hash=None))
        db.execute(text("DELETE FROM change_event"))
        db.commit()
    whole_path.clear()
    report = Ingestor(engine, today=TODAY).ingest(rolls())
    assert report.summary() == {"insert": 0, "update": 0, "noop": 2, "error": 0}  # not reported as changed
    assert sorted(whole_path) == ["us-house-2025-17", "us-house-2025-18"]
    assert hashes(engine) == expected
    with Session(engine) as db:
        assert db.execute(select(func.count()).select_from(text("change_event"))).scalar_one() == 0
    whole_path.clear()
    assert Ingestor(engine, today=TODAY).ingest(rolls()).summary()["noop"] == 2 and whole_path == []


def test_real_roll_calls_imported_again_are_noops_from_their_hashes(engine, whole_path):
    """The real House Clerk, Senate LIS and ESSA roll calls after the real congress-legislators:
    the bulk path (new ones) and the record path store the same hash, and the second import reads
    no vote."""
    from scrapers.formats import house_clerk, senate_lis
    from tests.people import real_data
    from tests.us_federal import essa_dirs, house_files, parse_essa, parse_one, senate_files

    real = [*(parse_one(house_clerk, p) for p in house_files()), *(parse_one(senate_lis, p) for p in senate_files()),
            *(parse_essa(d / "data.json") for d in essa_dirs())]
    real_data.congress(engine)
    Ingestor(engine, today=TODAY).ingest(real)
    in_bulk = hashes(engine)
    with Session(engine) as db:
        db.execute(update(VoteEvent).values(record_hash=None))
        db.commit()
    Ingestor(engine, today=TODAY, bulk=False).ingest(real)  # the record path fills them in
    assert hashes(engine) == in_bulk and all(in_bulk.values())
    before = content(engine)
    whole_path.clear()
    report = Ingestor(engine, today=TODAY).ingest(real)
    assert report.summary() == {"insert": 0, "update": 0, "noop": len(real), "error": 0}
    assert whole_path == []
    assert content(engine) == before


@pytest.fixture
def people_path(monkeypatch) -> list[str]:
    """Keys of the legislators that went the whole way."""
    return went_the_whole_way(monkeypatch, LegislatorIn)


def test_an_unchanged_legislator_is_answered_from_the_kept_record(engine, people_path):
    people = [f.legislator(), f.legislator("R000002", "Rick Roe", party="Republican")]
    Ingestor(engine, today=TODAY).ingest(people)
    assert len(people_path) == 2
    before = content(engine)
    people_path.clear()
    report = Ingestor(engine, today=TODAY).ingest(people)
    assert report.summary() == {"insert": 0, "update": 0, "noop": 2, "error": 0} and people_path == []
    assert content(engine) == before
    # changed, or twice in one batch: the whole way
    renamed = f.legislator(name="Jane Q. Doe")
    report = Ingestor(engine, today=TODAY).ingest([renamed, people[1], people[1]])
    assert [r.outcome for r in report.results] == ["update", "noop", "noop"]
    assert people_path == [build_any(renamed).key, build_any(people[1]).key, build_any(people[1]).key]
    with Session(engine) as db:
        assert db.execute(select(Legislator.name).where(Legislator.key == build_any(renamed).key)).scalar_one() \
            == "Jane Q. Doe"
    people_path.clear()
    assert Ingestor(engine, today=TODAY, recheck=True).ingest(people[1:]).summary()["noop"] == 1
    assert len(people_path) == 1


def test_real_legislators_imported_again_are_noops_from_their_kept_records(engine, people_path):
    """The real congress-legislators (537 members, committees): the second import merges nobody."""
    from scrapers.importer import iter_records, plan
    from tests.conftest import real_fixture

    def records():
        return list(iter_records(plan([real_fixture("congress-legislators")])))
    first = Ingestor(engine, today=TODAY).ingest(records())
    people = first.counts["insert"] - sum(1 for r in first.results if r.kind != "legislator")
    assert len(people_path) == people > 500
    before = content(engine)
    people_path.clear()
    again = Ingestor(engine, today=TODAY).ingest(records())
    assert again.summary()["insert"] == again.summary()["update"] == again.summary()["error"] == 0
    assert people_path == []
    assert content(engine) == before
