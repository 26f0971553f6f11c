"""Security headers on every HTML page (issue 15): CSP, framing refused except for the scorecard
embeds, Referrer-Policy, nosniff; Secure cookies when the public URL is https; the staff pages'
English and Spanish texts are complete."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from tests import factories as f
from tracker.coalitions.auth import hash_password
from tracker.ingest import Ingestor
from tracker.models import Coalition, StaffUser

PUBLIC = ["/", "/search?q=school&page=2", "/coalitions", "/status", "/quality", "/bill/us-119-hr5", "/c/fair/", "/c/fair/bills/us-119-hr5", "/alerts/signup",
          "/c/fair/staff/login", "/c/fair/staff/login?lang=es", "/c/fair/staff/forgot",
          "/c/fair/staff/reset/not-a-token", "/docs", "/redoc"]
STAFF = ["/c/fair/staff/", "/c/fair/staff/settings", "/c/fair/staff/password", "/c/fair/staff/alerts",
         "/c/fair/bills/us-119-hr5", "/c/fair/staff/people", "/c/fair/staff/audit", "/c/fair/staff/operations",
         "/c/fair/staff/quality", "/c/fair/staff/crawls", "/c/fair/staff/webhooks"]


@pytest.fixture
def site(app_env, engine, monkeypatch):
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_SECRET_KEY", "headers-test-secret-key-0123456789abcdef")
    get_settings.cache_clear()
    Ingestor(engine).ingest(f.batch())
    with Session(engine) as db:
        coal = Coalition(slug="fair", name="Fair Schools")
        db.add(coal)
        db.flush()
        db.add(StaffUser(coalition_id=coal.id, email="admin@fair.example", password_hash=hash_password("pass-word-1"),
                         role="admin"))
        db.commit()
    yield engine
    get_settings.cache_clear()


def _login(c: TestClient) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/c/fair/staff/login").text).group(1)
    r = c.post("/c/fair/staff/login", data={"email": "admin@fair.example", "password": "pass-word-1", "csrf": token},
               follow_redirects=False)
    assert r.status_code == 303


def _check_page(r) -> None:
    assert r.headers["content-type"].startswith("text/html"), r.request.url
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, r.request.url
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], r.request.url
    assert r.headers["x-frame-options"] == "DENY", r.request.url
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] in ("strict-origin-when-cross-origin", "no-referrer")


def test_every_html_page_refuses_framing_and_has_a_csp(site):
    c = TestClient(create_app(), headers={"accept": "text/html,*/*;q=0.8"})   # as a browser asks
    for path in PUBLIC:
        r = c.get(path)
        assert r.status_code in (200, 400), path
        _check_page(r)
    _login(c)
    for path in STAFF:
        r = c.get(path)
        assert r.status_code == 200, path
        _check_page(r)
    # The pages' own inline scripts and styles are gone (the CSP would block them).
    home = c.get("/").text
    assert "<style" not in home and 'style="' not in home and "<script" not in home
    css = c.get("/assets/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_docs_page_allows_exactly_its_inline_script(site):
    r = TestClient(create_app()).get("/docs")
    csp = r.headers["content-security-policy"]
    inline = re.findall(r"<script>(.*?)</script>", r.text, re.S)
    assert inline and csp.count("'sha256-") == len(inline)


def test_json_answers_are_nosniff(site):
    r = TestClient(create_app()).get("/api/bills")
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("public_url, secure", [("https://tracker.example.org", True), ("http://127.0.0.1:8000", False)])
def test_secure_cookie_when_public_url_is_https(site, monkeypatch, public_url, secure):
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_PUBLIC_URL", public_url)
    get_settings.cache_clear()
    r = TestClient(create_app(), base_url="https://testserver").get("/c/fair/staff/login")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("edtracker_staff=") and "httponly" in cookie.lower()
    assert ("secure" in cookie.lower()) is secure
