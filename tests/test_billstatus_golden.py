"""Speed work on the BILLSTATUS parser and the federal rules must not change what comes out.

The hashes were computed by the parser and classifier as they were before the speed work
(commit c4e4a51) on every real file of ../shared/fixtures/billstatus: the whole `BillIn` as
JSON per file, and the classification of every distinct action (text, code, source system) of
those files under four call shapes. A deliberate change of behaviour updates them (print the
new values with `pytest -s`, check the diff of the records, then paste).
"""
from __future__ import annotations

import hashlib
import json

import pytest

from scrapers.formats.billstatus import parse_bill
from scrapers.xmlsafe import parse_xml
from tests.conftest import FIXTURES, real_fixture
from tracker.actions.us import classify, clear_cache
from tracker.contract import BillIn

BILL_HASHES = {
    "legacy-noversion/BILLSTATUS-114hconres70.xml": "b5eec3a59ba6a942",
    "legacy-noversion/BILLSTATUS-114hr22.xml": "b198d85418ff7e7a",
    "legacy-noversion/BILLSTATUS-114hr2566.xml": "6a54cbcbdf49e9c6",
    "legacy-noversion/BILLSTATUS-114hres348.xml": "bbf351353e4c7903",
    "legacy-noversion/BILLSTATUS-114s1300.xml": "3c445f5f6cb7ffd0",
    "legacy-noversion/BILLSTATUS-114s469.xml": "cd7ff2d197040e36",
    "v1-actions-committees/BILLSTATUS-115s2979.xml": "ff907f7ef587e1d0",
    "v1-actions-committees/BILLSTATUS-116hr5177.xml": "24e193bd91bbf346",
    "v1-actions-committees/BILLSTATUS-116s2902.xml": "53b4491bc12f79d9",
    "v1-amendment-votes/BILLSTATUS-114hr5278.xml": "fac5c55e4c806fc8",
    "v1-current/BILLSTATUS-117hr1.xml": "5046b15e7f93adec",
    "v1-current/BILLSTATUS-117hr6658.xml": "1939728b2bb8ccf3",
    "v1-textVersions-dev/DEV-BILLSTATUS-115s3509.xml": "aa50d8b0b60c1038",
    "v3-future/BILLSTATUS-114hr5278.xml": "2d9e7a96ab18afce",
    "v3-future/BILLSTATUS-117hr6658.xml": "12238b69b922037f",
}
CLASSIFY_HASH = (489, "cb47e275deba2241")
# `BillIn` fields added after the hashes were taken; BILLSTATUS leaves them empty, and the hash
# is of the record without them (issue 20 added `documents`).
ADDED_SINCE = {"documents"}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@pytest.mark.parametrize("rel", sorted(BILL_HASHES))
@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_parser_output_unchanged(rel, cache):
    path = real_fixture("billstatus", *rel.split("/"))
    if cache == "cold":
        clear_cache()
    else:
        parse_bill(path.read_bytes(), "https://example.test/" + path.name)
    bill = parse_bill(path.read_bytes(), "https://example.test/" + path.name)
    assert isinstance(bill, BillIn), bill
    assert all(not getattr(bill, name) for name in ADDED_SINCE)
    got = _digest(bill.model_dump_json(exclude=ADDED_SINCE))
    print(f'    "{rel}": "{got}",')
    assert got == BILL_HASHES[rel]


def test_classification_of_every_real_action_unchanged():
    items = set()
    for path in sorted((FIXTURES / "billstatus").glob("*/*.xml")) or [real_fixture("billstatus", "absent.xml")]:
        for item in parse_xml(path.read_bytes()).iter("item"):
            text = item.findtext("text")
            if text and item.find("actionDate") is not None:
                items.add((text.strip(), (item.findtext("actionCode") or "").strip() or None,
                           (item.findtext("sourceSystem/code") or "").strip() or None))
    clear_cache()
    h = hashlib.sha256()
    for t, c, s in sorted(items, key=str):
        for args in ((t, c, s, None), (t, None, None, None), (t, c, s, "lower"), (t.upper(), None, None, "upper")):
            r = classify(*args)
            h.update(json.dumps([args, r.as_dict(), r.rules], sort_keys=True).encode())
    print(len(items), h.hexdigest()[:16])
    assert (len(items), h.hexdigest()[:16]) == CLASSIFY_HASH
