"""The issue-17 journey in Chromium, without a terminal: a new editor accepts an emailed invitation
(the link an admin's invitation holds), builds a scorecard from
two floor votes and a committee vote found by searching the bill, previews a methodology change,
publishes, allowlists a partner origin and sees the embed work on a page of that origin (a second
local server). Every builder page passes axe at 360 and 1280 px in English and Spanish."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.scoring import helpers as h
from tests.scoring.test_builder_api import COMMITTEE
from tests.web import (ARTIFACTS, allow_and_open_embed, check_page, chromium_page, live_server, partner_site,
                       require_chromium)
from tracker.coalitions import team
from tracker.coalitions.auth import hash_password
from tracker.db import get_engine
from tracker.models import Coalition, StaffUser

EDITOR = ("editor@edfund.example", "correct-horse-battery")
NEW_EDITOR = "new.editor@edfund.example"


@pytest.fixture
def servers(sqlite_url, tmp_path):
    require_chromium()
    engine = get_engine(sqlite_url)
    h.small_house(engine)
    h.ingest(engine, [COMMITTEE])
    with Session(engine) as db:
        co = db.execute(select(Coalition).where(Coalition.slug == "edfund")).scalar_one()
        admin = StaffUser(coalition_id=co.id, email="admin@edfund.example", password_hash=hash_password("x" * 16),
                          role="admin")
        db.add(admin)
        db.flush()
        _, token = team.invite(db, co, admin, NEW_EDITOR, "editor", max_age=3600)
        db.add(StaffUser(coalition_id=co.id, email=EDITOR[0], password_hash=hash_password(EDITOR[1]), role="editor"))
        db.commit()
    engine.dispose()
    with live_server(sqlite_url, tmp_path) as api, partner_site(tmp_path / "partner", api, "edfund/house") as partner:
        yield api, partner, f"{api}/c/edfund/staff/invite/{token}"


def _search(page, api):
    page.goto(f"{api}/c/edfund/staff/scorecards/house")
    page.fill("#q", "hr 5")
    page.locator("#q").press("Enter")
    page.wait_for_selector("section.found")


def _add(page, api, key, preferred=None):
    _search(page, api)
    form = page.locator(f'form:has(input[name=vote_event_key][value="{key}"])')
    if preferred:
        form.locator("select[name=preferred]").select_option(preferred)
    form.locator("button").click()
    page.wait_for_url("**saved=item**")


def test_editor_builds_publishes_and_embeds(servers):
    api, partner, invitation = servers
    shots = ARTIFACTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        # The new editor opens the invitation's link, chooses a name and a password, and is in.
        page.goto(invitation)
        page.fill("#display_name", "Nia Editor")
        page.fill("#new_password", "a new editor's passphrase")
        page.fill("#new_password_again", "a new editor's passphrase")
        page.locator("#new_password_again").press("Enter")
        page.wait_for_url("**/staff/**")
        assert NEW_EDITOR in page.inner_text("header")
        # Create the scorecard with the form (keyboard: type, tick, submit with Enter).
        page.goto(f"{api}/c/edfund/staff/scorecards")
        page.fill("#title", "House 2025")
        page.fill("#sc_slug", "house")
        page.select_option("#jurisdiction", "us")
        page.check("input[name=chambers][value=lower]")
        page.fill("#sessions", "119")
        page.locator("#sessions").press("Enter")
        page.wait_for_url("**/staff/scorecards/house")
        # Two floor votes and a committee vote, found by searching the bill.
        _add(page, api, "us-house-2025-1")               # follows the public position (support -> yes)
        _add(page, api, "us-house-2025-2", preferred="no")
        _add(page, api, "us-house-ed-2025-1", preferred="yes")
        rows = page.locator("#items-h + table tbody tr")
        assert rows.count() == 3
        assert "Committee vote" in page.inner_text("#items-h + table")
        # Preview a methodology change: absences left out. Cruz (absent on vote 2) changes.
        page.select_option("#s-absence_policy", "exclude")
        page.click("#preview")
        page.wait_for_selector("#preview-h")
        preview = page.inner_text("#preview-h ~ div.table-wrap")
        assert "Cara Cruz" in preview and "Ann Adams" not in preview
        page.screenshot(path=str(shots / "builder-preview-1280.png"), full_page=True)
        page.click("#save-settings")
        page.wait_for_url("**saved=settings**")
        page.click("#publish")
        page.wait_for_url("**saved=published**")
        assert "Cara Cruz" in page.context.new_page().goto(f"{api}/c/edfund/scorecards/house").text()
        # Allowlist the partner's origin, then the partner's page shows the scorecard.
        page.goto(f"{api}/c/edfund/staff/embed")
        names = allow_and_open_embed(page, partner)
        assert names == ["Ann Adams", "Bob Baker", "Cara Cruz"], names
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / "builder-partner-embed.png"), full_page=True)
        # Every builder page, both languages, both widths: axe-clean, no sideways scroll.
        for path, name in (("/c/edfund/staff/scorecards", "builder-list"),
                           ("/c/edfund/staff/scorecards/house?q=hr+5", "builder-card"),
                           ("/c/edfund/staff/embed", "builder-embed"),
                           ("/c/edfund/staff/keys", "builder-keys")):
            for lang in ("en", "es"):
                sep = "&" if "?" in path else "?"
                check_page(page, f"{api}{path}{sep}lang={lang}", f"{name}-{lang}")
        assert page.outside_requests == []


def test_embed_is_refused_before_the_origin_is_allowed(servers):
    """The partner page shows nothing until staff allow its origin (the CSP frame-ancestors)."""
    api, partner, _ = servers
    import urllib.request
    with chromium_page() as page:
        page.goto(f"{api}/c/edfund/staff/login")
        page.fill("#email", EDITOR[0])
        page.fill("#password", EDITOR[1])
        page.locator("#password").press("Enter")
        page.wait_for_url("**/staff/")
        page.goto(f"{api}/c/edfund/staff/scorecards")
        page.fill("#title", "House 2025")
        page.fill("#sc_slug", "house")
        page.select_option("#jurisdiction", "us")
        page.locator("#sc_slug").press("Enter")
        page.wait_for_url("**/staff/scorecards/house")
        _add(page, api, "us-house-2025-1", preferred="yes")
        page.click("#publish")
        page.wait_for_url("**saved=published**")
    csp = urllib.request.urlopen(f"{api}/embed/c/edfund/scorecards/house").headers["Content-Security-Policy"]
    assert partner not in csp and "frame-ancestors" in csp
