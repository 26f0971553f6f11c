"""Staff administration (issue 17): invitations by email, roles, deactivation, password reset
links sent by an admin, the audit log; editors get 403, other coalitions get nothing. SQLite
and PostgreSQL; mail through a real SMTP server (aiosmtpd)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlmodel import Session

from api.app import create_app
from tests.alerts.mailserver import serving
from tracker.coalitions import audit, team
from tracker.coalitions.auth import hash_password
from tracker.models import AuditEntry, Coalition, StaffInvitation, StaffUser
from tracker.models.base import utcnow

SECRET = "staff-admin-test-secret-key-0123456789abcdef"
ADMIN = ("ada@fair.example", "admin-pass-123")
EDITOR = ("ed@fair.example", "editor-pass-123")


@pytest.fixture
def env(app_env, monkeypatch):
    with serving(monkeypatch, SECRET_KEY=SECRET, PUBLIC_URL="http://testserver",
                 MAIL_FROM="Ed Tracker <staff@edtracker.test>") as server:
        yield server


@pytest.fixture
def world(env, engine):
    with Session(engine) as db:
        for slug, name in (("fair", "Fair Schools"), ("other", "Other Coalition")):
            db.add(Coalition(slug=slug, name=name))
        db.flush()
        fair, other = (db.execute(select(Coalition).where(Coalition.slug == s)).scalar_one() for s in ("fair", "other"))
        db.add(StaffUser(coalition_id=fair.id, email=ADMIN[0], password_hash=hash_password(ADMIN[1]), role="admin"))
        db.add(StaffUser(coalition_id=fair.id, email=EDITOR[0], password_hash=hash_password(EDITOR[1]), role="editor"))
        db.add(StaffUser(coalition_id=other.id, email="oz@other.example", password_hash=hash_password(ADMIN[1]),
                         role="admin"))
        db.commit()
    return engine


def client(address: str = "198.51.100.7") -> TestClient:
    return TestClient(create_app(), client=(address, 40000), follow_redirects=False)


def token_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(c: TestClient, who=ADMIN, slug: str = "fair") -> TestClient:
    r = c.post(f"/c/{slug}/staff/login", data={"email": who[0], "password": who[1],
                                               "csrf": token_of(c.get(f"/c/{slug}/staff/login").text)})
    assert r.status_code == 303, r.text
    return c


def post(c: TestClient, path: str, **data):
    return c.post(path, data={**data, "csrf": token_of(c.get("/c/fair/staff/people").text)})


def uid(engine, email: str) -> int:
    with Session(engine) as db:
        return db.execute(select(StaffUser.id).where(StaffUser.email == email)).scalar_one()


def body(msg) -> str:
    return msg.get_body(("plain",)).get_content()


# --- the audit service -------------------------------------------------------------------------

def test_record_and_read_the_audit_log(world):
    with Session(world) as db:
        fair, other = (db.execute(select(Coalition).where(Coalition.slug == s)).scalar_one() for s in ("fair", "other"))
        ada = db.execute(select(StaffUser).where(StaffUser.email == ADMIN[0])).scalar_one()
        audit.record(db, fair, ada, "staff.invited", "new@fair.example", {"role": "editor"})
        audit.record(db, fair.id, "api key 1a2b", "scorecard.published", "ky-2025")
        audit.record(db, other, None, "webhook.revoked", "https://x.example/")
        db.commit()
        page = audit.entries(db, fair)
        assert page.total == 2
        assert [(e.actor, e.action, e.target) for e in page.entries] == [
            ("api key 1a2b", "scorecard.published", "ky-2025"), (ADMIN[0], "staff.invited", "new@fair.example")]
        assert page.entries[1].actor_id == ada.id and page.entries[1].detail == {"role": "editor"}
        assert [e.action for e in audit.entries(db, fair, action="staff.").entries] == ["staff.invited"]
        assert audit.entries(db, other).entries[0].actor == "system"
        # A LIKE wildcard in the filter is taken literally.
        assert audit.entries(db, fair, action="%").total == 0
        with pytest.raises(ValueError):
            audit.record(db, fair, ada, "", None)


# --- invitations -------------------------------------------------------------------------------

def invite(c: TestClient, email: str, role: str = "editor", lang: str = "en"):
    return post(c, "/c/fair/staff/people/invite", email=email, role=role, mail_lang=lang)


def invite_link(msg) -> str:
    return re.search(r"http://testserver(/c/fair/staff/invite/[^\s?]+)", body(msg)).group(1)


def accept(c: TestClient, path: str, name="Nia Newcomer", password="newcomer-pass-1", again=None):
    c.get(path)
    return c.post(path, data={"display_name": name, "new_password": password,
                              "new_password_again": again or password,
                              "csrf": token_of(c.get("/c/fair/staff/login").text)})


def test_an_invitation_is_emailed_and_accepted_once(world, env):
    admin = login(client())
    r = invite(admin, "  Nia@Fair.Example ", "editor")
    assert r.status_code == 303 and r.headers["location"] == "/c/fair/staff/people?done=invited"
    (msg,) = env.inbox.messages
    assert msg["To"] == "nia@fair.example" and msg["Subject"] == "You are invited to the Fair Schools staff workspace"
    assert "with the editor role" in body(msg)
    page = admin.get("/c/fair/staff/people?done=invited").text
    assert "The invitation is sent." in page and "nia@fair.example" in page
    with Session(world) as db:
        (inv,) = db.execute(select(StaffInvitation)).scalars().all()
        assert inv.token_hash not in body(msg)     # only the hash is stored

    path = invite_link(msg)
    newcomer = client("203.0.113.20")
    form = newcomer.get(path)
    assert form.status_code == 200 and form.headers["referrer-policy"] == "no-referrer"
    assert "nia@fair.example" in form.text
    # Field errors next to the field; nothing is created.
    bad = accept(newcomer, path, name="  ")
    assert bad.status_code == 422 and 'id="display_name-error"' in bad.text and "Enter your name." in bad.text
    short = accept(newcomer, path, password="short")
    assert short.status_code == 422 and 'id="new_password-error"' in short.text
    differ = accept(newcomer, path, again="another-pass-1")
    assert differ.status_code == 422 and 'id="new_password_again-error"' in differ.text
    assert newcomer.post(path, data={"display_name": "X", "new_password": "newcomer-pass-1",
                                     "new_password_again": "newcomer-pass-1"}).status_code == 403   # CSRF
    ok = accept(newcomer, path)
    assert ok.status_code == 303 and ok.headers["location"] == "/c/fair/staff/"
    assert newcomer.get("/c/fair/staff/").status_code == 200          # logged in at once
    with Session(world) as db:
        nia = db.execute(select(StaffUser).where(StaffUser.email == "nia@fair.example")).scalar_one()
        assert (nia.role, nia.display_name, nia.active) == ("editor", "Nia Newcomer", True)
    # The link works once; the new password logs in.
    assert client().get(path).status_code == 400
    assert accept(client(), path).status_code == 400
    login(client("203.0.113.21"), ("nia@fair.example", "newcomer-pass-1"))
    log = admin.get("/c/fair/staff/audit").text
    assert "Accepted an invitation" in log and "Invited" in log and ADMIN[0] in log


def test_invitation_errors_expiry_reinvite_and_revoke(world, env):
    admin = login(client())
    r = invite(admin, "not-an-address")
    assert r.status_code == 422 and 'aria-invalid="true" aria-describedby="invite-email-error"' in r.text
    assert "Enter an email address" in r.text and 'value="not-an-address"' in r.text
    r = invite(admin, EDITOR[0])
    assert r.status_code == 422 and "This address already has a staff account here." in r.text
    assert invite(admin, "x@fair.example", role="owner").status_code == 422
    assert env.inbox.messages == []

    invite(admin, "late@fair.example", lang="es")
    first = env.inbox.messages[-1]
    assert "Invitación" in first["Subject"] and "con el rol de editor" in body(first)
    assert "?lang=es" in body(first)
    invite(admin, "late@fair.example", role="viewer")     # a new invitation: the old link stops working
    second = env.inbox.messages[-1]
    assert client().get(invite_link(first)).status_code == 400
    assert client().get(invite_link(second)).status_code == 200
    with Session(world) as db:
        db.execute(update(StaffInvitation).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
        db.commit()
    assert accept(client(), invite_link(second)).status_code == 400

    invite(admin, "gone@fair.example")
    with Session(world) as db:
        inv = db.execute(select(StaffInvitation).where(StaffInvitation.email == "gone@fair.example")).scalar_one()
    assert post(admin, f"/c/fair/staff/people/invitations/{inv.id}/revoke").status_code == 303
    assert client().get(invite_link(env.inbox.messages[-1])).status_code == 400
    # Another coalition's invitation link is nothing here.
    invite(admin, "cross@fair.example")
    assert client().get(invite_link(env.inbox.messages[-1]).replace("/c/fair/", "/c/other/")).status_code == 400


def test_an_invitation_waits_in_the_outbox_while_the_mail_server_is_down(world, env, monkeypatch):
    import datetime as dt

    from tracker.alerts.dispatch import send_due
    from tracker.models import Delivery
    from tracker.settings import get_settings

    env.stop()          # the SMTP server is down: the invitation is kept and queued, not lost
    get_settings.cache_clear()
    admin = login(client())
    before = len(env.inbox.messages)
    assert invite(admin, "later@fair.example").status_code == 303
    with Session(world) as db:
        assert db.execute(select(StaffInvitation).where(StaffInvitation.email == "later@fair.example")).first()
        queued = db.execute(select(Delivery).where(Delivery.purpose == "invitation",
                                                   Delivery.recipient == "later@fair.example")).scalar_one()
        assert queued.state != "sent"
    env.start()
    get_settings.cache_clear()
    send_due(world, get_settings(), now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1))
    assert len(env.inbox.messages) == before + 1
    assert "later@fair.example" in str(env.inbox.messages[-1]["To"])


# --- roles, deactivation, resets ------------------------------------------------------------------

def test_role_changes_and_the_last_admin(world):
    admin = login(client())
    ed, me = uid(world, EDITOR[0]), uid(world, ADMIN[0])
    assert post(admin, f"/c/fair/staff/people/{ed}/role", role="admin").status_code == 303
    with Session(world) as db:
        assert db.get(StaffUser, ed).role == "admin"
    # Nobody changes their own role (the message sits in one's own row).
    r = post(admin, f"/c/fair/staff/people/{me}/role", role="viewer")
    assert r.status_code == 422 and "You cannot change your own account here." in r.text
    assert f'id="error-{me}"' in r.text
    assert post(admin, f"/c/fair/staff/people/{ed}/role", role="viewer").status_code == 303
    assert post(admin, f"/c/fair/staff/people/{ed}/role", role="owner").status_code == 422
    # The last active admin cannot be demoted nor deactivated, by anyone.
    with Session(world) as db:
        fair = db.execute(select(Coalition).where(Coalition.slug == "fair")).scalar_one()
        ada, edu = db.get(StaffUser, me), db.get(StaffUser, ed)
        for change in (lambda: team.change_role(db, fair, edu, me, "editor"),
                       lambda: team.set_active(db, fair, edu, me, False)):
            with pytest.raises(team.TeamError) as exc:
                change()
            assert exc.value.code == "last_admin"
        assert ada.role == "admin" and ada.active
        with pytest.raises(LookupError):    # an account of another coalition is not "in" this one
            team.change_role(db, fair, ada, uid(world, "oz@other.example"), "viewer")
    with Session(world) as db:
        entries = [(e.action, e.target, e.detail) for e in audit.entries(db, uid_coalition(world)).entries]
    assert entries == [("staff.role_changed", EDITOR[0], {"from": "admin", "to": "viewer"}),
                       ("staff.role_changed", EDITOR[0], {"from": "editor", "to": "admin"})]


def uid_coalition(engine, slug: str = "fair") -> int:
    with Session(engine) as db:
        return db.execute(select(Coalition.id).where(Coalition.slug == slug)).scalar_one()


def test_deactivation_ends_sessions_at_once_and_reactivation(world):
    admin = login(client())
    editor = login(client("203.0.113.30"), EDITOR)
    assert editor.get("/c/fair/staff/").status_code == 200
    ed = uid(world, EDITOR[0])
    assert post(admin, f"/c/fair/staff/people/{ed}/active", active="0").status_code == 303
    # The editor's next request finds no session: back to the login page.
    r = editor.get("/c/fair/staff/")
    assert r.status_code == 303 and r.headers["location"] == "/c/fair/staff/login"
    assert client("203.0.113.31").post("/c/fair/staff/login", data={
        "email": EDITOR[0], "password": EDITOR[1],
        "csrf": token_of(editor.get("/c/fair/staff/login").text)}).status_code in (401, 403)
    page = admin.get("/c/fair/staff/people").text
    assert "Deactivated" in page and "Reactivate" in page
    me = uid(world, ADMIN[0])
    r = post(admin, f"/c/fair/staff/people/{me}/active", active="0")
    assert r.status_code == 422 and f'id="error-{me}"' in r.text
    assert "You cannot change your own account here." in r.text
    assert post(admin, f"/c/fair/staff/people/{ed}/active", active="1").status_code == 303
    login(client("203.0.113.32"), EDITOR)
    actions = [e.action for e in audit.entries(Session(world), uid_coalition(world)).entries]
    assert actions[:2] == ["staff.reactivated", "staff.deactivated"]


def test_an_admin_sends_a_password_reset_link(world, env):
    admin = login(client())
    editor = login(client("203.0.113.40"), EDITOR)
    ed = uid(world, EDITOR[0])
    assert post(admin, f"/c/fair/staff/people/{ed}/reset", mail_lang="en").status_code == 303
    (msg,) = env.inbox.messages
    assert msg["To"] == EDITOR[0] and "Reset your Fair Schools staff password" == msg["Subject"]
    path = re.search(r"http://testserver(/c/fair/staff/reset/\S+)", body(msg)).group(1)
    other = client("203.0.113.41")
    form = other.get(path)
    r = other.post(path, data={"new_password": "brand-new-pass-1", "new_password_again": "brand-new-pass-1",
                               "csrf": token_of(form.text)})
    assert r.status_code == 303
    assert editor.get("/c/fair/staff/").status_code == 303          # old sessions ended
    login(client("203.0.113.42"), (EDITOR[0], "brand-new-pass-1"))
    # Bounded per account and hour like the public form; the admin is told next to the row.
    for _ in range(2):
        post(admin, f"/c/fair/staff/people/{ed}/reset")
    r = post(admin, f"/c/fair/staff/people/{ed}/reset")
    assert r.status_code == 422 and f'id="error-{ed}"' in r.text and "Too many reset emails" in r.text
    assert len(env.inbox.messages) == 3
    assert "Password reset link sent" in admin.get("/c/fair/staff/audit").text


# --- who may do what -------------------------------------------------------------------------------

ADMIN_PAGES = ["/c/fair/staff/people", "/c/fair/staff/audit", "/c/fair/staff/operations", "/c/fair/staff/quality",
               "/c/fair/staff/crawls", "/c/fair/staff/alerts", "/c/fair/staff/webhooks"]


def test_editors_get_403_and_other_coalitions_nothing(world, env):
    editor = login(client(), EDITOR)
    ada = uid(world, ADMIN[0])
    for path in ADMIN_PAGES:
        r = editor.get(path, headers={"accept": "text/html"})
        assert r.status_code == 403 and r.headers["content-type"].startswith("text/html"), path
    token = token_of(editor.get("/c/fair/staff/").text)
    for path, data in ((f"/c/fair/staff/people/invite", {"email": "x@fair.example", "role": "admin"}),
                       (f"/c/fair/staff/people/{ada}/role", {"role": "viewer"}),
                       (f"/c/fair/staff/people/{ada}/active", {"active": "0"}),
                       (f"/c/fair/staff/people/{ada}/reset", {}),
                       ("/c/fair/staff/webhooks", {"url": "https://example.org/hook"})):
        assert editor.post(path, data={**data, "csrf": token}).status_code == 403, path
    assert env.inbox.messages == []
    with Session(world) as db:
        assert db.get(StaffUser, ada).role == "admin" and db.execute(select(StaffInvitation)).first() is None
    # The admin of another coalition: a login is for one coalition only.
    oz = login(client("203.0.113.50"), ("oz@other.example", ADMIN[1]), slug="other")
    for path in ADMIN_PAGES:
        assert oz.get(path).status_code == 303, path
    assert oz.get("/c/other/staff/people").status_code == 200
    # ... and cannot act on this coalition's accounts through its own pages.
    other_token = token_of(oz.get("/c/other/staff/people").text)
    assert oz.post(f"/c/other/staff/people/{ada}/active", data={"active": "0", "csrf": other_token}).status_code == 404
    # Anonymous: the login page.
    for path in ADMIN_PAGES:
        assert client().get(path).headers.get("location") == "/c/fair/staff/login", path
    # Forms without the CSRF token are refused.
    admin = login(client("203.0.113.60"))
    assert admin.post("/c/fair/staff/people/invite", data={"email": "x@fair.example", "role": "editor"}).status_code == 403


def test_people_page_in_spanish(world):
    admin = login(client())
    page = admin.get("/c/fair/staff/people?lang=es").text
    assert 'lang="es"' in page and "Invitar a alguien" in page and "Cuentas del personal" in page
    assert "Administrador" in page and "Desactivar" in page
    assert f"{ADMIN[0]} (Administrador)" in page          # the role in the header, in the page's language
    assert "Registro de auditoría" in admin.get("/c/fair/staff/audit").text


def test_account_actions_outside_the_people_page_are_audited(world, env, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app as cli

    # One's own password change, and a reset through the emailed link.
    editor = login(client(), EDITOR)
    page = editor.get("/c/fair/staff/password")
    r = editor.post("/c/fair/staff/password", data={"current_password": EDITOR[1], "new_password": "changed-pass-1",
                                                     "new_password_again": "changed-pass-1", "csrf": token_of(page.text)})
    assert r.status_code == 200
    anon = client("203.0.113.70")
    anon.post("/c/fair/staff/forgot", data={"email": EDITOR[0], "csrf": token_of(anon.get("/c/fair/staff/forgot").text)})
    path = re.search(r"http://testserver(/c/fair/staff/reset/\S+)", body(env.inbox.messages[-1])).group(1)
    anon.post(path, data={"new_password": "reset-pass-12", "new_password_again": "reset-pass-12",
                          "csrf": token_of(anon.get(path).text)})
    # The command line: a new account, then deactivated.
    runner = CliRunner()
    monkeypatch.setenv("EDTRACKER_NEW_PASSWORD", "cli-pass-1234")
    assert runner.invoke(cli, ["coalition", "add-user", "fair", "cli@fair.example", "--role", "editor"]).exit_code == 0
    assert runner.invoke(cli, ["coalition", "deactivate-user", "fair", "cli@fair.example"]).exit_code == 0
    with Session(world) as db:
        got = [(e.actor, e.action, e.target) for e in audit.entries(db, uid_coalition(world)).entries]
    assert got == [("command line", "staff.deactivated", "cli@fair.example"),
                   ("command line", "staff.added", "cli@fair.example"),
                   (EDITOR[0], "staff.password_reset", EDITOR[0]),
                   (EDITOR[0], "staff.password_changed", EDITOR[0])]
    log = login(client("203.0.113.71")).get("/c/fair/staff/audit?group=staff").text
    assert "Password changed" in log and "Account made with the command line" in log
