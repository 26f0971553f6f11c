"""The pages in headless Chromium (Debian's, through Playwright): search, open a bill, log in as
staff, confirm a tag, set a position, see it on the public page. Screenshot in test-artifacts/."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session

from tests import factories as f
from tests.conftest import ROOT
from tracker.coalitions.auth import hash_password
from tracker.ingest import Ingestor
from tracker.models import Coalition, StaffUser
from tracker.tagging.store import retag

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


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
    engine = get_engine(sqlite_url)
    Ingestor(engine).ingest([*f.batch()])
    with Session(engine) as db:
        coal = Coalition(slug="fair", name="Fair Schools")
        db.add(coal)
        db.flush()
        db.add(StaffUser(coalition_id=coal.id, email="ed@fair.example", password_hash=hash_password("s3cret-pass"),
                         role="editor"))
        db.commit()
    retag(engine, coalition="fair")
    port = _free_port()
    env = {**os.environ, "EDTRACKER_DATABASE_URL": sqlite_url, "EDTRACKER_DATA_DIR": str(tmp_path),
           "EDTRACKER_SECRET_KEY": "test-secret-key-test-secret-key-123"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=ROOT, env=env)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def test_search_review_position_public(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        # Search on the public list and open a bill.
        page.goto(f"{server}/c/fair/")
        page.fill("input[name=q]", "full-service")
        page.click("button:has-text('Search')")
        page.click("a:has-text('H.R. 5')")
        assert "/c/fair/bills/us-119-hr5" in page.url
        assert "No public position." in page.content()
        # Log in as staff and confirm a suggested tag.
        page.click("a:has-text('Staff login')")
        page.fill("#email", "ed@fair.example")
        page.fill("#password", "s3cret-pass")
        page.click("button:has-text('Log in')")
        row = page.locator("tr", has_text="us-119-hr5").filter(
            has_text="Community schools and wrap-around services").first
        assert "community school" in row.inner_text().lower()      # the explanation is shown
        with page.expect_navigation():
            row.locator("button:has-text('Confirm')").click()
        page.goto(f"{server}/c/fair/staff/?status=confirmed")
        assert "Community schools and wrap-around services" in page.inner_text("main")
        # Set a public position on the bill page.
        page.goto(f"{server}/c/fair/bills/us-119-hr5")
        page.select_option("#stance", "support")
        page.check("#public")
        page.fill("#rationale", "Community schools serve the whole child.")
        with page.expect_navigation():
            page.click("button:has-text('Save position')")
        # Log out; the public page shows the position and the confirmed issue area.
        with page.expect_navigation():
            page.click("button:has-text('Log out')")
        page.goto(f"{server}/c/fair/bills/us-119-hr5")
        text = page.inner_text("main")
        assert "Support" in text and "Community schools serve the whole child." in text
        assert "Community schools and wrap-around services" in text
        out = ROOT / "test-artifacts"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "coalition_bill_page.png"), full_page=True)
        browser.close()
