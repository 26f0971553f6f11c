"""Issue 14, finding 8: a bill's stage follows every source's actions, on real LegiScan files."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tests.web import check_page, chromium_page, live_server
from tracker.ingest import Ingestor
from tracker.models import Bill, BillAction

DURING = dt.date(2011, 6, 1)  # the 27th Alaska Legislature was still sitting


def legiscan_bill(name: str):
    path = real_fixture("legiscan", "bill", f"{name}.json")
    return next(r for r in iter_records(plan([str(path)])) if getattr(r, "kind", None) == "bill")


def lagging_openstates_copy(rec, until: str) -> dict:
    """The same bill as Open States would hold it one crawl behind: the real actions up to
    `until`, in Open States' record shape (no status of its own)."""
    return {"type": "bill", "jurisdiction": rec.jurisdiction, "session": rec.session,
            "identifier": rec.identifier, "title": rec.title,
            "actions": [a.model_dump(mode="json") for a in rec.actions if a.date.isoformat() <= until],
            "source": {"format": "openstates-api", "url": "https://v3.openstates.org/bills?page=1"}}


def test_passage_known_only_to_legiscan_is_kept_with_its_source(engine):
    hb1 = legiscan_bill("HB1")  # passed the House on 2011-04-11 (real LegiScan history)
    ing = Ingestor(engine, today=DURING)
    ing.ingest([lagging_openstates_copy(hb1, "2011-04-07"), hb1])
    with Session(engine) as s:
        bill = s.exec(select(Bill).where(Bill.key == "ak-20112012-hb1")).one()
        acts = s.exec(select(BillAction).where(BillAction.bill_id == bill.id)
                      .order_by(BillAction.position)).all()
    # Open States ranks first: its list is shown, plus LegiScan's classified actions it lacks.
    assert bill.source_format == "openstates-api"
    from_legiscan = [(a.date.isoformat(), a.description) for a in acts if a.source_format == "legiscan-json"]
    assert from_legiscan == [("2011-04-11", "READ THE THIRD TIME CSHB 1(JUD)"),
                             ("2011-04-12", "READ THE FIRST TIME - REFERRALS")]
    # Actions both sources report (same date, chamber, classification) appear once.
    assert sum(a.description == "PREFILE RELEASED 1/7/11" for a in acts) == 1
    assert bill.stage == "passed_origin" and bill.stage_date == dt.date(2011, 4, 11)
    # The JSON API and the CLI (one read model) carry each action's source too.
    from tracker.bills.queries import bill_detail
    with Session(engine) as s:
        detail = bill_detail(s, "ak-20112012-hb1")
    assert [a.source_format for a in detail.actions].count("legiscan-json") == 2
    assert ing.ingest([hb1, lagging_openstates_copy(hb1, "2011-04-07")]).summary()["noop"] == 2


def test_a_source_status_does_not_hold_a_bill_behind_its_actions(engine):
    # LegiScan's status for HB2 is 1 "Introduced", but its own history refers the bill to the
    # State Affairs and Finance committees: the bill is in committee.
    hb2 = legiscan_bill("HB2")
    assert hb2.stage == "introduced"
    Ingestor(engine, today=DURING).ingest([hb2])
    with Session(engine) as s:
        bill = s.exec(select(Bill).where(Bill.key == "ak-20112012-hb2")).one()
    assert (bill.stage, bill.stage_date) == ("in_committee", dt.date(2011, 1, 18))


# --- the bill page says where an action comes from (Chromium, axe-core, 360 and 1280 px) -------------

@pytest.fixture
def page_server(sqlite_url, tmp_path):
    from tracker.db import get_engine

    hb1 = legiscan_bill("HB1")
    Ingestor(get_engine(sqlite_url), today=DURING).ingest([lagging_openstates_copy(hb1, "2011-04-07"), hb1])
    with live_server(sqlite_url, tmp_path) as base:
        yield base


def test_bill_page_names_the_source_of_added_actions(page_server):
    with chromium_page() as page:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{page_server}/bill/ak-20112012-hb1")
            row = page.locator("tr", has_text="READ THE THIRD TIME CSHB 1(JUD)")
            assert "(from LegiScan)" in row.inner_text()
            assert "(from" not in page.locator("tr", has_text="JUD RPT CS(JUD) NT 5DP 1NR").inner_text()
        check_page(page, f"{page_server}/bill/ak-20112012-hb1", "bill-action-sources")
