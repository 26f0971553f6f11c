"""Issue 14, finding 8: a bill's stage follows every source's actions, on real LegiScan files."""
from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from scrapers.importer import iter_records, plan
from tests.conftest import ROOT, real_fixture
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

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(os.environ.get("EDTRACKER_AXE_JS", ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


@pytest.fixture
def page_server(sqlite_url, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (./dev test does)")
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: `npm install axe-core@4` in .cache/axe, or set EDTRACKER_AXE_JS")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is in the dev extras")
    from tracker.db import get_engine

    hb1 = legiscan_bill("HB1")
    Ingestor(get_engine(sqlite_url), today=DURING).ingest([lagging_openstates_copy(hb1, "2011-04-07"), hb1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "EDTRACKER_DATABASE_URL": sqlite_url, "EDTRACKER_DATA_DIR": str(tmp_path),
           "EDTRACKER_SECRET_KEY": "test-secret-key-test-secret-key-123"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def test_bill_page_names_the_source_of_added_actions(page_server):
    from playwright.sync_api import sync_playwright

    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (360, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{page_server}/bill/ak-20112012-hb1")
            row = page.locator("tr", has_text="READ THE THIRD TIME CSHB 1(JUD)")
            assert "(from LegiScan)" in row.inner_text()
            assert "(from" not in page.locator("tr", has_text="JUD RPT CS(JUD) NT 5DP 1NR").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(out / f"bill-action-sources-{width}.png"), full_page=True)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(f"async () => (await axe.run(document, {WCAG})).violations")
            assert violations == [], [(v["id"], v["nodes"][0]["target"]) for v in violations]
            page.close()
        browser.close()
