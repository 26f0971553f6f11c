"""A member organization's people are invited by email (issue 17): the service (SQLite and
PostgreSQL), and over HTTP with a real SMTP server (aiosmtpd): an admin invites from the members
page, the person accepts, logs in and sets only its own organization's stances; revocation; the
audit log."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.app import create_app
from tests.alerts.mailserver import serving
from tests.workspace import world as w
from tracker.coalitions import audit, team
from tracker.coalitions.mail import invitation_email
from tracker.coalitions.members import create_member, member_of
from tracker.models import Coalition, Delivery, MemberOrganization, MemberStance, StaffInvitation, StaffUser

SECRET = "member-invites-test-secret-key-0123456789abcdef"
DAY = 86400


def _staff(db, email: str) -> StaffUser:
    return db.execute(select(StaffUser).where(StaffUser.email == email)).scalar_one()


# --- the service --------------------------------------------------------------------------------

@pytest.fixture
def ids(engine):
    return w.build(engine)


def test_invite_accept_and_revoke_a_member_organization_login(engine, ids):
    with Session(engine) as db:
        co, admin = db.get(Coalition, ids["coalition"]), _staff(db, w.ADMIN)
        teachers = db.get(MemberOrganization, ids["teachers"])
        inv, raw = team.invite(db, co, admin, " Tia@Teachers.Example ", "admin", max_age=DAY, member=teachers)
        # The role asked for is ignored: a member organization's login is never staff.
        assert (inv.email, inv.role, inv.member_id) == ("tia@teachers.example", "member", teachers.id)
        assert team.invited_member(db, inv).slug == "teachers"
        assert [i.id for i in team.pending_invitations(db, co.id)] == [inv.id]
        # An organization of another coalition cannot be invited to from this one.
        stranger = create_member(db, ids["other"], name="Elsewhere", slug="elsewhere")
        with pytest.raises(LookupError):
            team.invite(db, co, admin, "x@elsewhere.example", "member", max_age=DAY, member=stranger)
        with pytest.raises(team.TeamError) as exc:
            team.invite(db, co, admin, w.EDITOR, "member", max_age=DAY, member=teachers)
        assert exc.value.code == "already_staff"
        with pytest.raises(team.TeamError) as exc:
            team.invite(db, co, admin, "not an address", "member", max_age=DAY, member=teachers)
        assert exc.value.code == "email"
        db.commit()

        user = team.accept(db, co, raw, "Tia Teacher", "tia-password-1")
        assert (user.role, user.member_id, user.display_name) == ("member", teachers.id, "Tia Teacher")
        assert member_of(db, user).id == teachers.id
        assert team.accept(db, co, raw, "Again", "tia-password-1") is None     # the link works once
        # A member login never gets a staff role through the people page.
        with pytest.raises(team.TeamError) as exc:
            team.change_role(db, co, admin, user.id, "editor")
        assert exc.value.code == "member_login"

        parents = db.get(MemberOrganization, ids["parents"])
        gone, gone_raw = team.invite(db, co, admin, "pat@parents.example", "member", max_age=DAY, member=parents)
        team.revoke_invitation(db, co, admin, gone.id)
        assert team.accept(db, co, gone_raw, "Pat", "pat-password-1") is None
        assert team.pending_invitations(db, co.id) == []
        db.commit()
        log = [(e.action, e.target, e.detail) for e in reversed(audit.entries(db, co).entries)]
        assert log == [
            ("staff.member_invited", "tia@teachers.example", {"member": "teachers", "invitation": inv.id}),
            ("staff.member_joined", "tia@teachers.example", {"member": "teachers", "invitation": inv.id}),
            ("staff.member_invited", "pat@parents.example", {"member": "parents", "invitation": gone.id}),
            ("staff.member_invitation_revoked", "pat@parents.example", {"member": "parents", "invitation": gone.id})]


def test_a_staff_invitation_still_makes_a_staff_account(engine, ids):
    with Session(engine) as db:
        co, admin = db.get(Coalition, ids["coalition"]), _staff(db, w.ADMIN)
        inv, raw = team.invite(db, co, admin, "sam@edfund.example", "editor", max_age=DAY)
        assert (inv.role, inv.member_id, team.invited_member(db, inv)) == ("editor", None, None)
        user = team.accept(db, co, raw, "Sam", "sam-password-1")
        assert (user.role, user.member_id, member_of(db, user)) == ("editor", None, None)


def test_the_member_invitation_email_names_the_organization():
    msg = invitation_email(mail_from="a@b.example", to="tia@teachers.example", coalition="Education Fund",
                           inviter="Ada", role="member", url="http://x/c/edfund/staff/invite/t?lang=es",
                           max_age=7 * DAY, lang="es", member="Teachers\nfor Kids")
    assert msg["Subject"] == "Hable por Teachers for Kids en el espacio de Education Fund"
    text = msg.get_content()
    assert "organización miembro Teachers for Kids" in text and "7 día(s)" in text and "?lang=es" in text
    staff = invitation_email(mail_from="a@b.example", to="s@x.example", coalition="Education Fund",
                             inviter="Ada", role="editor", url="http://x/i", max_age=DAY)
    assert staff["Subject"] == "You are invited to the Education Fund staff workspace"


# --- over HTTP, with a real SMTP server ----------------------------------------------------------

@pytest.fixture
def mail(app_env, monkeypatch):
    with serving(monkeypatch, SECRET_KEY=SECRET, PUBLIC_URL="http://testserver",
                 MAIL_FROM="Ed Tracker <staff@edtracker.test>") as server:
        yield server


@pytest.fixture
def site(mail, engine):
    return w.build(engine)


def client(email: str | None = None, password: str = w.PASSWORD) -> TestClient:
    c = TestClient(create_app(), follow_redirects=False)
    if email:
        r = w.login(c, email, password=password)
        assert r.status_code == 303, r.text
    return c


def post(c: TestClient, path: str, **data):
    return c.post(path, data={**data, "csrf": w.csrf_of(c.get("/c/edfund/staff/password").text)})


def link(msg) -> str:
    body = msg.get_body(("plain",)).get_content()
    return re.search(r"http://testserver(/c/edfund/staff/invite/[^\s?]+)", body).group(1)


def row(html: str, slug: str) -> str:
    return html.split(f'<tr id="m-{slug}">')[1].split("</tr>")[0]


def test_an_admin_invites_a_member_person_who_accepts_and_sets_only_its_own_stances(site, mail, engine):
    admin = client(w.ADMIN)
    members = admin.get("/c/edfund/staff/members").text
    assert 'type="password"' not in members                     # no more passwords typed by admins
    assert f'action="/c/edfund/staff/members/{site["teachers"]}/invite"' in row(members, "teachers")
    r = post(admin, f"/c/edfund/staff/members/{site['teachers']}/invite", email=" Tia@Teachers.Example ",
             mail_lang="en")
    assert (r.status_code, r.headers["location"]) == (303, "/c/edfund/staff/members?done=invited")
    (msg,) = mail.inbox.messages
    assert msg["To"] == "tia@teachers.example"
    assert msg["Subject"] == "Speak for Teachers for Kids in the Education Fund workspace"
    assert "member organization Teachers for Kids" in msg.get_body(("plain",)).get_content()
    with Session(engine) as db:   # through the outbox, as staff invitations
        sent = db.execute(select(Delivery).where(Delivery.recipient == "tia@teachers.example")).scalar_one()
        assert (sent.purpose, sent.state) == ("invitation", "sent")
    page = admin.get("/c/edfund/staff/members?done=invited").text
    assert "The invitation is sent." in page
    assert "tia@teachers.example" in row(page, "teachers") and "tia@teachers.example" not in row(page, "parents")
    people = admin.get("/c/edfund/staff/people").text
    assert "tia@teachers.example" in people and "Member organization: Teachers for Kids" in people

    # Errors sit next to the organization's field; nothing is sent.
    r = post(admin, f"/c/edfund/staff/members/{site['parents']}/invite", email=w.EDITOR)
    assert r.status_code == 422 and 'id="err-email"' in r.text
    assert "This email already has an account in this coalition." in row(r.text, "parents")
    assert 'aria-invalid="true"' in row(r.text, "parents") and 'aria-invalid' not in row(r.text, "teachers")
    assert post(admin, f"/c/edfund/staff/members/{site['parents']}/invite", email="nope").status_code == 422
    assert post(admin, "/c/edfund/staff/members/999999/invite", email="a@b.example").status_code == 404
    for who in (w.EDITOR, w.VIEWER):
        assert post(client(who), f"/c/edfund/staff/members/{site['parents']}/invite",
                    email="x@parents.example").status_code == 403
    assert len(mail.inbox.messages) == 1

    # The person opens the link: the page says which organization they join.
    path = link(msg)
    tia = client()
    form = tia.get(path)
    assert form.status_code == 200 and form.headers["referrer-policy"] == "no-referrer"
    assert "Join Education Fund for Teachers for Kids" in form.text
    assert "to set the stances of Teachers for Kids, a member organization of Education Fund" in form.text
    token = w.csrf_of(form.text)
    r = tia.post(path, data={"display_name": "Tia Teacher", "new_password": "tia-password-1",
                             "new_password_again": "tia-password-1", "csrf": token})
    assert (r.status_code, r.headers["location"]) == (303, "/c/edfund/staff/stances")
    assert "Stances of Teachers for Kids" in tia.get("/c/edfund/staff/stances").text
    assert client().get(path).status_code == 400                 # used up
    with Session(engine) as db:
        user = _staff(db, "tia@teachers.example")
        assert (user.role, user.member_id) == ("member", site["teachers"])

    # A fresh login with the chosen password; its own stances only, nothing of the staff's.
    tia = client("tia@teachers.example", "tia-password-1")
    r = post(tia, "/c/edfund/staff/stances", bill_key=w.HB, stance="oppose", note="From Tia",
             member_id=str(site["parents"]))   # a forged field names nobody: the login says which
    assert r.status_code == 303
    with Session(engine) as db:
        (stance,) = db.execute(select(MemberStance)).scalars().all()
        assert (stance.member_id, stance.stance, stance.set_by) == (site["teachers"], "oppose", "tia@teachers.example")
    for path_ in ("/", "/members", "/matrix", "/positions", "/people"):
        assert tia.get("/c/edfund/staff" + path_).status_code == 403, path_
    assert post(tia, "/c/edfund/staff/positions", bill_key=w.HB, stance="oppose").status_code == 403
    assert post(tia, f"/c/edfund/staff/members/{site['teachers']}/invite", email="y@t.example").status_code == 403

    log = admin.get("/c/edfund/staff/audit").text
    assert "Invited a person of a member organization" in log and "Accepted a member organization invitation" in log
    # A deactivated member login is listed as such, in the page's language.
    with Session(engine) as db:
        user = _staff(db, "tia@teachers.example")
        user.active = False
        db.add(user)
        db.commit()
    assert "tia@teachers.example (Deactivated)" in row(admin.get("/c/edfund/staff/members?lang=en").text, "teachers")
    assert "tia@teachers.example (Desactivada)" in row(admin.get("/c/edfund/staff/members?lang=es").text, "teachers")


def test_a_member_invitation_in_spanish_and_its_revocation_from_the_members_page(site, mail, engine):
    admin = client(w.ADMIN)
    post(admin, f"/c/edfund/staff/members/{site['parents']}/invite", email="pat@parents.example", mail_lang="es")
    (msg,) = mail.inbox.messages
    assert msg["Subject"] == "Hable por Parents United en el espacio de Education Fund"
    assert "?lang=es" in msg.get_body(("plain",)).get_content()
    page = client().get(link(msg) + "?lang=es").text
    assert "Únase a Education Fund en nombre de Parents United" in page
    with Session(engine) as db:
        inv = db.execute(select(StaffInvitation)).scalar_one()
    members = admin.get("/c/edfund/staff/members").text
    assert f'action="/c/edfund/staff/people/invitations/{inv.id}/revoke"' in row(members, "parents")
    r = post(admin, f"/c/edfund/staff/people/invitations/{inv.id}/revoke", back_to="members")
    assert (r.status_code, r.headers["location"]) == (303, "/c/edfund/staff/members?done=revoked")
    page = admin.get(r.headers["location"]).text
    assert "The invitation is revoked." in page and "pat@parents.example" not in page
    assert client().get(link(msg)).status_code == 400
    assert "Member organization invitation revoked" in admin.get("/c/edfund/staff/audit").text
    # The members page in Spanish, with a pending invitation.
    post(admin, f"/c/edfund/staff/members/{site['parents']}/invite", email="pat@parents.example", mail_lang="es")
    es = row(admin.get("/c/edfund/staff/members?lang=es").text, "parents")
    assert "pat@parents.example" in es and "(vence el " in es and "Anular" in es
    assert "Correo de una persona de Parents United" in es and "Enviar la invitación" in es
