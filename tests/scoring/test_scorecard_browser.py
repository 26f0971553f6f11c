"""The embed in headless Chromium (Debian's, through Playwright): the one-line snippet on a page
of ANOTHER origin inserts and resizes the scorecard; sorting, filtering and keyboard navigation
work; script payloads in a bill title do not run; a screenshot goes to test-artifacts/."""
from __future__ import annotations

import functools
import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.scoring import helpers as h

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def servers(sqlite_url, monkeypatch, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    import uvicorn

    from api.app import create_app
    from tracker.db import get_engine
    from tracker.settings import get_settings

    api_port, host_port = free_port(), free_port()
    host_origin = f"http://127.0.0.1:{host_port}"
    h.published_house(get_engine(sqlite_url), embed_origins=[host_origin])
    monkeypatch.setenv("EDTRACKER_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    server = uvicorn.Server(uvicorn.Config(create_app(get_settings()), host="127.0.0.1", port=api_port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<!doctype html><html lang='en'><head><title>Partner site</title></head><body>"
        "<h1>Our legislators</h1>"
        f'<script src="http://127.0.0.1:{api_port}/embed.js" data-scorecard="edfund/house-2025" async></script>'
        "<p id='after'>After the embed</p></body></html>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", host_port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{api_port}", host_origin
    server.should_exit = True
    httpd.shutdown()
    get_settings.cache_clear()


def names(frame) -> list[str]:
    return frame.locator("#scores tbody th").all_inner_texts()


def test_snippet_embeds_resizes_sorts_filters_and_is_safe(servers):
    from playwright.sync_api import sync_playwright

    api, host = servers
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{host}/index.html")
        iframe = page.locator("iframe")
        iframe.wait_for()
        # The snippet starts the iframe at 600px; frame.js reports the content's height.
        page.wait_for_function("() => { const f = document.querySelector('iframe');"
                               " return f && f.style.height && f.style.height !== '600px'; }", timeout=10000)
        height = page.evaluate("() => parseInt(document.querySelector('iframe').style.height)")
        frame = page.frame_locator("iframe")
        content = iframe.element_handle().content_frame()
        content.wait_for_selector("#scores")
        assert 100 < height < 600
        assert abs(height - content.evaluate("() => document.documentElement.getBoundingClientRect().height")) <= 2
        assert names(frame) == ["Ann Adams", "Bob Baker", "Cara Cruz"]
        # Sort by score (descending first), with the mouse.
        frame.locator("thead a[data-sort=score]").click()
        content.wait_for_url("**sort=score**")
        assert names(frame) == ["Ann Adams", "Cara Cruz", "Bob Baker"]
        # Keyboard only: tab to the Name header link and press Enter, twice (asc, then desc).
        content.focus("thead a[data-sort=name]")
        page.keyboard.press("Enter")
        content.wait_for_url("**sort=name**")
        content.focus("thead a[data-sort=name]")
        page.keyboard.press("Enter")
        content.wait_for_url("**dir=desc**")
        assert names(frame) == ["Cara Cruz", "Bob Baker", "Ann Adams"]
        # Filter by party with the form, from the keyboard.
        content.select_option("select[name=party]", "Democratic")
        content.focus("form.filters button[type=submit]")
        page.keyboard.press("Enter")
        content.wait_for_url("**party=Democratic**")
        assert names(frame) == ["Cara Cruz", "Ann Adams"]
        # Tab order reaches the search box from the top of the frame.
        content.focus("a.skip")
        for _ in range(3):
            page.keyboard.press("Tab")
        assert content.evaluate("() => document.activeElement.name") in ("q", "district", "chamber")
        # No payload ran, in the embed or on the full pages that show the bill title.
        assert page.evaluate("() => window.__xss") is None
        assert content.evaluate("() => window.__xss") is None
        full = browser.new_page()
        full.goto(f"{api}/c/edfund/scorecards/house-2025")
        full.goto(f"{api}/c/edfund/scorecards/house-2025/legislators/bioguide:A000001")
        assert "<script>window.__xss" in full.inner_text("body")
        assert full.evaluate("() => window.__xss") is None
        # Only the two local origins were contacted.
        assert {r.split("/")[2] for r in requests} <= {host.split("/")[2], api.split("/")[2]}
        out = ROOT / "test-artifacts"
        out.mkdir(exist_ok=True)
        page.goto(f"{host}/index.html")
        page.wait_for_function("() => { const f = document.querySelector('iframe');"
                               " return f && f.style.height && f.style.height !== '600px'; }", timeout=10000)
        page.screenshot(path=str(out / "scorecard-embed.png"), full_page=True)
        browser.close()
    assert (out / "scorecard-embed.png").stat().st_size > 1000


def test_embed_refused_by_an_unlisted_origin(servers):
    """A page of an origin the coalition does not list cannot frame the scorecard (CSP)."""
    from playwright.sync_api import sync_playwright

    api, host = servers
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        # localhost is another origin than 127.0.0.1 for the browser.
        other = host.replace("127.0.0.1", "localhost")
        page.goto(f"{other}/index.html")
        page.locator("iframe").wait_for()
        time.sleep(1.0)
        child = [f for f in page.frames if f is not page.main_frame][0]
        try:  # Chromium shows its own error page in a refused frame (chrome-error://...)
            has_table = child.evaluate("() => !!document.querySelector('#scores')")
        except Exception:  # noqa: BLE001 - an error page may not be scriptable at all
            has_table = False
        assert not has_table
        browser.close()
