"""Issue 17, done when: a coalition goes from an empty instance to a published, embedded
scorecard without a terminal. In Chromium, from the home page of an instance that has data but
no coalition: the setup page (the token from the environment), the first admin's welcome, a
scorecard built from a floor vote and published, a partner origin allowed, and the partner's
page showing the scorecard. The setup page passes axe at 360 and 1280 px in both languages."""
from __future__ import annotations

import pytest

from tests import factories as f
from tests.scoring import helpers as h
from tests.web import (ARTIFACTS, allow_and_open_embed, check_page, chromium_page, live_server, partner_site,
                       require_chromium)
from tracker.db import get_engine

TOKEN = "first-run-token-5d1c0b"


@pytest.fixture
def servers(sqlite_url, tmp_path):
    require_chromium()
    engine = get_engine(sqlite_url)
    h.ingest(engine, [*h.PEOPLE, f.bill(5), h.V1, h.V2, h.V3])   # data, and no coalition at all
    engine.dispose()
    with live_server(sqlite_url, tmp_path, EDTRACKER_SETUP_TOKEN=TOKEN) as api, \
            partner_site(tmp_path / "partner", api, "ky-table/house") as partner:
        yield api, partner


def test_empty_instance_to_an_embedded_scorecard_in_the_browser(servers):
    api, partner = servers
    shots = ARTIFACTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        for lang in ("en", "es"):
            check_page(page, f"{api}/setup?lang={lang}", f"setup-{lang}")
        page.goto(f"{api}/?lang=en")
        page.click("a[href='/setup']")
        page.wait_for_url("**/setup")
        # A wrong token first: the field says so and keeps what was typed elsewhere.
        page.fill("#setup_token", "not-it")
        page.fill("#coalition_name", "Kentucky Public Schools Table")
        page.fill("#slug", "ky-table")
        page.fill("#display_name", "Dana Admin")
        page.fill("#email", "dana@kytable.example")
        page.fill("#new_password", "a long passphrase")
        page.fill("#new_password_again", "a long passphrase")
        page.locator("#new_password_again").press("Enter")
        page.wait_for_selector("#setup_token-error")
        assert page.input_value("#coalition_name") == "Kentucky Public Schools Table"
        page.screenshot(path=str(shots / "setup-wrong-token-1280.png"), full_page=True)
        page.fill("#setup_token", TOKEN)
        page.fill("#new_password", "a long passphrase")
        page.fill("#new_password_again", "a long passphrase")
        page.locator("#setup_token").press("Enter")
        page.wait_for_url("**/c/ky-table/staff/?welcome=1")
        assert "Welcome to your coalition" in page.inner_text("main")
        page.screenshot(path=str(shots / "setup-welcome-1280.png"), full_page=True)
        # The welcome's next steps lead to the builder: a scorecard of one floor vote.
        page.click("main a[href='/c/ky-table/staff/scorecards']")
        page.fill("#title", "House 2025")
        page.fill("#sc_slug", "house")
        page.select_option("#jurisdiction", "us")
        page.check("input[name=chambers][value=lower]")
        page.locator("#sc_slug").press("Enter")
        page.wait_for_url("**/staff/scorecards/house")
        page.fill("#q", "hr 5")
        page.locator("#q").press("Enter")
        page.wait_for_selector("section.found")
        form = page.locator('form:has(input[name=vote_event_key][value="us-house-2025-1"])')
        form.locator("select[name=preferred]").select_option("yes")
        form.locator("button").click()
        page.wait_for_url("**saved=item**")
        page.click("#publish")
        page.wait_for_url("**saved=published**")
        # The menu leads to the embed setup; the partner's origin is allowed there.
        page.click("nav.main a[href='/c/ky-table/staff/embed']")
        # Cara Cruz took office after this vote: she is not on a card of it alone.
        assert allow_and_open_embed(page, partner) == ["Ann Adams", "Bob Baker"]
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / "setup-partner-embed.png"), full_page=True)
        # Setup is closed now.
        assert page.goto(f"{api}/setup").status == 404
        assert page.outside_requests == []
