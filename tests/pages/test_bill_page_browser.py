"""The bill page in Chromium: a visitor's journey (land on `/`, search a bill, open it, open a
voter's page from a roll call, go back, press Follow and land on the prefilled sign-up page) in
English and Spanish at 360 and 1280 px with axe-core clean at every step; Follow with the
keyboard alone; bill pages with every roll call opened, on the demo's and on real data.
Screenshots in test-artifacts/pages/."""
from __future__ import annotations

import re

import pytest

from tests.people import real_data
from tests.web import ARTIFACTS, axe_violations, check_page, chromium_page, live_server, sideways_overflow
from tracker.db import get_engine, upgrade

SHOTS = ARTIFACTS / "pages"


def checked(page, name: str) -> None:
    """Every roll call opened; no sideways scroll, no axe violation; a full-page screenshot."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert sideways_overflow(page) <= 0, f"{page.url} scrolls sideways ({name})"
    violations = axe_violations(page)
    assert violations == [], f"{page.url} ({name}): {violations}"


SEARCH = {"en": ("Search", "Follow this bill"), "es": ("Buscar", "Seguir este proyecto de ley")}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_journey_search_open_voter_then_follow(demo_server, lang, width):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US",
                       viewport={"width": width, "height": 900}) as page:
        step = f"journey-{lang}-{width}"
        page.goto(f"{demo_server}/")
        assert page.evaluate("document.documentElement.lang") == lang
        checked(page, f"{step}-1-home")
        page.fill("#home-q", "special education funding")
        with page.expect_navigation():
            page.press("#home-q", "Enter")
        assert "/search" in page.url
        checked(page, f"{step}-2-search")
        with page.expect_navigation():
            page.click('a[href="/bill/us-119-s410"]')
        assert page.url.endswith("/bill/us-119-s410")
        assert page.locator("h1").inner_text().startswith("S. 410")
        checked(page, f"{step}-3-bill")
        # A voter of the House roll call, by full name, to their page.
        house = page.locator("details.roll-call").nth(1)
        voter = house.locator("table.voters a", has_text="Thomas Ashgrove")
        assert voter.count() == 1
        with page.expect_navigation():
            voter.click()
        assert page.url.endswith("/legislators/bioguide:Z900004")
        assert page.locator("h1").inner_text() == "Thomas Ashgrove"
        checked(page, f"{step}-4-voter")
        page.go_back()
        follow = page.locator("a#follow")
        assert follow.inner_text() == SEARCH[lang][1]
        with page.expect_navigation():
            follow.click()
        assert re.search(r"/alerts/signup\?target_type=bill&target=us-119-s410$", page.url)
        assert page.locator("input[name=target_type]").input_value() == "bill"
        assert page.locator("input[name=target]").input_value() == "us-119-s410"
        assert page.evaluate("document.documentElement.lang") == lang
        checked(page, f"{step}-5-signup")
        assert page.outside_requests == []


@pytest.mark.parametrize("path,target_type,target", [
    ("/bill/ca-20252026-ab412", "bill", "ca-20252026-ab412"),
    ("/legislators/legiscan:990201", "legislator", "legiscan:990201"),
    ("/committees/us-HSED", "committee", "us-HSED"),
])
def test_follow_with_the_keyboard_alone(demo_server, path, target_type, target):
    with chromium_page() as page:
        page.goto(f"{demo_server}{path}")
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "follow":
                break
        else:
            pytest.fail("Tab never reached the Follow link")
        style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                              " return [s.outlineStyle, s.outlineWidth]; })()")
        assert style[0] != "none" and style[1] != "0px"       # the focus is visible
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("input[name=target_type]").input_value() == target_type
        assert page.locator("input[name=target]").input_value() == target
        # and on, by keyboard, to the email field of the form
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "email":
                break
        assert page.evaluate("document.activeElement.name") == "email"


DEMO_BILLS = [("bill-hearings-ny", "/bill/ny-2025-s3150"), ("bill-votes-us", "/bill/us-119-s410"),
              ("bill-votes-ca", "/bill/ca-20252026-ab412"), ("bill-coalition-private", "/c/demo-public-schools/bills/us-119-s615")]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_demo_bill_pages_with_roll_calls_open(demo_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in DEMO_BILLS:
            for width in (360, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{demo_server}{path}")
                checked(page, f"{name}-{lang}-{width}")
        assert page.outside_requests == []


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    """Mississippi (LegiScan) with its people and a public and a private position, and the
    hearings of tests/hearings (real Open States committees and the event format)."""
    from tests.hearings import data

    folder = tmp_path_factory.mktemp("bill-real")
    url = f"sqlite:///{folder / 'edtracker.db'}"
    upgrade(url)
    engine = get_engine(url)
    real_data.mississippi(engine)
    real_data.coalitions(engine)
    data.load(engine)
    engine.dispose()
    with live_server(url, folder) as base:
        yield base


@pytest.mark.parametrize("lang", ["en", "es"])
def test_real_bill_pages(real_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in (("real-bill-ms", "/bill/ms-2013-hb369"), ("real-bill-ca-hearings", "/bill/ca-20252026-ab100")):
            check_page(page, f"{real_server}{path}", f"{name}-{lang}")   # roll calls folded
            for width in (360, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{real_server}{path}")
                checked(page, f"{name}-open-{lang}-{width}")
        page.goto(f"{real_server}/bill/ms-2013-hb369")
        assert "Quiet Coalition" not in page.content()
        assert page.locator("a[href='/c/edfund/']").count() == 1
        assert page.outside_requests == []
