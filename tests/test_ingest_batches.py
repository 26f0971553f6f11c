"""Imports store many records per transaction, each in its own savepoint, and answer unchanged
bills from one query (issue 19): the same results as one transaction per record."""
from __future__ import annotations

import datetime as dt
import json
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
    """Make the bill handler note, before each bill, how many bills are committed (the handler
    sees every bill with `bulk=False`; new bills otherwise take `tracker.ingest.bulk`)."""
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
    report = Ingestor(engine, today=TODAY, batch_records=3, batch_seconds=60,
                      bulk=False).ingest(bills(1, 2, 3, 4))
    assert report.summary() == {"insert": 4, "update": 0, "noop": 0, "error": 0}
    assert seen == [0, 0, 0, 3]  # the fourth bill opens the second batch
    assert stored(engine) == 4


def test_a_batch_commits_when_its_time_is_up(engine, monkeypatch):
    seen = watching_commits(engine, monkeypatch)
    Ingestor(engine, today=TODAY, batch_records=100, batch_seconds=1e-9, bulk=False).ingest(bills(1, 2, 3))
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
    report = Ingestor(engine, today=TODAY, on_result=seen.append, bulk=False).ingest(bills(1, 2, 3))
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


# --- the bulk path of new bills (tracker.ingest.bulk) --------------------------------------

# the 3.0.0 copy of the two bills the fixtures hold in two generations (as bench/ingest_congress.py)
TWICE = {"v1-amendment-votes/BILLSTATUS-114hr5278.xml", "v1-current/BILLSTATUS-117hr6658.xml"}


def real_bills() -> list[BillIn]:
    from scrapers.formats.billstatus import parse_bill
    from tests.conftest import real_fixture

    folder = real_fixture("billstatus")
    return [parse_bill(p.read_bytes(), str(p)) for p in sorted(folder.glob("*/*.xml"))
            if str(p.relative_to(folder)) not in TWICE]


@pytest.fixture
def twin(request, db_url, tmp_path, sqlite_template):
    """A second fresh database of the same kind as `engine`'s."""
    from tests.conftest import _pg_db, _sqlite_db
    from tracker.db import get_engine

    if db_url.startswith("sqlite"):
        (tmp_path / "twin").mkdir()
        url, drop = _sqlite_db(tmp_path / "twin", sqlite_template), None
    else:
        url, drop = _pg_db(request.getfixturevalue("pg_template"))
    eng = get_engine(url)
    yield eng
    eng.dispose()
    if drop:
        drop()


def content(engine) -> dict[str, list]:
    """Every row of every table, with the time stamps of this run itself (created_at and the
    like, within a day of now) blanked: the two paths run at different instants. JSON text (as
    SQLite gives it back) is compared decoded: the bulk path stores pydantic's text of a kept
    record (`tracker.bills.provenance.record_json`), the record path `json.dumps`' of the same
    value; PostgreSQL's driver decodes both."""
    from tests.test_ingest import dump

    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    def plain(value):
        if isinstance(value, str) and value[:1] in ("{", "["):
            try:
                return ("<json>", json.loads(value))
            except ValueError:
                return value
        if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
            try:  # SQLite gives stamps back as text
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, dt.datetime):
            naive = value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value
            if abs(naive - now) < dt.timedelta(days=1):
                return "<now>"
        return value
    return {table: [tuple(plain(v) for v in row) for row in rows] for table, rows in dump(engine).items()}


def spy_bulk(monkeypatch) -> list[str]:
    """Note the keys the bulk paths (new bills, new roll calls) store (or try to)."""
    from tracker.ingest import bulk, bulk_votes

    seen: list[str] = []
    for module, name in ((bulk, "store_new_bills"), (bulk_votes, "store_new_votes")):
        def noting(session, recs, today, real=getattr(module, name)):
            seen.extend(r.key for r in recs)
            return real(session, recs, today)
        monkeypatch.setattr(module, name, noting)
    return seen


def new_roll_calls() -> list:
    """New roll calls: voters matched by id, by name and twice (the second stays unmatched),
    one with an unknown id, a federal one naming no bill (its bill is looked for), and one
    a scorecard item waits for."""
    doe, roe = f.vote()["votes"]
    return [build_any(f.vote()),  # us-house-2025-17: the scored one (see `prepare`)
            build_any(f.vote(key="us-house-2025-18", roll_number="18", votes=[
                dict(doe, ids={}, voter_name="Doe"), dict(roe, ids={"bioguide": "X999999"})])),
            build_any(f.vote(key="us-house-2025-19", roll_number="19", votes=[doe, dict(doe, raw_option="Aye"), roe])),
            build_any(f.vote(key="us-house-2021-70", bill_key=None, session="117", roll_number="70",
                             date="2021-03-04"))]


