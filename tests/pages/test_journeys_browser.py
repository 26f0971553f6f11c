"""Journeys across the public site in Chromium (issue 16), at 360 and 1280 px: find your
legislators by address (a local Census Geocoder mirror), open one, open their grade on a
coalition's scorecard, switch to Spanish with the page's switch and see the choice hold on the
next click; once with the mouse and once with the keyboard only (Tab and Enter). Every page on
the way: the site's menu and footer, no axe-core violations, no sideways scrolling, a screenshot
in test-artifacts/pages/. Real data: congress-legislators and Open States California people."""
from __future__ import annotations

import pytest

from tests.districts import mirror
from tests.pages.test_find_http import ASHBY_FILE, census, person_key, real_url  # noqa: F401 (fixtures)
from tests.pages.test_people_browser import _tab_to
from tests.web import ARTIFACTS, axe_violations, check_page, chromium_page, live_server, sideways_overflow

CARD = "/c/find-test/scorecards/public-card"


@pytest.fixture(scope="module")
def server(real_url, census, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("journeys")
    with live_server(real_url, folder, EDTRACKER_GEOCODER_BASE_URL=census.base_url,
                     EDTRACKER_FIND_PER_HOUR="0") as base:
        yield base


def _look(page, name: str, lang: str) -> None:
    """The page as it is: in `lang`, inside the site's layout, accessible, no sideways scroll."""
    out = ARTIFACTS / "pages"
    out.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(out / f"journey-{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.lang") == lang, (name, page.url)
    assert page.locator("header.site nav.main").count() == 1, f"{name}: no site menu"
    assert page.locator("footer.site").count() == 1, f"{name}: no site footer"
    assert sideways_overflow(page) <= 0, f"{name} scrolls sideways at {width} px"
    assert axe_violations(page) == [], f"{name} at {width} px: {axe_violations(page)}"


def _cookie(page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == "edtracker_lang"), None)


@pytest.mark.parametrize("width", [360, 1280])
def test_find_open_grade_switch_to_spanish(server, width):
    ashby = person_key("ca", ASHBY_FILE)
    with chromium_page(locale="en-US") as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server}/")
        with page.expect_navigation():
            page.locator("nav.main a[href='/find']").click()
        _look(page, "find", "en")
        page.fill("#address", mirror.CA)
        with page.expect_navigation():
            page.locator("form.find button[type=submit]").click()
        _look(page, "find-result", "en")
        with page.expect_navigation():
            page.locator(f'.find-result a[href="/legislators/{ashby}"]').first.click()
        assert page.locator("h1").inner_text() == "Angelique Ashby"
        _look(page, "legislator", "en")
        grade = page.locator(f'a[href="{CARD}/legislators/{ashby}"]')
        assert grade.count() == 1, "the legislator page links the grade on the public scorecard"
        with page.expect_navigation():
            grade.click()
        assert page.url.endswith(f"{CARD}/legislators/{ashby}")
        assert page.locator("main h1").inner_text() == "Angelique Ashby"
        assert "School meals" in page.locator("main").inner_text()
        _look(page, "scorecard-legislator", "en")

        with page.expect_navigation():
            page.locator("nav.lang a[hreflang=es]").click()
        _look(page, "scorecard-legislator-es", "es")
        assert "Calificación legislativa" in page.locator("nav.scorecard-nav").inner_text()
        assert _cookie(page) == "es"
        # The next click, on a link without ?lang=, stays in Spanish: the cookie holds the choice.
        link = page.locator("nav.scorecard-nav a", has_text="Metodología")
        assert "lang=" not in link.get_attribute("href")
        with page.expect_navigation():
            link.click()
        assert "lang=" not in page.url
        _look(page, "scorecard-methodology-es", "es")
        assert page.locator("main h1").inner_text().startswith("Metodología")
        with page.expect_navigation():
            page.locator("nav.main a[href='/legislators']").click()
        _look(page, "legislators-es", "es")
        assert _cookie(page) == "es"
        assert page.outside_requests == []


@pytest.mark.parametrize("width", [360, 1280])
def test_keyboard_only_find_open_grade_switch_to_spanish(server, width):
    ashby = person_key("ca", ASHBY_FILE)
    with chromium_page(locale="en-US") as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server}/")
        _tab_to(page, "nav.main a[href='/find']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _tab_to(page, "input#address")
        page.keyboard.type(mirror.CA)
        _tab_to(page, "form.find button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _tab_to(page, f'.find-result a[href="/legislators/{ashby}"]', limit=200)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _tab_to(page, f'a[href="{CARD}/legislators/{ashby}"]', limit=200)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(f"{CARD}/legislators/{ashby}")
        _look(page, "kbd-scorecard-legislator", "en")
        _tab_to(page, "nav.lang a[hreflang=es]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _look(page, "kbd-scorecard-legislator-es", "es")
        assert _cookie(page) == "es"
        _tab_to(page, f'nav.scorecard-nav a[href="{CARD}"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "lang=" not in page.url
        _look(page, "kbd-scorecard-es", "es")
        assert "Calificación legislativa" in page.locator("nav.scorecard-nav").inner_text()
        assert page.outside_requests == []


SC = "/c/demo-public-schools/scorecards/congress-2025"
DEMO_PAGES = [
    ("sc-table", SC), ("sc-methodology", f"{SC}/methodology"),
    ("sc-legislator", f"{SC}/legislators/bioguide:Z900001"), ("sc-index", "/c/demo-public-schools/scorecards"),
    ("sc-404", f"{SC}x"), ("sc-legislator-404", f"{SC}/legislators/bioguide:X999999"),
    ("sc-embed", f"/embed{SC}"), ("sc-embed-404", f"/embed{SC}x"),
]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_demo_scorecard_pages_and_their_errors_are_accessible(demo_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in DEMO_PAGES:
            check_page(page, f"{demo_server}{path}", f"{name}-{lang}")
            assert page.evaluate("document.documentElement.lang") == lang, path
            in_site = page.locator("header.site nav.main").count() == 1
            assert in_site == (not path.startswith("/embed/")), f"{path}: site layout {in_site}"
            if "404" in name:                                         # a way back, in this language
                assert page.locator("main a[href='/']").count() == 1, path
        assert page.outside_requests == []
