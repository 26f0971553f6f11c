"""Issue 18 in Chromium: the journey from a bill's Follow link through sign-up, the confirmation
email (received by aiosmtpd), the confirm page, an alert after an event, and a one-click
unsubscribe; and the sign-up, preferences and unsubscribe pages checked by axe at 360 and 1280 px
in English and Spanish. Screenshots in test-artifacts/pages/."""
from __future__ import annotations

import datetime as dt
import re
import time
import urllib.request

import pytest
from sqlmodel import Session, select

from tests import factories as f
from tests.alerts.helpers import ingest, moved_bill, subscribe
from tests.alerts.mailserver import MailServer
from tests.web import ARTIFACTS, check_page, chromium_page, live_server
from tracker.alerts.tokens import make_token
from tracker.db import get_engine
from tracker.models import Subscriber, Subscription
from tracker.models.base import utcnow

SECRET = "test-secret-key-test-secret-key-123"  # what tests.web.live_server gives the server


@pytest.fixture
def world(db_url, tmp_path, monkeypatch):
    """A server on a store holding H.R. 5, a real SMTP server it sends to, and the same settings
    in this process (the dispatcher runs here)."""
    from tracker.settings import get_settings

    engine = get_engine(db_url)
    ingest(engine, f.batch())
    mail = MailServer().start()
    try:
        with live_server(db_url, tmp_path, EDTRACKER_SMTP_URL=mail.url,
                         EDTRACKER_MAIL_FROM="Ed Alerts <alerts@edtracker.test>") as base:
            for k, v in {"EDTRACKER_DATABASE_URL": db_url, "EDTRACKER_SECRET_KEY": SECRET, "EDTRACKER_PUBLIC_URL": base,
                         "EDTRACKER_SMTP_URL": mail.url, "EDTRACKER_ALERTS_SETTLE_SECONDS": "0",
                         "EDTRACKER_DATA_DIR": str(tmp_path), "EDTRACKER_MAIL_FROM": "Ed Alerts <alerts@edtracker.test>"}.items():
                monkeypatch.setenv(k, v)
            get_settings.cache_clear()
            yield base, mail, engine
    finally:
        mail.stop()
        get_settings.cache_clear()


def wait_for(mail, n: int, seconds: float = 15):
    for _ in range(int(seconds * 10)):
        if len(mail.inbox.messages) >= n:
            return mail.inbox.messages[n - 1]
        time.sleep(0.1)
    raise AssertionError(f"no message {n} after {seconds} s ({len(mail.inbox.messages)} received)")


def test_follow_confirm_alert_and_one_click_unsubscribe(world):
    from tracker.alerts import jobs

    base, mail, engine = world
    shots = ARTIFACTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        assert page.goto(f"{base}/bill/us-119-hr5").status == 200
        # The bill page's Follow button (bill, legislator and committee pages carry one) opens
        # this address: the contract every page uses.
        page.goto(f"{base}/alerts/signup?target_type=bill&target=us-119-hr5")
        assert page.locator("#followed-name").inner_text() == "H.R. 5: Community Schools Act of 2025 (5)"
        page.screenshot(path=str(shots / "alerts-follow-bill.png"), full_page=True)
        # Keyboard only: into the one field, type, Enter.
        page.locator("input[type=email]").focus()
        page.keyboard.type("ada@example.org")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Check your email"

        confirmation = wait_for(mail, 1)
        assert confirmation["Subject"] == "Confirm your edtracker alert"
        text = confirmation.get_body(("plain",)).get_content()
        assert "H.R. 5: Community Schools Act of 2025 (5)" in text and "us-119-hr5" not in text.split("http")[0]
        confirm_url = re.search(rf"{re.escape(base)}/alerts/confirm/\S+", text).group(0)
        page.goto(confirm_url)
        assert page.locator("h1").inner_text() == "Alert confirmed"
        assert "H.R. 5: Community Schools Act of 2025 (5)" in page.locator("main").inner_text()
        page.screenshot(path=str(shots / "alerts-confirmed.png"), full_page=True)

        ingest(engine, [moved_bill()])
        out = jobs.dispatch(now=utcnow() + dt.timedelta(minutes=1))
        assert out["sent"] == 2, out  # the stage change and the new action
        alert = wait_for(mail, 3)
        raw = mail.inbox.raw[1]
        assert all("Passed second chamber" in m.get_body(("plain",)).get_content() for m in mail.inbox.messages[1:])
        unsubscribe = re.search(rb"\r\nList-Unsubscribe: <([^>]+)>\r\n", raw).group(1).decode()
        assert unsubscribe.startswith(f"{base}/alerts/unsubscribe/")
        assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
        # The email's link opens the bill's page, not JSON.
        bill_link = re.search(r'href="([^"]+/bill/[^"]+)"', alert.get_body(("html",)).get_content()).group(1)
        response = page.goto(bill_link)
        assert response.status == 200 and response.headers["content-type"].startswith("text/html")
        # A GET of the unsubscribe link (mail scanners open links) only asks.
        page.goto(unsubscribe)
        page.screenshot(path=str(shots / "alerts-unsubscribe-ask.png"), full_page=True)
        assert page.locator("button[type=submit]").inner_text() == "Unsubscribe"

    with Session(engine) as s:
        assert s.exec(select(Subscription.active)).all() == [True]
    # What a mail client sends for RFC 8058: a POST with no cookie and no CSRF token.
    req = urllib.request.Request(unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
    with Session(engine) as s:
        assert s.exec(select(Subscription.active)).all() == [False]
    ingest(engine, [f.vote(key="us-house-2025-18", roll_number="18")])
    jobs.dispatch(now=utcnow() + dt.timedelta(minutes=2))
    time.sleep(0.5)
    assert len(mail.inbox.messages) == 3


@pytest.mark.parametrize("lang", ["en", "es"])
def test_alert_pages_pass_axe_at_both_widths(world, lang):
    base, _, engine = world
    sid = subscribe(engine, "ada@example.org", "bill", "us-119-hr5")
    with Session(engine) as s:
        person = s.exec(select(Subscriber)).one()
    prefs = make_token(SECRET, "preferences", person.id, person.token_version)
    unsub = make_token(SECRET, "unsubscribe", person.id, person.token_version, sid)
    with chromium_page() as page:
        for name, path in (("alerts-search", "/alerts/signup?target_type=committee&q=education"),
                           ("alerts-search-bills", "/alerts/signup?target_type=bill&q=community+schools"),
                           ("alerts-follow", "/alerts/signup?target_type=bill&target=us-119-hr5"),
                           ("alerts-preferences", f"/alerts/preferences/{prefs}"),
                           ("alerts-unsubscribe", f"/alerts/unsubscribe/{unsub}"),
                           ("alerts-bad-link", f"/alerts/unsubscribe/x{unsub}")):
            check_page(page, f"{base}{path}{'&' if '?' in path else '?'}lang={lang}", f"{name}-{lang}")
            assert page.evaluate("() => document.documentElement.lang") == lang
        page.goto(f"{base}/alerts/signup?target_type=bill&target=us-119-hr5&lang={lang}")
        page.locator("details.more summary").click()  # "More options" opened: still clean
        check_page(page, page.url, f"alerts-follow-more-{lang}", widths=(360,))
        assert page.outside_requests == []
