"""Nobody reaches another coalition's workspace, and editors cannot do admin things (issue 17):
every staff route of the app, as a visitor, as the coalition's editor and as another
coalition's admin. The routes are enumerated from the app, so a new one must say its role."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from tests.alerts.conftest import SECRET as SECRET_KEY
from tests.privacy import world as w
from tracker.coalitions.auth import hash_password
from tracker.db import get_engine
from tracker.models import AuditEntry, Coalition, Position, StaffInvitation, StaffUser, VoterAlias
from tracker.settings import get_settings

RIVAL = ("boss@rival.example", "rival-pass-123")
LOGIN = "/c/edfund/staff/login"


def csrf_of(c: TestClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def test_every_staff_route_checks_the_login_the_coalition_and_the_role(alerts_env, tmp_path):
    app = create_app(get_settings())
    engine = get_engine(alerts_env)
    world = w.build(engine, app, tmp_path, SECRET_KEY)
    with Session(engine) as db:
        rival = Coalition(slug="rival", name="Rival Coalition")
        db.add(rival)
        db.flush()
        db.add(StaffUser(coalition_id=rival.id, email=RIVAL[0], password_hash=hash_password(RIVAL[1]), role="admin"))
        db.commit()
    routes = w.staff_routes(app)
    guarded = {k: v for k, v in routes.items() if v[0] != "open"}
    assert ("GET", "/c/edfund/staff/people") in guarded and len(guarded) >= 25

    visitor = TestClient(app, follow_redirects=False)
    visitor_csrf = csrf_of(visitor, LOGIN)
    boss = TestClient(app, follow_redirects=False)
    boss.post("/c/rival/staff/login", data={"email": RIVAL[0], "password": RIVAL[1],
                                            "csrf": csrf_of(boss, "/c/rival/staff/login")})
    assert boss.get("/c/rival/staff/people").status_code == 200     # an admin, at home
    boss_csrf = csrf_of(boss, "/c/rival/staff/people")
    editor = world.staff
    editor_csrf = w.staff_csrf(editor)

    problems = []
    for (method, url), (role, form) in sorted(guarded.items()):
        for who, client, token in (("visitor", visitor, visitor_csrf), ("rival admin", boss, boss_csrf)):
            r = client.request(method, url, data={**form, "csrf": token} if method == "POST" else None)
            if r.status_code != 303 or r.headers.get("location") != LOGIN:
                problems.append(f"{who}: {method} {url} -> {r.status_code} {r.headers.get('location')}")
        if role == "admin":
            r = editor.request(method, url, data={**form, "csrf": editor_csrf} if method == "POST" else None,
                               headers={"accept": "text/html"})
            if r.status_code != 403 or not r.headers["content-type"].startswith("text/html"):
                problems.append(f"editor: {method} {url} -> {r.status_code}")
    assert problems == [], "\n".join(problems)
    # Nothing was written by all those attempts.
    with Session(engine) as db:
        assert db.query(AuditEntry).count() == 0 and db.query(StaffInvitation).count() == 0
        assert db.get(Coalition, world.coalition_id).name == "Education Fund"
        assert db.query(Position).count() == 0 and db.query(VoterAlias).count() == 0
        assert {u.role for u in db.query(StaffUser).filter(StaffUser.coalition_id == world.coalition_id)} == {"editor"}
    # The open routes show no private word.
    for (method, url), (role, _) in routes.items():
        if role == "open" and method == "GET":
            body = visitor.get(url).text
            assert not any(word in body for word in w.SECRET_WORDS), url


def test_a_staff_route_without_a_role_fails_the_walk(alerts_env):
    from fastapi import APIRouter

    app = create_app(get_settings())
    extra = APIRouter()
    extra.add_api_route("/c/{slug}/staff/new-thing", lambda slug: {}, methods=["GET"])
    app.include_router(extra)
    try:
        w.staff_routes(app)
    except AssertionError as exc:
        assert "GET /c/{slug}/staff/new-thing" in str(exc)
    else:
        raise AssertionError("an unlisted staff route passed the walk")
