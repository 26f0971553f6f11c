"""`/hearings` and `/find` in Chromium at 360 and 1280 px, English and Spanish: no axe-core
violations, no sideways scrolling, no outside requests, screenshots in test-artifacts/pages/.
On the demo's data and on real data (NY Senate agendas, Open States committees and events of the
documented format, congress-legislators, Open States people) with a local Census Geocoder
mirror; /find empty, with results, and with the geocoder down; a keyboard-only journey from an
address to a legislator's page."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.districts import mirror
from tests.districts.mirror import GeocoderMirror
from tests.hearings import data
from tests.pages.test_find_http import ASHBY_FILE, person_key
from tests.pages.test_people_browser import _tab_to
from tests.people import real_data
from tests.web import check_page, chromium_page, live_server
from tracker.db import get_engine, upgrade

DEMO_PAGES = [
    ("hearings", "/hearings"),
    ("hearings-past", "/hearings?when=past"),
    ("hearings-all", "/hearings?when=past&scope=all&jurisdiction=ny"),
    ("find", "/find"),
    ("find-state", "/find?state=ca&district=12"),
    ("find-bad-state", "/find?state=zz"),
]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_demo_hearings_and_find_are_accessible(demo_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in DEMO_PAGES:
            check_page(page, f"{demo_server}{path}", f"{name}-{lang}")
            assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.outside_requests == []


@pytest.fixture(scope="module")
def census():
    with GeocoderMirror() as m:
        yield m


@pytest.fixture(scope="module")
def real_server(tmp_path_factory, census):
    folder = tmp_path_factory.mktemp("hearings-find-real")
    url = f"sqlite:///{folder / 'edtracker.db'}"
    upgrade(url)
    engine = get_engine(url)
    real_data.congress(engine)
    real_data.states(engine, "ca")
    data.load(engine)
    engine.dispose()
    with live_server(url, folder, EDTRACKER_GEOCODER_BASE_URL=census.base_url, EDTRACKER_FIND_PER_HOUR="0") as base:
        yield base


def _find(address: str) -> str:
    return "/find?" + urlencode({"address": address})


REAL_PAGES = [
    ("real-hearings-day", "/hearings?from=2025-04-09&to=2025-04-09&scope=all"),
    ("real-hearings-ny", "/hearings?jurisdiction=ny&when=past&scope=all"),
    ("real-find-address", _find(mirror.CA)),
    ("real-find-partial", _find(mirror.CA_PARTIAL)),
    ("real-find-dc", _find(mirror.WHITE_HOUSE)),
    ("real-find-no-match", _find(mirror.NO_MATCH)),
    ("real-find-rejected", _find(mirror.REJECTED)),
    ("real-find-down", _find(mirror.SERVER_ERROR)),
]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_real_hearings_and_find_are_accessible(real_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in REAL_PAGES:
            check_page(page, f"{real_server}{path}", f"{name}-{lang}")
        assert page.outside_requests == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_find_with_the_geocoder_unreachable(demo_url, tmp_path, lang):
    with live_server(demo_url, tmp_path, EDTRACKER_GEOCODER_BASE_URL="http://127.0.0.1:9/geocoder") as base:
        with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
            check_page(page, f"{base}{_find(mirror.CA)}", f"find-geocoder-down-{lang}")
            notice = page.locator(".notice").inner_text()
            assert ("is not answering right now" if lang == "en" else "no responde en este momento") in notice
            assert page.outside_requests == []


@pytest.mark.parametrize("width", [360, 1280])
def test_keyboard_journey_find_by_address_and_open_a_legislator(real_server, width):
    with chromium_page() as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{real_server}/find")
        _tab_to(page, "input#address")
        page.keyboard.type(mirror.CA)
        _tab_to(page, "form.find button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "address=" not in page.url                         # the address stays out of the URL
        assert "1315 10TH ST, SACRAMENTO" in page.locator(".find-result").inner_text()
        ashby = person_key("ca", ASHBY_FILE)                          # the state senator of district 8
        _tab_to(page, f'.find-result a[href="/legislators/{ashby}"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Angelique Ashby"      # as the Open States file names her
        assert page.outside_requests == []
