"""The methodology page (rules from the settings, the coalition's note apart) and the staff page of
items left without a preferred option, in headless Chromium (Debian's, through Playwright): no
axe-core violations, no sideways scrolling at 360 px and 1280 px, keyboard-operable staff form,
English and Spanish. Screenshots in test-artifacts/."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.conftest import ROOT
from tests.scoring import helpers as h
from tests.scoring.test_scorecard_browser import ARGS, CHROMIUM, free_port

AXE = Path(os.environ.get("EDTRACKER_AXE", ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
RULESETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STAFF = ("ed@edfund.example", "s3cret-pass-123")


@pytest.fixture
def server(sqlite_url, monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: npm install axe-core@4 --prefix .cache/axe (or set EDTRACKER_AXE)")
    pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    import uvicorn

    from api.app import create_app
    from tracker.coalitions.auth import hash_password
    from tracker.coalitions.positions import set_position
    from tracker.db import get_engine
    from tracker.models import Coalition, StaffUser
    from tracker.settings import get_settings

    engine = get_engine(sqlite_url)
    h.published_house(engine, evil=False)
    with Session(engine) as db:
        co = db.exec(select(Coalition)).one()
        db.add(StaffUser(coalition_id=co.id, email=STAFF[0], password_hash=hash_password(STAFF[1]), role="editor"))
        # The passage vote follows the stance; a private stance leaves it for staff to decide.
        set_position(db, co.id, "us-119-hr5", stance="support", public=False, rationale="Not yet announced")
        db.commit()
    from tracker.scoring.dirty import process_dirty
    process_dirty(engine)
    monkeypatch.setenv("EDTRACKER_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("EDTRACKER_SECRET_KEY", "test-secret-key-test-secret-key-123")
    get_settings.cache_clear()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(get_settings()), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    get_settings.cache_clear()


def check(page, name: str) -> None:
    """No axe violations and no sideways scroll at both widths; a screenshot of each."""
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))", RULESETS)
        assert violations == [], (name, width, violations)
        wide = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth ? [] : "
                             "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                             " > window.innerWidth + 1 && !e.closest('.scroll')).map(e => e.tagName + '.' + e.className)")
        assert wide == [], (name, width, wide[:8])
        page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
        assert (out / f"{name}-{width}.png").stat().st_size > 1000


def test_methodology_and_staff_pages_are_accessible(server):
    from playwright.sync_api import sync_playwright

    card = f"{server}/c/edfund/scorecards/house-2025"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # The pages' CSP allows only their own scripts; axe is injected by the test.
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"{card}/methodology")
        assert "count against the legislator" in page.inner_text("#rule-absence")
        note = page.inner_text("#coalition-note")
        assert "We score votes on public schools." in note and "own words" in note
        # The note comes after the rules, outside them.
        assert page.evaluate("() => !document.querySelector('#rules').contains(document.querySelector('#coalition-note'))")
        check(page, "scorecard-methodology")
        page.goto(f"{card}/methodology?lang=es")
        assert page.evaluate("() => document.documentElement.lang") == "es"
        assert "cuentan en contra del legislador" in page.inner_text("#rule-absence")
        check(page, "scorecard-methodology-es")
        page.goto(card)
        assert "count against the legislator" in page.inner_text("#how-scored")
        check(page, "scorecard-table-intro")
        page.goto(f"{card}/legislators/bioguide:A000001")
        check(page, "scorecard-legislator")

        # Staff: log in, see the vote that follows a private stance, give it an option by keyboard.
        page.goto(f"{server}/c/edfund/staff/login")
        page.fill("#email", STAFF[0])
        page.fill("#password", STAFF[1])
        with page.expect_navigation():
            page.click("button:has-text('Log in')")
        page.goto(f"{server}/c/edfund/staff/scorecards")
        row = page.locator("tbody tr", has_text="On Passage")
        assert "position on the bill is private" in row.inner_text()
        check(page, "staff-scorecards")
        row.locator("select[name=preferred]").focus()
        page.keyboard.press("ArrowDown")  # yes -> no
        page.keyboard.press("Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Every item has a preferred option." in page.inner_text("main")
        page.goto(f"{card}/methodology")
        assert "On Passage" in page.inner_text("ul.items") and "Coalition's position: No" in page.inner_text("ul.items")
        browser.close()
