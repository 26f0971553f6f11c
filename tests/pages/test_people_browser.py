"""Legislator and committee pages in Chromium at 360 and 1280 px, English and Spanish: no axe-core
violations, no sideways scrolling, no outside requests, screenshots in test-artifacts/pages/.
On the demo's data and on real data (congress-legislators, Open States people, BILLSTATUS, NY
Senate agendas, LegiScan Mississippi) loaded into a fresh database; and a keyboard-only journey."""
from __future__ import annotations

import pytest

from tests.people import real_data
from tests.web import check_page, chromium_page, live_server
from tracker.db import get_engine, upgrade

DEMO_PAGES = [
    ("people-list", "/legislators"),
    ("people-list-filtered", "/legislators?jurisdiction=us&chamber=upper&party=democratic&include_former=true"),
    ("people-list-former", "/legislators?jurisdiction=ky&include_former=true"),
    ("legislator-us", "/legislators/bioguide:Z900001"),
    ("legislator-ca", "/legislators/legiscan:990201"),
    ("legislator-ny", "/legislators/ny-member:99001"),
    ("committees", "/committees"),
    ("committee-us", "/committees/us-HSED"),
    ("legislator-not-found", "/legislators/bioguide:X999999"),
]

# Real data: a member of Congress, a Californian with offices and committees, a Mississippi
# legislator with education bills, votes, a public position and a grade; committees with
# members by role, hearings, bills referred.
REAL_PAGES = [
    ("real-people-ca", "/legislators?jurisdiction=ca"),
    ("real-people-senate", "/legislators?jurisdiction=us&chamber=upper"),
    ("real-people-ms-former", "/legislators?jurisdiction=ms&include_former=true&name=moore"),
    ("real-legislator-us", "/legislators/bioguide:W000187"),
    ("real-legislator-ca", "/legislators/ocd-person:ocd-person/552b5bf7-472d-48a4-bb9a-132c1f044737"),
    ("real-legislator-ms", "/legislators/legiscan:6532"),
    ("real-committees", "/committees?jurisdiction=ca"),
    ("real-committee-us", "/committees/us-HSED"),
    ("real-committee-ca", "/committees/ocd-organization/1849e837-f14f-473b-977a-311b2c5923ce"),
    ("real-committee-ny-hearings", "/committees/ny-upper-labor"),
    ("real-committee-ms-referred", "/committees/ms-lower-education"),
]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_demo_people_pages_are_accessible(demo_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in DEMO_PAGES:
            check_page(page, f"{demo_server}{path}", f"{name}-{lang}")
            assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.outside_requests == []


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("people-real")
    url = f"sqlite:///{folder / 'edtracker.db'}"
    upgrade(url)
    engine = get_engine(url)
    real_data.everything(engine)
    engine.dispose()
    with live_server(url, folder) as base:
        yield base


@pytest.mark.parametrize("lang", ["en", "es"])
def test_real_people_pages_are_accessible(real_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in REAL_PAGES:
            check_page(page, f"{real_server}{path}", f"{name}-{lang}")
            assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.outside_requests == []


def test_real_legislator_page_content(real_server):
    with chromium_page() as page:
        page.goto(f"{real_server}/legislators/legiscan:6532")
        votes = page.locator("table.votes tbody tr")
        assert votes.count() >= 1
        hb369 = page.locator("table.votes tbody tr", has=page.locator('a[href="/bill/ms-2013-hb369"]'))
        assert hb369.count() >= 1 and "Education Fund: Support" in hb369.first.inner_text()
        assert "Quiet Coalition" not in page.content()                  # its position is private
        grade = page.locator('a[href="/c/edfund/scorecards/house-2013/legislators/legiscan:6532"]')
        assert grade.count() == 1
        page.goto(f"{real_server}/committees/ny-upper-labor")
        assert "Room 123 CAP" in page.locator("#hearings-h ~ div").first.inner_text()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("width", [360, 1280])
def test_keyboard_journey_filter_open_legislator_open_committee(demo_server, width):
    with chromium_page() as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{demo_server}/legislators")
        _tab_to(page, "input[name=name]")
        page.keyboard.type("okafor")
        _tab_to(page, "select[name=jurisdiction]")
        page.keyboard.press("ArrowDown")              # the first legislature: U.S. Congress
        _tab_to(page, "input[name=include_former]")   # the demo's seats end on fixed dates
        page.keyboard.press("Space")
        _tab_to(page, "form.filters button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "name=okafor" in page.url and "jurisdiction=us" in page.url and "include_former=true" in page.url
        _tab_to(page, 'a[href="/legislators/bioguide:Z900001"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Maria Okafor"
        _tab_to(page, 'main a[href="/committees/us-HSED"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "House Committee on Education and Workforce"
        assert page.outside_requests == []
