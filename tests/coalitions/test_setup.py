"""Issue 17: an empty instance gets its first coalition and first admin in the browser (/setup),
for whoever knows the setup token from the environment, and only while no staff account exists.
Every wrong field is named at once; wrong tokens are throttled; afterwards the page is closed."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from tracker.db import get_engine
from tracker.models import AuditEntry, Coalition, StaffUser

TOKEN = "setup-token-0f9a7c2e5b"
GOOD = {"coalition_name": "Kentucky Public Schools Table", "slug": "ky-table", "website": "https://kytable.example",
        "display_name": "Dana Admin", "email": "Dana@KYTable.example", "new_password": "a long passphrase",
        "new_password_again": "a long passphrase"}


def _client(app_env, monkeypatch, token: str | None = TOKEN) -> TestClient:
    from api.app import create_app
    from tracker.settings import get_settings

    if token is None:
        monkeypatch.delenv("EDTRACKER_SETUP_TOKEN", raising=False)
    else:
        monkeypatch.setenv("EDTRACKER_SETUP_TOKEN", token)
    get_settings.cache_clear()
    return TestClient(create_app(), follow_redirects=False)


def _csrf(c: TestClient, path: str = "/setup") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def _post(c: TestClient, csrf_from: str = "/setup", **fields):
    return c.post("/setup", data={"csrf": _csrf(c, csrf_from), "setup_token": TOKEN, **GOOD, **fields})


def _count(url, model) -> int:
    with Session(get_engine(url)) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_first_admin_made_in_the_browser_then_setup_closes(app_env, monkeypatch):
    c = _client(app_env, monkeypatch)
    assert 'href="/setup"' in c.get("/").text               # a new instance says where to start
    form = c.get("/setup")
    assert form.status_code == 200 and 'name="setup_token"' in form.text
    r = _post(c)
    assert r.status_code == 303 and r.headers["location"] == "/c/ky-table/staff/?welcome=1"
    welcome = c.get(r.headers["location"])                  # logged in: the workspace, with next steps
    assert welcome.status_code == 200
    assert "Welcome to your coalition" in welcome.text and 'href="/c/ky-table/staff/people"' in welcome.text
    with Session(get_engine(app_env)) as s:
        coal = s.exec(select(Coalition)).one()
        user = s.exec(select(StaffUser)).one()
        actions = set(s.exec(select(AuditEntry.action).where(AuditEntry.coalition_id == coal.id)).all())
    assert (coal.slug, coal.name, coal.website) == ("ky-table", GOOD["coalition_name"], GOOD["website"])
    assert (user.email, user.role, user.display_name, user.active) == ("dana@kytable.example", "admin", "Dana Admin", True)
    assert user.password_hash != GOOD["new_password"]
    assert actions == {"coalition.created", "staff.first_admin"}
    # Closed for good, whoever asks and whatever they know.
    stranger = TestClient(c.app, follow_redirects=False)
    assert stranger.get("/setup").status_code == 404
    again = _post(stranger, "/c/ky-table/staff/login", slug="second", email="eve@example.org")
    assert again.status_code == 404 and "already set up" in again.text
    assert _count(app_env, Coalition) == 1 and _count(app_env, StaffUser) == 1
    assert 'href="/setup"' not in stranger.get("/").text


def test_every_wrong_field_is_named_at_once_and_nothing_is_stored(app_env, monkeypatch):
    c = _client(app_env, monkeypatch)
    r = _post(c, coalition_name="", slug="Not A Slug!", website="kytable.example", email="dana-at-example",
              new_password_again="another phrase")
    assert r.status_code == 422
    for field in ("coalition_name", "slug", "website", "email", "new_password_again"):
        assert f'id="{field}-error"' in r.text, field
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', r.text, re.S), field
    assert 'value="Dana Admin"' in r.text                      # what was typed stays
    assert "a long passphrase" not in r.text                  # passwords are never sent back
    short = _post(c, new_password="short", new_password_again="short")
    assert short.status_code == 422 and 'id="new_password-error"' in short.text
    assert _count(app_env, Coalition) == 0 and _count(app_env, StaffUser) == 0


def test_the_token_is_required_and_wrong_ones_are_throttled(app_env, monkeypatch):
    c = _client(app_env, monkeypatch)
    wrong = _post(c, setup_token="guess")
    assert wrong.status_code == 403 and 'id="setup_token-error"' in wrong.text
    codes = [_post(c, setup_token=f"guess-{n}").status_code for n in range(10)]
    assert codes[:9] == [403] * 9 and codes[9] == 429
    locked = _post(c)              # past the limit no token is compared, the right one neither
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 3000
    assert _count(app_env, StaffUser) == 0


def test_without_a_token_in_the_environment_the_page_explains_and_refuses(app_env, monkeypatch):
    c = _client(app_env, monkeypatch, token=None)
    page = c.get("/setup?lang=es")
    assert page.status_code == 200 and "EDTRACKER_SETUP_TOKEN" in page.text and 'name="setup_token"' not in page.text
    assert "Configurar edtracker" in page.text
    # A form sent anyway (say, from a page opened before the token was removed) changes nothing.
    c.app.state.settings = c.app.state.settings.model_copy(update={"setup_token": TOKEN})
    token = _csrf(c)
    c.app.state.settings = c.app.state.settings.model_copy(update={"setup_token": None})
    refused = c.post("/setup", data={"csrf": token, **GOOD, "setup_token": ""})
    assert refused.status_code == 403 and _count(app_env, Coalition) == 0


def test_an_instance_with_staff_made_otherwise_is_not_open(app_env, monkeypatch):
    from tracker.coalitions.auth import hash_password

    with Session(get_engine(app_env)) as s:
        coal = Coalition(slug="fair", name="Fair Funding", settings={})
        s.add(coal)
        s.flush()
        s.add(StaffUser(coalition_id=coal.id, email="a@fair.example", password_hash=hash_password("x" * 12), role="admin"))
        s.commit()
    c = _client(app_env, monkeypatch)
    assert c.get("/setup").status_code == 404
    assert _post(c, "/c/fair/staff/login").status_code == 404 and _count(app_env, Coalition) == 1
