"""The methodology page (rules from the settings, the coalition's note apart), the scorecard table
and legislator pages, and the staff page of items left without a preferred option, in headless
Chromium (tests/web.py): no axe-core violations, no sideways scrolling at 360 px and 1280 px, a
keyboard-operable staff form, English and Spanish. Screenshots in test-artifacts/pages/."""
from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests import web
from tests.scoring import helpers as h

STAFF = ("ed@edfund.example", "s3cret-pass-123")


@pytest.fixture
def server(sqlite_url, tmp_path):
    web.require_chromium()
    web.axe_script()
    from tracker.coalitions.auth import hash_password
    from tracker.coalitions.positions import set_position
    from tracker.db import get_engine
    from tracker.models import Coalition, StaffUser
    from tracker.scoring.dirty import process_dirty

    engine = get_engine(sqlite_url)
    h.published_house(engine, evil=False)
    with Session(engine) as db:
        co = db.exec(select(Coalition)).one()
        db.add(StaffUser(coalition_id=co.id, email=STAFF[0], password_hash=hash_password(STAFF[1]), role="editor"))
        # The passage vote follows the stance; a private stance leaves it for staff to decide.
        set_position(db, co.id, "us-119-hr5", stance="support", public=False, rationale="Not yet announced")
        db.commit()
    process_dirty(engine)
    with web.live_server(sqlite_url, tmp_path) as base:
        yield base


def test_methodology_and_staff_pages_are_accessible(server):
    card = f"{server}/c/edfund/scorecards/house-2025"
    # The pages' CSP allows only their own scripts; axe is injected by the test.
    with web.chromium_page(bypass_csp=True) as page:
        web.check_page(page, f"{card}/methodology", "scorecard-methodology")
        assert "count against the legislator" in page.inner_text("#rule-absence")
        note = page.inner_text("#coalition-note")
        assert "We score votes on public schools." in note and "own words" in note
        # The note comes after the rules, outside them.
        assert page.evaluate("() => !document.querySelector('#rules').contains(document.querySelector('#coalition-note'))")
        web.check_page(page, f"{card}/methodology?lang=es", "scorecard-methodology-es")
        assert page.evaluate("() => document.documentElement.lang") == "es"
        assert "cuentan en contra del legislador" in page.inner_text("#rule-absence")
        # The Spanish choice is remembered (the site's language cookie) until English is chosen.
        web.check_page(page, card, "scorecard-table-es-remembered")
        assert "cuentan en contra del legislador" in page.inner_text("#how-scored")
        web.check_page(page, f"{card}?lang=en", "scorecard-table")
        assert "count against the legislator" in page.inner_text("#how-scored")
        web.check_page(page, f"{card}/legislators/bioguide:A000001", "scorecard-legislator")

        # Staff: log in, see the vote that follows a private stance, give it an option by keyboard.
        page.goto(f"{server}/c/edfund/staff/login")
        page.fill("#email", STAFF[0])
        page.fill("#password", STAFF[1])
        with page.expect_navigation():
            page.click("form[action$='/staff/login'] button[type=submit]")
        web.check_page(page, f"{server}/c/edfund/staff/scorecards", "staff-scorecards")
        row = page.locator("tbody tr", has_text="On Passage")
        assert "position on the bill is private" in row.inner_text()
        row.locator("select[name=preferred]").focus()
        page.keyboard.press("ArrowDown")  # yes -> no
        page.keyboard.press("Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Every item has a preferred option." in page.inner_text("main")
        page.goto(f"{card}/methodology")
        items = page.inner_text("ul.items")
        assert "On Passage" in items and "Coalition's position: No" in items
        assert page.outside_requests == []
