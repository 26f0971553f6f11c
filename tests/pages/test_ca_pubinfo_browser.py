"""A California bill from pubinfo in Chromium: its analyses and the Governor's message, in English
and Spanish, at 360 and 1280 px, free of axe-core violations (screenshots in test-artifacts/)."""
from __future__ import annotations

from tests.conftest import real_fixture
from tests.test_ca_pubinfo_store import load, tables
from tests.web import check_page, chromium_page, live_server
from tracker.db import get_engine


def test_bill_with_documents_in_the_browser(sqlite_url, tmp_path):
    dump = tables(tmp_path, "BILL_TBL", "BILL_HISTORY_TBL", "BILL_ANALYSIS_TBL", "VETO_MESSAGE_TBL",
                  "BILL_VERSION_AUTHORS_TBL")
    (dump / "VETO_MESSAGE_TBL_1.lob").write_bytes(
        real_fixture("ca-pubinfo", "2025-daily", "VETO_MESSAGE_TBL_1.lob").read_bytes())
    engine = get_engine(sqlite_url)
    load(engine, dump)
    engine.dispose()
    with live_server(sqlite_url, tmp_path / "data") as base, chromium_page() as page:
        for lang in ("en", "es"):
            check_page(page, f"{base}/bill/ca-20252026s1-sbx12?lang={lang}", f"ca-sbx12-{lang}")
        page.get_by_text("Leer el texto").click()
        assert page.get_by_text("I am signing Senate Bill X1 2").is_visible()
        assert page.outside_requests == []
