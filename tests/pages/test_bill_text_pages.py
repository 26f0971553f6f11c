"""Bill text and redline pages (English and Spanish, 360 and 1280 px, axe, keyboard) and their
JSON, on a store holding the real bill-text fixtures."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import real_fixture
from tests.text.conftest import import_texts, store_bills
from tests.web import check_page, chromium_page, live_server
from tracker.db import get_engine


@pytest.fixture
def text_db(sqlite_template, tmp_path) -> str:
    path = tmp_path / "edtracker.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    report = import_texts(store_bills(engine), real_fixture("bill-text"))
    assert report.summary()["error"] == 0, report.errors
    engine.dispose()
    return url


@pytest.fixture
def client(text_db, tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tracker.settings import Settings

    settings = Settings(database_url=text_db, data_dir=tmp_path, secret_key="test-secret-key-test-secret-key-123",
                        public_url="http://testserver", _env_file=None)
    app = create_app(settings)
    with TestClient(app, headers={"accept": "text/html"}) as c:
        yield c
    app.state.engine.dispose()


def test_bill_page_links_to_text_and_diff(client):
    page = client.get("/bill/us-116-hr2157")
    assert page.status_code == 200
    assert 'href="/bill/us-116-hr2157/text?version=ih"' in page.text and 'href="/bill/us-116-hr2157/diff"' in page.text


def test_diff_page_marks_changes_in_words_not_colour_only(client):
    page = client.get("/bill/us-116-hr2157/diff?from=ih&to=enr")
    assert page.status_code == 200, page.text[:500]
    html = page.text
    assert "38 sections changed, 13 added, 11 removed, 27 unchanged." in html
    assert ('<del><span class="visually-hidden">[deleted] </span> $510,000,000,<span class="visually-hidden"> '
            '[end of deletion]</span></del>') in html
    assert "Hurricane Education Recovery (including Transfer of Funds)" in html
    es = client.get("/bill/us-116-hr2157/diff?from=ih&to=enr&lang=es").text
    assert "38 secciones modificadas, 13 añadidas, 11 suprimidas, 27 sin cambios." in es and "[suprimido]" in es
    same = client.get("/bill/us-116-hjres107/diff?from=eh&to=enr&lang=en").text
    assert "The text of the sections is the same in both versions." in same


def test_text_page_and_unknown_version(client):
    page = client.get("/bill/ny-2017-s609/text?version=A")
    assert page.status_code == 200 and "Section 2" in page.text
    assert 'href="/bill/ny-2017-s609/diff?from=original&amp;to=A"' in page.text
    missing = client.get("/bill/ny-2017-s609/text?version=Z")
    assert missing.status_code == 404 and "no text version" in missing.text


def test_json_api_text_and_diff(client):
    got = client.get("/api/bills/ny-2017-s609/diff", params={"from": "original", "to": "A"},
                     headers={"accept": "application/json"}).json()
    assert got["counts"] == {"same": 1, "changed": 2, "added": 0, "removed": 1}
    assert [s["status"] for s in got["sections"]] == ["same", "removed", "changed", "changed"]
    text = client.get("/api/bills/us-116-hr2157/text", params={"version": "enr"},
                      headers={"accept": "application/json"}).json()
    edu = next(s for s in text["sections"] if s["heading"] == "Hurricane Education Recovery (including Transfer of Funds)")
    assert edu["path"] == ["TITLE VIII — DEPARTMENT OF LABOR", "DEPARTMENT OF EDUCATION"]
    assert client.get("/api/bills/us-116-hr2157/diff", params={"from": "ih", "to": "nope"},
                      headers={"accept": "application/json"}).status_code == 404


def test_pages_in_the_browser_axe_and_keyboard(text_db, tmp_path):
    with live_server(text_db, tmp_path) as base, chromium_page() as page:
        for lang in ("en", "es"):
            check_page(page, f"{base}/bill/us-116-hr2157/diff?from=ih&to=enr&lang={lang}", f"bill-diff-{lang}")
            check_page(page, f"{base}/bill/ny-2017-s609/text?version=A&lang={lang}", f"bill-text-{lang}")
            check_page(page, f"{base}/bill/us-116-hr2157/money?version=enr&compare=ih&lang={lang}", f"bill-money-{lang}")
        # keyboard only: pick the versions and compare
        page.goto(f"{base}/bill/ny-2017-s609/diff?from=original&to=original&lang=en")
        page.focus("#from")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "to"
        page.select_option("#to", "A")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url("**to=A**")
        assert "1 removed" in page.inner_text("main")


def test_money_page_and_api(client):
    page = client.get("/bill/us-116-hr2157/money?version=enr&compare=ih&lang=en")
    assert page.status_code == 200, page.text[:300]
    assert "$125,000,000" in page.text and "$435,000,000" in page.text and "+248.0 %" in page.text
    assert 'href="/bill/us-116-hr2157/text?version=enr#s-' in page.text
    assert "Hurricane Education Recovery (including Transfer of Funds)" in page.text
    es = client.get("/bill/us-116-hr2157/money?version=enr&lang=es").text
    assert "Importes en esta versión" in es
    got = client.get("/api/bills/us-116-hr2157/money", params={"version": "enr", "compare": "ih"},
                     headers={"accept": "application/json"}).json()
    flood = next(c for c in got["changes"] if c["heading"] == "Flood Control and Coastal Emergencies"
                 and c["kind"] == "appropriation")
    assert (flood["status"], flood["old"], flood["new"], flood["percent"]) == ("changed", 510_000_000, 1_000_000_000, 96.1)
    assert 'href="/bill/us-116-hr2157/money"' in client.get("/bill/us-116-hr2157").text


def test_search_page_and_api_point_into_the_text(client):
    page = client.get("/search?q=hurricane+education+recovery&lang=en")
    assert page.status_code == 200
    assert "Found in the text of bills" in page.text and 'href="/bill/us-116-hr2157/text?version=enr#s-' in page.text
    hits = client.get("/api/search/text", params={"q": "flood control coastal emergencies"},
                      headers={"accept": "application/json"}).json()
    assert hits and all(h["bill_key"] == "us-116-hr2157" and h["url"].startswith("/bill/us-116-hr2157/text?version=")
                        for h in hits)
