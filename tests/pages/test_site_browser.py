"""Every page type in Chromium at 360 and 1280 px: no axe-core violations, no sideways scrolling,
keyboard use, screenshots in test-artifacts/pages/. The demo's data, as a new user sees it."""
from __future__ import annotations

import pytest

from tests.web import check_page, chromium_page

PAGES = [
    ("home", "/"),
    ("home-search", "/?q=school&stage=in_committee"),
    ("bill-enacted", "/bill/us-119-s410"),
    ("bill-failed", "/bill/us-119-hr1822"),
    ("bill-dead-ky", "/bill/ky-2025-hb215"),
    ("bill-ca", "/bill/ca-20252026-ab412"),
    ("coalition-home", "/c/demo-public-schools/"),
    ("not-found", "/bill/us-119-hr99999"),
]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_types_are_accessible_at_both_widths(demo_server, lang):
    with chromium_page(locale="es-ES" if lang == "es" else "en-US") as page:
        for name, path in PAGES:
            check_page(page, f"{demo_server}{path}", f"{name}-{lang}")
            assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.outside_requests == []


def test_failed_bill_timeline_shows_how_far_it_got(demo_server):
    with chromium_page() as page:
        page.goto(f"{demo_server}/bill/us-119-hr1822")
        steps = page.locator("ol.timeline li")
        texts = [s.inner_text().replace("✓", "").strip() for s in steps.all()]
        current = page.locator("ol.timeline li[aria-current=step]")
        assert current.count() == 1 and current.inner_text().strip() == "Failed"
        done = page.locator("ol.timeline li.done")
        assert done.count() >= 1, texts  # it was at least introduced before it failed
        assert texts.index("Failed") == done.count()  # the end comes right after the last step reached


def test_keyboard_skip_link_and_language_switch(demo_server):
    with chromium_page() as page:
        page.goto(f"{demo_server}/bill/us-119-s410")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused.strip() == "Skip to content"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        # Tab to the language switch (past the page's links, the footer, round to the header) and
        # follow it with the keyboard alone.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('hreflang')") == "es":
                break
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate("document.documentElement.lang") == "es"
        assert "Promulgado" in page.content()


def test_docs_render_offline(demo_server):
    with chromium_page() as page:
        page.goto(f"{demo_server}/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        assert page.locator(".opblock").count() > 5
        assert page.outside_requests == []


def test_the_checks_can_fail():
    """The harness itself: axe reports a real violation and the overflow check sees a wide page."""
    from tests.web import axe_violations, sideways_overflow

    with chromium_page() as page:
        page.set_viewport_size({"width": 360, "height": 800})
        page.set_content('<html><body><img src="data:,"><div style="width:900px">wide</div>'
                         '<input type="text"></body></html>')
        ids = {v["id"] for v in axe_violations(page)}
        assert {"image-alt", "html-has-lang", "label"} <= ids
        assert sideways_overflow(page) > 0