def mixed_import() -> list:
    """New real BILLSTATUS bills and hand-made ones, broken up by a changed stored bill, a
    legislator, new roll calls and a roll call stored before the bill whose action records it."""
    real = real_bills()
    by_name = build_any(dict(f.bill(8), sponsorships=[
        {"name": "Rep. Doe, Jane [D-CA-12]", "ids": {}, "primary": True, "classification": "primary"}]))
    changed = build_any(dict(f.bill(6), title="Community Schools Act, as amended"))
    votes = new_roll_calls()
    return [*real[:6], changed, *bills(5), *votes[:3], by_name, build_any(f.legislator("C000003", "Carl Cruz")),
            *real[6:], votes[3], *bills(9)]


def prepare(engine) -> None:
    """What both databases hold before: legislators, a stored bill, a roll call that names no
    bill (H.R. 1 of the 117th records it), a scorecard item on a bill not stored yet."""
    from tracker.scoring import service as scoring

    vote = f.vote(bill_key=None, key="us-house-2021-61", session="117", roll_number="61", date="2021-03-03")
    Ingestor(engine, today=TODAY, bulk=False).ingest(
        [f.legislator(), f.legislator("R000002", "Rick Roe", party="Republican"), f.bill(6), vote])
    with Session(engine) as db:
        from tests.scoring.helpers import coalition

        coalition(engine)
        card = scoring.create_scorecard(db, coalition="edfund", slug="sponsors", jurisdiction="us",
                                        title="Sponsors", settings={"sponsorship_mode": "scored"})
        scoring.add_item(db, card, kind="cosponsorship", bill_key="us-119-hr5")
        scoring.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-17", preferred="yes")
        db.commit()


def test_the_bulk_path_stores_what_the_record_path_stores(engine, twin, monkeypatch):
    records = mixed_import()
    prepare(engine)
    prepare(twin)
    assert content(engine) == content(twin)
    by_record = Ingestor(engine, today=TODAY, bulk=False).ingest(records)
    seen = spy_bulk(monkeypatch)
    in_bulk = Ingestor(twin, today=TODAY).ingest(records)
    assert [(r.key, r.outcome, r.changes) for r in in_bulk.results] == \
        [(r.key, r.outcome, r.changes) for r in by_record.results]
    assert in_bulk.summary() == {"insert": len(records) - 1, "update": 1, "noop": 0, "error": 0}
    assert len(seen) == len(records) - 2  # every new bill and roll call went the bulk way (not the legislator)
    after = content(twin)
    assert after == content(engine)
    # the parts a bulk write could most easily miss are there
    assert any(r[2] == "new_bill" for r in after["change_event"] if "us-117-hr1" in str(r))
    assert sum(r[2] == "roll_call" for r in after["change_event"]) == 1 + 4  # prepared + new
    with Session(twin) as db:
        from tracker.models import PersonVote, ScoreCell, ScoredItem, VoteEvent
        methods = db.exec(select(PersonVote.voter_name, PersonVote.match_method, PersonVote.legislator_id)
                          .join(VoteEvent, VoteEvent.id == PersonVote.vote_event_id)
                          .where(VoteEvent.key.in_(["us-house-2025-18", "us-house-2025-19"]))
                          .order_by(PersonVote.id)).all()
        assert [m for _, m, _ in methods][:2] != [None, None] and any(m == "duplicate" for _, m, _ in methods)
        scored = db.execute(select(ScoredItem.id).where(ScoredItem.vote_event_key == "us-house-2025-17")).scalar_one()
        # queued by the bulk path, then scored when the import finished: one cell a voter
        assert len(db.execute(select(ScoreCell.cell_ref).where(ScoreCell.item_id == scored)).all()) == 2
    assert len(after["bill_search_doc"]) == len(after["bill"])
    with Session(twin) as db:
        from tracker.models import VoteEvent
        linked = db.exec(select(VoteEvent.bill_key).where(VoteEvent.key == "us-house-2021-61")).scalar_one()
        assert linked == "us-117-hr1"
    # idempotent: the same import again changes nothing
    again = Ingestor(twin, today=TODAY).ingest(records)
    assert again.summary() == {"insert": 0, "update": 0, "noop": len(records), "error": 0}
    assert content(twin) == after


