"""The content hash of a kept source record (`bill_source.record_hash`, issue 19) is the SHA-1 of
pydantic's JSON of the record without its fetch time (`record_digest`): the re-import's noop
check computes only it. Databases hold hashes made before as the SHA-1 of the payload's sorted
`json.dumps`; such a record, imported again unchanged, is a noop that renews its hash, and the
import after that is answered by the noop check."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import select, update
from sqlmodel import Session

from scrapers.formats.billstatus import parse_bill
from tests.conftest import real_fixture
from tests.test_ingest_batches import content
from tests.test_unchanged_records import went_the_whole_way
from tracker.bills.provenance import record_digest, record_json, record_payload
from tracker.contract import BillIn
from tracker.ingest import Ingestor
from tracker.models import Bill, BillSource
from tracker.store.rows import json_dumps


def _real_bills() -> list[BillIn]:
    bills = [parse_bill(path.read_bytes(), str(path)) for path in sorted(real_fixture("billstatus").glob("*/*.xml"))]
    bills = [b for b in bills if isinstance(b, BillIn)]
    assert len(bills) >= 10
    return bills


def _old_hash(payload: dict) -> str:
    """The hash of rows stored before issue 19's change."""
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def test_hash_of_real_bills_is_their_content_without_the_fetch_time():
    for bill in _real_bills():
        payload, digest = record_payload(bill)
        assert digest == record_digest(bill)
        expected = bill.model_dump(mode="json")
        expected["source"].pop("fetched_at")
        assert digest == hashlib.sha1(json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
                                      .encode()).hexdigest(), bill.key
        later = bill.model_copy(update={"source": bill.source.model_copy(update={
            "fetched_at": dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc)})})
        assert record_digest(later) == digest
        retitled = bill.model_copy(update={"title": bill.title + " (amended)"})
        assert record_digest(retitled) != digest


def test_hash_of_a_record_with_nested_extras_and_other_scripts():
    bill = BillIn.model_validate({
        "jurisdiction": "us", "session": "119", "identifier": "H.R. 9", "title": "Ley de educación \u2028 «x»",
        "extras": {"z": [3, {"b": 1.5, "a": None}], "a": {"y": True, "x": "\ud83d\ude00"}},
        "source": {"url": "https://example.org/9", "format": "test-json"}})
    payload, digest = record_payload(bill)
    assert list(payload["extras"]) == ["z", "a"]  # the stored payload keeps the record's order
    other = bill.model_copy(update={"extras": {"z": [3, {"b": 1.5, "a": None}], "a": {"y": True, "x": "x"}}})
    assert record_digest(other) != digest
    assert record_digest(bill.model_copy()) == digest  # a lone surrogate's text still hashes, the same each time


def _odd_records() -> list[BillIn]:
    """Nested extras in their own order, other scripts, a line separator, an astral character,
    a float, and a lone surrogate (which pydantic's JSON refuses)."""
    base = {"jurisdiction": "us", "session": "119", "title": "Ley de educación \u2028 «x»",
            "source": {"url": "https://example.org/9", "format": "test-json"}}
    return [BillIn.model_validate({**base, "identifier": f"H.R. {n}", "extras": extras}) for n, extras in (
        (9, {"z": [3, {"b": 1.5, "a": None}], "a": {"y": True, "x": "\ud83d\ude00"}}),
        (10, {"broken": "text \udc80 cut", "n": 1e16}))]


def test_record_json_is_the_payload_encoded_and_hashed():
    """The bulk path stores `record_json`'s text as the payload: decoded, it is the payload the
    record path stores (`record_payload`), and its hash is `record_digest`."""
    for bill in [*_real_bills(), *_odd_records()]:
        text, digest = record_json(bill)
        payload, expected_digest = record_payload(bill)
        # as the record path's payload reads back (a pair of lone surrogates becomes one character)
        assert json.loads(text) == json.loads(json_dumps(payload)), bill.key
        assert digest == expected_digest == hashlib.sha1(text.encode()).hexdigest()
        assert "fetched_at" not in json.loads(text)["source"]


def test_the_bulk_path_stores_the_payload_text(engine):
    bills = [*_real_bills(), *_odd_records()]
    Ingestor(engine, today=dt.date(2025, 12, 1)).ingest(bills)
    last = {}
    for bill in bills:  # of two records of one bill, the later (both carry update stamps) is kept
        last[bill.key] = bill
    with Session(engine) as db:
        rows = db.execute(select(BillSource.payload, BillSource.record_hash, Bill.key)
                          .join(Bill, Bill.id == BillSource.bill_id)).all()
        raw = dict(db.connection().exec_driver_sql(
            "SELECT record_hash, CAST(payload AS TEXT) FROM bill_source").all())
    assert len(rows) == len(last)
    stored = {key: (payload, digest) for payload, digest, key in rows}
    kept = {key: record_payload(bill) for key, bill in last.items() if stored[key][1] == record_digest(bill)}
    kept = {key: (json.loads(json_dumps(payload)), digest) for key, (payload, digest) in kept.items()}
    assert len(kept) >= len(last) - 2  # a bill held twice may keep its other record
    for key, (payload, digest) in kept.items():
        assert stored[key] == (payload, digest), key
    # new bills (the bulk path): the text is pydantic's, the one the hash is made of
    assert sum(hashlib.sha1(text.encode()).hexdigest() == digest for digest, text in raw.items()) >= len(last) - 2


def test_records_hashed_before_are_noops_that_renew_their_hash(engine, monkeypatch):
    bills = _real_bills()
    Ingestor(engine, today=dt.date(2025, 12, 1)).ingest(bills)
    with Session(engine) as db:  # the hashes as a database stored them before the change
        for row in db.execute(select(BillSource)).scalars().all():
            db.execute(update(BillSource).where(BillSource.id == row.id)
                       .values(record_hash=_old_hash(row.payload)))
        db.commit()
    before = content(engine)
    whole = went_the_whole_way(monkeypatch, BillIn)
    report = Ingestor(engine, today=dt.date(2025, 12, 1)).ingest(bills)
    assert report.counts["noop"] == len(bills) and report.counts["update"] == 0, report.counts
    assert len(whole) == len(bills)  # compared by payload, once
    after = content(engine)
    assert {t: rows for t, rows in after.items() if t != "bill_source"} == \
        {t: rows for t, rows in before.items() if t != "bill_source"}  # no event, no change
    with Session(engine) as db:
        stored = {(s.bill_id, s.source_format): s.record_hash for s in db.execute(select(BillSource)).scalars()}
    # each bill's kept record (the later of two of one bill) has the new hash
    assert set(stored.values()) <= {record_digest(b) for b in bills} and len(stored) == len({b.key for b in bills})
    whole.clear()
    report = Ingestor(engine, today=dt.date(2025, 12, 1)).ingest(bills)
    # answered by the noop check, but for two records of one bill (their order decides: the whole way)
    twice = sorted(b.key for b in bills if [c.key for c in bills].count(b.key) > 1)
    assert report.counts["noop"] == len(bills) and sorted(whole) == twice and len(twice) < len(bills) / 2
