"""The home, search, coalitions, status and data-quality pages in Chromium at 360 and 1280 px, in
English and Spanish: no axe-core violations, no sideways scrolling, screenshots in
test-artifacts/pages/; and a keyboard-only journey from the home page to a bill (issue 16)."""
from __future__ import annotations

import pytest

from tests.web import ARTIFACTS, check_page, chromium_page

PAGES = [
    ("home", "/"),
    ("search", "/search"),
    ("search-filtered", "/search?q=school&jurisdiction=us&session=us:119&stage=in_committee"
                        "&issue_area=school-meals-health&sort=latest&sponsor=Lindqvist"),
    ("search-none", "/search?q=zzzz-no-such-words"),
    ("coalitions", "/coalitions"),
    ("status", "/status"),
    ("quality", "/quality"),
    ("quality-one-session", "/quality?session=ky:2025"),
    ("alerts-signup", "/alerts/signup?target_type=bill&target=us-119-hr1340"),
]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_home_and_directory_pages_are_accessible_at_both_widths(demo_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in PAGES:
            check_page(page, f"{demo_server}{path}", f"{name}-{lang}")
            assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.outside_requests == []


def test_the_filters_fold_away_on_a_phone_and_open_when_used(demo_server):
    with chromium_page() as page:
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(f"{demo_server}/search")
        assert not page.locator("input[name=sponsor]").is_visible()
        page.goto(f"{demo_server}/search?sponsor=Lindqvist")
        assert page.locator("input[name=sponsor]").is_visible()
        # Results are cards that fit the phone's width.
        card = page.locator("ol.results > li").first.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= 360


def test_keyboard_only_from_home_to_a_bill(demo_server):
    """Land on /, reach the search box with Tab, search, then Tab to a result and open it."""
    with chromium_page() as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{demo_server}/")
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "home-q":
                break
        assert page.evaluate("document.activeElement.id") == "home-q", "Tab never reached the search box"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.type("school meals")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/search?q=school+meals" in page.url
        for _ in range(40):
            page.keyboard.press("Tab")
            if (page.evaluate("document.activeElement.getAttribute('href') || ''")
                    == "/bill/us-119-hr1340"):
                break
        else:
            pytest.fail("Tab never reached the H.R. 1340 result")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/bill/us-119-hr1340")
        assert "Healthy School Meals for All Act" in page.inner_text("h1")
        page.screenshot(path=str(ARTIFACTS / "pages" / "journey-home-search-bill.png"), full_page=True)
