"""The workspace in headless Chromium (tests/web.py): an admin invites a member organization's
person by email (a real SMTP server), the person accepts the link, sets a stance that differs from
the coalition's, and the staff's matrix shows the disagreement in words; every workspace page
passes axe-core at 360 and 1280 px without sideways scrolling, in English and Spanish.
Screenshots in test-artifacts/pages/ws-*."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from tests import web
from tests.alerts.mailserver import MailServer
from tests.workspace import world as w

NEWCOMER = "pia@parents.example"


@pytest.fixture
def server(sqlite_url, tmp_path):
    web.require_chromium()
    web.axe_script()
    from tracker.coalitions.positions import set_member_stance, set_position
    from tracker.coalitions.watchlist import watch
    from tracker.db import get_engine
    from tracker.models import StaffUser

    engine = get_engine(sqlite_url)
    ids = w.build(engine)
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "support", True, "Charter schools need a fair authorizer", 2, w.EDITOR)
        set_position(db, ids["coalition"], w.HB, "support", True, "Charter schools need a fair authorizer.", 2, w.ADMIN)
        set_position(db, ids["coalition"], w.SB, "oppose_unless_amended", False, "Waiting for the amendment", 1, w.EDITOR)
        set_member_stance(db, ids["coalition"], ids["teachers"], w.SB, stance="oppose", note="Strongly against")
        editor = db.exec(select(StaffUser).where(StaffUser.email == w.EDITOR)).one()
        watch(db, ids["coalition"], w.HB, status="working", note="Meet the committee chair", owner_id=editor.id,
              actor=w.EDITOR)
        db.commit()
    mail = MailServer().start()
    try:
        with web.live_server(sqlite_url, tmp_path, EDTRACKER_SMTP_URL=mail.url) as base:
            yield SimpleNamespace(base=base, mail=mail, ids=ids)
    finally:
        mail.stop()


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/c/edfund/staff/login")
    page.fill("#email", email)
    page.fill("#password", w.PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")


def invitation_link(mail, page) -> str:
    for _ in range(100):      # sent after the answer: give the background task a moment
        got = mail.inbox.to(NEWCOMER)
        if got:
            text = got[0].get_body(("plain",)).get_content()
            return re.search(r"(http://127\.0\.0\.1:\d+/c/edfund/staff/invite/\S+)", text).group(1)
        page.wait_for_timeout(100)
    raise AssertionError(f"no invitation to {NEWCOMER}")


def test_member_invited_by_email_sets_a_differing_stance_and_the_matrix_shows_it(server):
    base, parents = server.base, server.ids["parents"]
    with web.chromium_page(bypass_csp=True) as admin:
        # The admin invites a person of Parents United from the members page, keyboard only.
        log_in(admin, base, w.ADMIN)
        web.check_page(admin, f"{base}/c/edfund/staff/members?lang=en", "ws-members-invite")
        admin.focus(f"#email-{parents}")
        admin.keyboard.type(NEWCOMER)
        admin.keyboard.press("Tab")                   # the language of the email: English stays
        assert admin.input_value(f"#mail_lang-{parents}") == "en"
        with admin.expect_navigation():
            admin.press(f"#email-{parents}", "Enter")
        assert "The invitation is sent." in admin.inner_text("main")
        assert NEWCOMER in admin.inner_text("#m-parents") and NEWCOMER not in admin.inner_text("#m-teachers")
        web.check_page(admin, f"{base}/c/edfund/staff/members?done=invited&lang=en", "ws-members-invited")
        url = invitation_link(server.mail, admin)
        assert admin.outside_requests == []

    with web.chromium_page(bypass_csp=True) as page:
        # The person accepts: the page says which organization they join.
        web.check_page(page, url, "ws-member-accept")
        assert "Join Education Fund for Parents United" in page.inner_text("h1")
        web.check_page(page, url + "?lang=es", "ws-member-accept-es")
        assert "en nombre de Parents United" in page.inner_text("h1")
        page.goto(url + "?lang=en")
        page.fill("#display_name", "Pia Parent")
        page.fill("#new_password", "pia-password-1")
        page.fill("#new_password_again", "pia-password-1")
        with page.expect_navigation():
            page.press("#new_password_again", "Enter")
        assert page.url.endswith("/c/edfund/staff/stances")
        assert "Stances of Parents United" in page.inner_text("main")
        web.check_page(page, f"{base}/c/edfund/staff/stances", "ws-member-stances")
        row = page.locator(f"#s-{w.HB}")
        assert "Support" in row.inner_text()          # the coalition's public position
        assert w.SB not in page.inner_text("table")    # its private one is not shown
        # Keyboard only: choose "Oppose" for HB 369, type a note, submit.
        row.locator("select[name=stance]").focus()
        row.locator("select[name=stance]").select_option("oppose")
        page.keyboard.press("Tab")
        page.keyboard.type("Our board voted against it")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "is saved" in page.inner_text("main")
        assert "differs from the coalition" in page.locator(f"#s-{w.HB}").inner_text()
        web.check_page(page, f"{base}/c/edfund/staff/stances?lang=es", "ws-member-stances-es")
        assert page.goto(f"{base}/c/edfund/staff/matrix").status == 403   # members never see the matrix
        assert page.outside_requests == []

    with web.chromium_page(bypass_csp=True) as page:
        log_in(page, base, w.VIEWER)
        web.check_page(page, f"{base}/c/edfund/staff/matrix?lang=en", "ws-matrix")
        hb = page.locator(f"#x-{w.HB}").inner_text()
        assert "Oppose" in hb and "opposite to the coalition" in hb and "1 disagree" in hb
        assert "Our board voted against it" in hb      # staff see the member's note
        sb = page.locator(f"#x-{w.SB}").inner_text()
        assert "(private)" in sb and "differs from the coalition" in sb
        web.check_page(page, f"{base}/c/edfund/staff/matrix?lang=es", "ws-matrix-es")
        assert "contraria a la coalición" in page.locator(f"#x-{w.HB}").inner_text()
        page.goto(f"{base}/c/edfund/staff/matrix?lang=en")
        assert page.outside_requests == []


def test_workspace_pages_are_accessible_and_forms_show_errors(server):
    base = server.base
    with web.chromium_page(bypass_csp=True) as page:
        log_in(page, base, w.ADMIN)
        for path, name in (("/c/edfund/staff/positions", "ws-positions"),
                           (f"/c/edfund/staff/positions/{w.HB}", "ws-position-history"),
                           ("/c/edfund/staff/members", "ws-members"),
                           ("/c/edfund/staff/watchlist", "ws-watchlist"),
                           ("/c/edfund/?jurisdiction=ms", "ws-bill-list-csv-link")):
            join = "&" if "?" in path else "?"
            web.check_page(page, f"{base}{path}{join}lang=en", name)
            assert page.evaluate("() => document.documentElement.lang") == "en"
            web.check_page(page, f"{base}{path}{join}lang=es", name + "-es")
            assert page.evaluate("() => document.documentElement.lang") == "es"
        page.goto(f"{base}/c/edfund/staff/positions?lang=en")
        history = page.inner_text("table.history")
        assert "Support" in history and w.ADMIN in history
        # Without a stance chosen, the message sits next to the field and the page passes axe.
        page.fill("#bill_key", w.SB)
        with page.expect_navigation():
            page.click("form.ws-form button[type=submit]")
        assert page.inner_text("#err-stance") == "Choose one of the stances in the list."
        assert page.get_attribute("#stance", "aria-describedby") == "err-stance"
        assert web.axe_violations(page) == []
        page.screenshot(path=str(web.ARTIFACTS / "pages" / "ws-position-error-1280.png"), full_page=True)
        # Set it properly: the page of the bill shows the change from what to what.
        page.select_option("#stance", "support")
        page.check("#public")
        with page.expect_navigation():
            page.click("form.ws-form button[type=submit]")
        assert "Oppose unless amended → Support; made public" in page.inner_text("table.history")
        # The CSV link of the coalition's bill list keeps the filter.
        page.goto(f"{base}/c/edfund/?jurisdiction=ms")
        assert page.get_attribute("a[download]", "href") == "/c/edfund/bills.csv?jurisdiction=ms"
        with page.expect_download() as download:
            page.click("a[download]")
        text = open(download.value.path(), encoding="utf-8-sig").read()
        assert text.startswith("key,jurisdiction,") and w.HB in text and w.SB in text
        assert page.outside_requests == []
