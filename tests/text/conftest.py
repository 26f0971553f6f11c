"""A store holding the bills of ../shared/fixtures/bill-text (made with tests/factories: the
BILLSTATUS fixtures do not include them) and every text version of them."""
from __future__ import annotations

import datetime as dt

import pytest

from scrapers.importer import iter_records, plan
from tests import factories as f
from tests.conftest import real_fixture
from tracker.contract import build_any
from tracker.ingest import Ingestor

# (jurisdiction, session, identifier) of each bill whose text is in bill-text/ (NY S609's bill
# comes with its text).
BILLS = [("us", "116", "H.R. 2157"), ("us", "116", "H.J.Res. 107"), ("us", "116", "H.R. 264"),
         ("ca", "20232024", "AB 2302")]


def store_bills(engine) -> Ingestor:
    ingest = Ingestor(engine, today=dt.date(2025, 6, 1))
    for jur, session, ident in BILLS:
        rec = f.bill(jurisdiction=jur, session=session, identifier=ident, title=f"{ident} of {session}",
                     versions=[], actions=[] if jur != "us" else f.bill()["actions"],
                     sponsorships=[] if jur != "us" else f.bill()["sponsorships"])
        result = ingest.ingest_one(build_any(rec))
        assert result.outcome in ("insert", "noop"), result
    return ingest


def import_texts(ingest: Ingestor, *paths):
    return ingest.ingest(iter_records(plan(list(paths))))


@pytest.fixture
def text_store(engine):
    """The engine with the bill-text fixtures' bills and texts stored."""
    ingest = store_bills(engine)
    report = import_texts(ingest, real_fixture("bill-text"))
    assert report.summary()["error"] == 0, report.errors
    return engine