def test_a_bad_record_in_a_bulk_run_leaves_nothing_and_its_run_mates_stay(engine, monkeypatch):
    from tracker.ingest import bills as bill_handler, bulk

    real = bill_handler.bill_plan

    def failing(rec, *args):
        if rec.identifier == "H.R. 2":
            raise TypeError("a reader bug surfacing late")
        return real(rec, *args)
    monkeypatch.setattr(bulk, "bill_plan", failing)
    monkeypatch.setattr(bill_handler, "bill_plan", failing)
    seen_bulk = spy_bulk(monkeypatch)
    seen = []
    report = Ingestor(engine, today=TODAY, on_result=seen.append).ingest(bills(1, 2, 3))
    assert seen_bulk == ["us-119-hr1", "us-119-hr2", "us-119-hr3"]  # tried in bulk first
    assert [r.outcome for r in report.results] == ["insert", "error", "insert"]
    assert [r.outcome for r in seen] == ["insert", "error", "insert"]
    assert "TypeError" in report.errors[0].problem and report.errors[0].record == "us-119-hr2"
    with Session(engine) as s:
        assert sorted(s.exec(select(Bill.key)).scalars()) == ["us-119-hr1", "us-119-hr3"]
        docs = s.exec(select(BillSearchDoc.bill_id)).scalars().all()
        assert sorted(docs) == sorted(s.exec(select(Bill.id)).scalars())
        events = s.execute(text("SELECT bill_key FROM change_event ORDER BY id")).scalars().all()
        assert events == ["us-119-hr1", "us-119-hr3"]


def test_a_bulk_statement_that_fails_falls_back_to_one_record_at_a_time(engine, monkeypatch):
    # A bill stored meanwhile by another writer: the multi-row insert meets its unique key.
    from tracker.ingest import bulk

    Ingestor(engine, today=TODAY).ingest(bills(1))
    monkeypatch.setattr(bulk, "new_bills", lambda session, recs: {id(r) for r in recs})
    seen = spy_bulk(monkeypatch)
    report = Ingestor(engine, today=TODAY, recheck=True).ingest(bills(1, 2))
    assert seen == ["us-119-hr1", "us-119-hr2"]
    assert [r.outcome for r in report.results] == ["noop", "insert"]
    assert stored(engine) == 2
    with Session(engine) as s:
        events = s.execute(text("SELECT bill_key FROM change_event ORDER BY id")).scalars().all()
        assert events == ["us-119-hr1", "us-119-hr2"]


def test_real_roll_calls_take_the_bulk_path_and_store_what_the_record_path_stores(engine, twin, monkeypatch):
    """The real House Clerk, Senate LIS and ESSA (unitedstates/congress) roll calls, after the real
    congress-legislators: the bulk path of new roll calls matches the same voters and stores the
    same rows as one roll call at a time."""
    from scrapers.formats import house_clerk, senate_lis
    from tests.people import real_data
    from tests.us_federal import essa_dirs, house_files, parse_essa, parse_one, senate_files

    rolls = [*(parse_one(house_clerk, p) for p in house_files()), *(parse_one(senate_lis, p) for p in senate_files()),
             *(parse_essa(d / "data.json") for d in essa_dirs())]
    for db in (engine, twin):
        real_data.congress(db)
    assert content(engine) == content(twin)
    by_record = Ingestor(engine, today=TODAY, bulk=False).ingest(rolls)
    seen = spy_bulk(monkeypatch)
    in_bulk = Ingestor(twin, today=TODAY).ingest(rolls)
    assert sorted(seen) == sorted(r.key for r in rolls)  # every one went the bulk way
    assert in_bulk.summary() == by_record.summary() == {"insert": len(rolls), "update": 0, "noop": 0, "error": 0}
    after = content(twin)
    assert after == content(engine)
    with Session(twin) as db:
        from tracker.models import PersonVote
        matched = db.execute(select(func.count()).select_from(PersonVote)
                             .where(PersonVote.legislator_id.is_not(None))).scalar_one()
    assert matched > len(after["person_vote"]) // 4, (matched, len(after["person_vote"]))
