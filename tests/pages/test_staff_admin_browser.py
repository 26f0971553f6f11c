"""The admins' pages in Chromium (issue 17), on real Mississippi 2013 roll calls: an admin
invites an editor, who accepts from the emailed link (aiosmtpd); the admin sends the editor a
password reset link, the new password works and the old one does not. Every admin page and the
accept page are free of axe-core violations at 360 and 1280 px, in English and Spanish, and do
not scroll sideways; screenshots in test-artifacts/pages/."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlmodel import Session

from api.app import create_app
from tests.alerts.mailserver import MailServer
from tests.coalitions.test_staff_webhooks import Receiver
from tests.privacy import world as w
from tests.web import axe_violations, block_outside, check_page, chromium_page, live_server, sideways_overflow
from tracker.coalitions.auth import hash_password
from tracker.db import get_engine
from tracker.ingest import Ingestor
from tracker.models import JobRun, Legislator, PersonVote, StaffUser
from tracker.models.base import utcnow
from tracker.settings import Settings

ADMIN = ("ada@edfund.example", "admin-pass-123")
NEWCOMER = "nia@edfund.example"
# A House roll call whose clerk printed the presiding officer's title, not his name (hand-made).
SPEAKER_VOTE = {"type": "vote_event", "key": "ms-test-speaker-1", "jurisdiction": "ms", "session": "2013",
                "bill_key": w.BILL, "chamber": "lower", "date": "2013-02-01", "motion_text": "On Passage",
                "motion_classification": ["passage"], "result": "pass", "counts": {"yes": 1},
                "votes": [{"voter_name": "Mr. Speaker", "option": "yes", "raw_option": "Yea"}],
                "source": {"format": "test", "url": "file:///tests/pages/test_staff_admin_browser.py",
                           "fetched_at": "2013-02-02T00:00:00Z"}}
ADMIN_PAGES = ("people", "audit", "operations", "quality", "crawls", "alerts", "webhooks")


def link(message, kind: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"(http://127\.0\.0\.1:\d+/c/edfund/staff/{kind}/\S+)", text).group(1)


def wait_for_mail(inbox, to: str, n: int, page) -> list:
    for _ in range(100):
        got = inbox.to(to)
        if len(got) >= n:
            return got
        page.wait_for_timeout(100)
    raise AssertionError(f"no email #{n} to {to}")


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/c/edfund/staff/login?lang=en")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_invite_accept_reset_and_every_admin_page(sqlite_url, tmp_path):
    url = sqlite_url
    engine = get_engine(url)
    settings = Settings(database_url=url, data_dir=tmp_path, secret_key="test-secret-key-test-secret-key-123",
                        public_url="http://testserver", _env_file=None)
    w.build(engine, create_app(settings), tmp_path, settings.secret_key)
    Ingestor(engine).ingest([SPEAKER_VOTE])
    now = utcnow()
    with Session(engine) as db:     # a source failing three runs in a row is flagged
        for i in range(3):
            db.add(JobRun(job_id="legiscan-ms", started_at=now - dt.timedelta(hours=3 - i), finished_at=now,
                          outcome="failed", errors=1, message="HTTP 503 from the LegiScan API"))
        db.add(JobRun(job_id="congress-votes", started_at=now, finished_at=now, outcome="success", inserted=4))
        db.commit()
    with Session(engine) as db:
        db.add(StaffUser(coalition_id=1, email=ADMIN[0], display_name="Ada Admin",
                         password_hash=hash_password(ADMIN[1]), role="admin"))
        db.commit()
    mail = MailServer().start()
    try:
        with live_server(url, tmp_path, EDTRACKER_SMTP_URL=mail.url, EDTRACKER_ALERTS_WEBHOOK_ALLOW_LOOPBACK="true") as base, \
                chromium_page() as page:
            log_in(page, base, *ADMIN)
            assert "Ada Admin" not in page.inner_text("header") and ADMIN[0] in page.inner_text("header")
            # The staff menu leads to the admin pages.
            for name in ("People", "Operations", "Webhooks", "Audit log"):
                assert page.locator(f"nav.main a:has-text('{name}')").count() == 1

            # Invite an editor with the keyboard only.
            page.goto(f"{base}/c/edfund/staff/people")
            page.focus("#invite-email")
            page.keyboard.type(NEWCOMER)
            assert page.input_value("#invite-role") == "editor"      # the usual choice comes first
            with page.expect_navigation():
                page.press("#invite-email", "Enter")
            assert "The invitation is sent." in page.inner_text("main")
            assert NEWCOMER in page.inner_text("#invitations ~ table")
            page.screenshot(path=str(w_artifact("staff-admin-invited.png")), full_page=True)
            (invitation,) = wait_for_mail(mail.inbox, NEWCOMER, 1, page)
            assert invitation["Subject"] == "You are invited to the Education Fund staff workspace"
            accept_url = link(invitation, "invite")

            # The editor accepts, in another browser.
            # (a second context of the same browser: Playwright's sync API runs one at a time)
            other = page.context.browser.new_context()
            newcomer = other.new_page()
            newcomer.outside_requests = block_outside(newcomer)
            check_page(newcomer, accept_url, "staff-accept")
            check_page(newcomer, accept_url + "?lang=es", "staff-accept-es")
            newcomer.goto(accept_url + "?lang=en")
            newcomer.fill("#display_name", "Nia Newcomer")
            newcomer.fill("#new_password", "short")
            newcomer.fill("#new_password_again", "short")
            with newcomer.expect_navigation():
                newcomer.click("button:has-text('Join')")
            # The error sits next to the field and is tied to it.
            assert newcomer.get_attribute("#new_password", "aria-invalid") == "true"
            assert "at least 8 characters" in newcomer.inner_text("#new_password-error")
            newcomer.screenshot(path=str(w_artifact("staff-accept-error.png")), full_page=True)
            newcomer.fill("#new_password", "first-pass-123")
            newcomer.fill("#new_password_again", "first-pass-123")
            with newcomer.expect_navigation():
                newcomer.click("button:has-text('Join')")
            assert newcomer.url.endswith("/c/edfund/staff/")
            assert NEWCOMER in newcomer.inner_text("header") and "(Editor)" in newcomer.inner_text("header")
            # An editor sees no admin menu and gets the 403 page.
            assert newcomer.locator("nav.main a:has-text('People')").count() == 0
            resp = newcomer.goto(f"{base}/c/edfund/staff/people")
            assert resp.status == 403 and "admin" in newcomer.inner_text("main")
            newcomer.screenshot(path=str(w_artifact("staff-editor-403.png")), full_page=True)

            # The admin sends a password reset link from the people page.
            page.goto(f"{base}/c/edfund/staff/people")
            row = page.locator("tr", has_text=NEWCOMER)
            assert "Editor" in row.inner_text() and "Active" in row.inner_text()
            with page.expect_navigation():
                row.locator("button:has-text('Email a password reset link')").click()
            assert "A password reset link is sent" in page.inner_text("main")
            reset = wait_for_mail(mail.inbox, NEWCOMER, 2, page)[1]
            assert "Reset your Education Fund staff password" == reset["Subject"]
            newcomer.goto(link(reset, "reset"))
            newcomer.fill("#new_password", "second-pass-456")
            newcomer.fill("#new_password_again", "second-pass-456")
            with newcomer.expect_navigation():
                newcomer.click("button:has-text('Save the new password')")
            assert "/staff/login" in newcomer.url and "Your password is changed" in newcomer.inner_text("main")
            log_in(newcomer, base, NEWCOMER, "first-pass-123")
            assert "Wrong email or password." in newcomer.inner_text("main")
            log_in(newcomer, base, NEWCOMER, "second-pass-456")
            assert newcomer.url.endswith("/c/edfund/staff/") and NEWCOMER in newcomer.inner_text("header")

            assert newcomer.outside_requests == []
            other.close()
            # One click: "Mr. Speaker", as a clerk prints him (hand-made roll call), is a member.
            page.goto(f"{base}/c/edfund/staff/quality")
            row = page.locator("tr", has_text="Mr. Speaker")
            chosen = row.locator("select option").first.inner_text()
            with page.expect_navigation():
                row.locator("button:has-text('This is the same person')").click()
            assert "1 vote(s) matched" in page.inner_text("main") and "Mr. Speaker" not in page.inner_text("main")
            with Session(engine) as db:
                matched = db.execute(select(Legislator.name).join(PersonVote, PersonVote.legislator_id == Legislator.id)
                                     .where(PersonVote.voter_name == "Mr. Speaker")).scalar_one()
            assert matched == chosen

            # A webhook: registered, the secret shown once, a signed test delivery verified.
            rx = Receiver()
            try:
                page.goto(f"{base}/c/edfund/staff/webhooks")
                page.fill("#hook-url", rx.url)
                page.check("input[value='stage_changed']")
                with page.expect_navigation():
                    page.click("button:has-text('Register')")
                rx.secret = page.inner_text("#secret-value")
                for width in (360, 1280):
                    page.set_viewport_size({"width": width, "height": 900})
                    page.screenshot(path=str(w_artifact(f"staff-webhook-secret-{width}.png")), full_page=True)
                    assert axe_violations(page) == [] and sideways_overflow(page) <= 0
                with page.expect_navigation():
                    page.click("button:has-text('Send a test')")
                assert "The test delivery was accepted: HTTP 204." in page.inner_text("#test-result")
                assert rx.secret not in page.content()
                assert [ok for ok, _ in rx.got] == [True]
            finally:
                rx.close()

            # The audit log tells the story; every admin page passes axe in both languages.
            page.goto(f"{base}/c/edfund/staff/audit")
            log = page.inner_text("main")
            for words in ("Invited", "Accepted an invitation", "Password reset link sent", NEWCOMER,
                          "Voter name tied to a legislator", "Webhook registered", "Webhook tested"):
                assert words in log, words
            for name in ADMIN_PAGES:
                check_page(page, f"{base}/c/edfund/staff/{name}?lang=en", f"staff-{name}")
                check_page(page, f"{base}/c/edfund/staff/{name}?lang=es", f"staff-{name}-es")
            assert page.outside_requests == []
    finally:
        mail.stop()


def w_artifact(name: str):
    from tests.web import ARTIFACTS

    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / "pages" / name
