"""The footers in Chromium (Debian's, through Playwright) at 360 and 1280 px: LegiScan's credit and
the source link are visible, keyboard-reachable, free of axe-core violations and fit the screen,
on a LegiScan bill page, a scorecard page and its embed. Screenshots in test-artifacts/."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web import axe_script
from sqlmodel import Session

from tests.conftest import ROOT, real_fixture
from tests.scoring import helpers as h
from tests.test_attribution import SOURCE, _import

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(sqlite_url, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (./dev test does)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is in the dev extras")
    from tracker.db import get_engine
    from tracker.scoring import service

    engine = get_engine(sqlite_url)
    _import(engine, real_fixture("legiscan-ms-xml", "ms-2013"))
    h.coalition(engine, stances={"ms-2013-hb369": "oppose"})
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="ms-charter", jurisdiction="ms",
                                        title="Charter schools 2013", chambers=["lower"], sessions=["2013"],
                                        publish=True)
        service.add_item(db, card, kind="floor_vote", vote_event_key="ms-legiscan-221575")
        db.commit()
    port = _free_port()
    env = {**os.environ, "EDTRACKER_DATABASE_URL": sqlite_url, "EDTRACKER_DATA_DIR": str(tmp_path),
           "EDTRACKER_SOURCE_URL": SOURCE}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=ROOT, env=env)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


PAGES = {"bill": "/bill/ms-2013-hb369", "scorecard": "/c/edfund/scorecards/ms-charter",
         "scorecard-es": "/c/edfund/scorecards/ms-charter?lang=es",
         "embed": "/embed/c/edfund/scorecards/ms-charter"}


def test_credit_and_source_link_are_visible_reachable_and_accessible(server):
    from playwright.sync_api import sync_playwright

    axe = axe_script()  # installed by ./dev test (tests/web.py)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (360, 1280):
            # The pages' CSP forbids injected scripts; the axe check needs one.
            context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(server + path)
                for href in ("https://legiscan.com/", "https://creativecommons.org/licenses/by/4.0/", SOURCE):
                    link = page.locator(f'footer a[href="{href}"]')
                    assert link.count() == 1 and link.is_visible(), f"{name} at {width}px: no visible {href}"
                # Keyboard: tabbing from the top reaches the source link.
                page.evaluate("document.activeElement && document.activeElement.blur()")
                for _ in range(400):
                    page.keyboard.press("Tab")
                    if page.evaluate("document.activeElement && document.activeElement.getAttribute('href')") == SOURCE:
                        break
                else:
                    pytest.fail(f"{name} at {width}px: the source link is not reachable with Tab")
                # The footer fits the narrowest screen (wide tables elsewhere are the pages' own matter).
                right = page.evaluate("Math.max(...[...document.querySelectorAll('footer, footer *')]"
                                      ".map(e => e.getBoundingClientRect().right))")
                assert right <= width, f"{name} at {width}px: the footer is {right}px wide"
                page.add_script_tag(path=str(axe))
                violations = page.evaluate(
                    "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
                    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))", AXE_TAGS)
                assert violations == [], f"{name} at {width}px: {violations}"
                page.screenshot(path=str(ARTIFACTS / f"credit-{name}-{width}.png"), full_page=True)
                page.locator("footer").screenshot(path=str(ARTIFACTS / f"credit-{name}-{width}-footer.png"))
            context.close()
        browser.close()
