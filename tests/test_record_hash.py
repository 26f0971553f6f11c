"""The content hash of a kept source record (`bill_source.record_hash`) is the SHA-1 of
`json.dumps(payload, sort_keys=True, default=str)`: every stored database holds hashes made so,
and a different text would make every kept bill merge again on its next import (issue 19: the
text is now made by an encoder built once, without the circular-reference check)."""
from __future__ import annotations

import hashlib
import json

from scrapers.formats.billstatus import parse_bill
from tests.conftest import real_fixture
from tracker.bills.provenance import record_payload
from tracker.contract import BillIn


def _hash(payload: dict) -> str:
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def test_hash_of_real_bills_is_the_sorted_json_dumps_hash():
    bills = [parse_bill(path.read_bytes(), str(path)) for path in sorted(real_fixture("billstatus").glob("*/*.xml"))]
    bills = [b for b in bills if isinstance(b, BillIn)]
    assert len(bills) >= 10
    for bill in bills:
        payload, digest = record_payload(bill)
        assert digest == _hash(payload), bill.key


def test_hash_of_a_record_with_nested_extras_and_other_scripts():
    bill = BillIn.model_validate({
        "jurisdiction": "us", "session": "119", "identifier": "H.R. 9", "title": "Ley de educación \u2028 «x»",
        "extras": {"z": [3, {"b": 1.5, "a": None}], "a": {"y": True, "x": "\ud83d\ude00"}},
        "source": {"url": "https://example.org/9", "format": "test-json"}})
    payload, digest = record_payload(bill)
    assert digest == _hash(payload)
    assert list(payload["extras"]) == ["z", "a"]  # the stored payload keeps the record's order
