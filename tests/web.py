"""Browser tests' tools: Debian's Chromium through Playwright, axe-core, a live server, screenshots.

Chromium (`/usr/bin/chromium`) and axe-core (`./dev test` installs the npm package and exports
`EDTRACKER_AXE_JS`) are looked for, never downloaded. Without them a test skips saying why,
except when `EDTRACKER_REQUIRE_BROWSER=1` (CI sets it): then a missing tool fails the run.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (360, 1280)
# WCAG 2.1 A and AA: what the pages promise.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing(reason: str):
    if os.environ.get("EDTRACKER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (EDTRACKER_REQUIRE_BROWSER=1: browser checks are required here)")
    pytest.skip(reason)


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} not found: install Debian's chromium (./dev test does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("the playwright package (dev extras) is not installed")


def axe_script() -> Path:
    path = Path(os.environ.get("EDTRACKER_AXE_JS", ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"))
    if not path.exists():
        _missing(f"axe-core not found at {path}: ./dev test installs it with npm")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(database_url: str, data_dir: Path, today: dt.date | None = None, **env_extra: str):
    """`uvicorn api.app:create_app` on a free port for `database_url`; yields its base URL. With
    `today` (a day inside dated test data) the server judges "current" as of it (`EDTRACKER_AS_OF`)."""
    port = free_port()
    env = {**os.environ, "EDTRACKER_DATABASE_URL": database_url, "EDTRACKER_DATA_DIR": str(data_dir),
           "EDTRACKER_SECRET_KEY": "test-secret-key-test-secret-key-123",
           "EDTRACKER_PUBLIC_URL": f"http://127.0.0.1:{port}", **env_extra}
    if today is not None:
        env["EDTRACKER_AS_OF"] = today.isoformat()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=ROOT, env=env)
    try:
        for _ in range(200):
            if proc.poll() is not None:
                raise RuntimeError(f"the test server exited with {proc.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def block_outside(page, allowed_host: str = "127.0.0.1") -> list[str]:
    """Abort every request that leaves `allowed_host`; returns the list of what was attempted."""
    attempted: list[str] = []

    def handle(route):
        if urlsplit(route.request.url).hostname in (allowed_host, "localhost") \
                or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()
    page.route("**/*", handle)
    return attempted


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (id, help, targets)."""
    # Through DevTools, not a <script> tag: the pages' CSP (script-src 'self') refuses inline scripts.
    page.evaluate(axe_script().read_text(encoding="utf-8") + "\n;undefined")
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
            for v in found]


def sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 = no sideways scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def check_page(page, url: str, name: str, widths=WIDTHS) -> None:
    """Open `url` at each width: no axe violations, no sideways scrolling; screenshots saved."""
    out = ARTIFACTS / "pages"
    out.mkdir(parents=True, exist_ok=True)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status < 500, f"{url}: HTTP {response and response.status}"
        page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
        assert sideways_overflow(page) <= 0, f"{url} scrolls sideways at {width} px"
        violations = axe_violations(page)
        assert violations == [], f"{url} at {width} px: {violations}"


@contextlib.contextmanager
def chromium_page(**context_args):
    """A fresh Chromium page (own context) that may only reach 127.0.0.1."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(**context_args)
            page = context.new_page()
            page.outside_requests = block_outside(page)
            yield page
        finally:
            browser.close()


@contextlib.contextmanager
def partner_site(folder: Path, api: str, scorecard: str):
    """A page on another origin (a second local server) embedding `scorecard` ("coalition/slug")
    with the one-line snippet; yields that origin."""
    import functools
    import http.server
    import threading

    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><head><title>Partner</title></head><body><main><h1>Our legislators</h1>"
        f'<script src="{api}/embed.js" data-scorecard="{scorecard}" async></script></main></body></html>')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def allow_and_open_embed(page, partner: str) -> list[str]:
    """On the staff embed page: allow `partner`'s origin, then open its page and return the names
    listed by the embedded scorecard."""
    page.fill("#embed_origins", partner)
    page.click("form[action$='/staff/embed'] button")
    page.wait_for_url("**saved=1**")
    page.goto(f"{partner}/index.html")
    frame = page.frame_locator("iframe")
    frame.locator("#scores tbody th").first.wait_for(timeout=15000)
    return frame.locator("#scores tbody th").all_inner_texts()
