"""School district pages in Chromium at 360 and 1280 px, English and Spanish: no axe-core
violations, no sideways scrolling, no outside requests, screenshots in test-artifacts/pages/;
a keyboard-only journey from /find to a school district and on to a representative."""
from __future__ import annotations

import pytest

from tests.pages.test_people_browser import _tab_to
from tests.people import real_data
from tests.schools import data
from tests.web import check_page, chromium_page, live_server
from tracker.db import get_engine, upgrade

PAGES = [
    ("school-jcps", "/districts/2102990"),
    ("school-lausd", "/districts/0622710"),
    ("school-interstate", "/districts/3333009"),
    ("school-unknown", "/districts/9999999"),
    ("school-search", "/districts?q=jefferson+county"),
    ("school-find", "/find"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schools-browser")
    url = f"sqlite:///{folder / 'edtracker.db'}"
    upgrade(url)
    engine = get_engine(url)
    data.load(engine, folder)
    engine.dispose()
    with live_server(url, folder, real_data.TODAY) as base:
        yield base


@pytest.mark.parametrize("lang", ["en", "es"])
def test_school_district_pages_are_accessible(server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in PAGES:
            check_page(page, f"{server}{path}", f"{name}-{lang}")
            assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.outside_requests == []


@pytest.mark.parametrize("width", [360, 1280])
def test_keyboard_journey_find_a_school_district_then_its_representative(server, width):
    with chromium_page() as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server}/find")
        _tab_to(page, "#find-school")
        page.keyboard.type("Jefferson County School District")
        page.keyboard.press("Enter")
        page.wait_for_url("**/districts?q=*")
        _tab_to(page, 'a[href="/districts/2102990"]', limit=200)
        page.keyboard.press("Enter")
        page.wait_for_url("**/districts/2102990")
        member = data.ky3_member()
        _tab_to(page, f'a[href="/legislators/{member}"]', limit=200)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/legislators/{member}")
