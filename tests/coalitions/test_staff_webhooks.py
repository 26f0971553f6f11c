"""A coalition's webhooks from the staff pages (issue 17): registered by an admin with the
signing secret shown once, a signed test delivery verified by a receiver on loopback, real
events through the outbox, revocation; private and non-http addresses refused."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from api.app import create_app
from tests import factories as f
from tests.alerts.conftest import alerts_env  # noqa: F401 - the alert tests' settings
from tests.alerts.helpers import ingest, moved_bill
from tracker.alerts import jobs, webhooks
from tracker.coalitions import audit
from tracker.coalitions.auth import hash_password
from tracker.coalitions.positions import set_position
from tracker.models import ChangeEvent, Coalition, StaffUser, Subscription

ADMIN = ("ada@fair.example", "admin-pass-123")


class Receiver:
    """An HTTP server on 127.0.0.1 that checks each request's signature with the secret it is told."""

    def __init__(self):
        self.secret, self.got = "", []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = webhooks.verify(outer.secret, self.headers[webhooks.TIMESTAMP_HEADER], body,
                                     self.headers[webhooks.SIGNATURE_HEADER])
                outer.got.append((ok, json.loads(body)))
                self.send_response(204 if ok else 401)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/edtracker"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(alerts_env, engine, monkeypatch):
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_ALERTS_WEBHOOK_ALLOW_LOOPBACK", "true")
    get_settings.cache_clear()
    ingest(engine, f.batch())
    with Session(engine) as db:
        for slug in ("fair", "other"):
            db.add(Coalition(slug=slug, name=slug.title()))
        db.flush()
        fair = db.execute(select(Coalition).where(Coalition.slug == "fair")).scalar_one()
        db.add(StaffUser(coalition_id=fair.id, email=ADMIN[0], password_hash=hash_password(ADMIN[1]), role="admin"))
        set_position(db, fair.id, "us-119-hr5", stance="support", public=True, by="test")
        db.commit()
    rx = Receiver()
    c = TestClient(create_app(), follow_redirects=False)
    r = c.post("/c/fair/staff/login", data={"email": ADMIN[0], "password": ADMIN[1], "csrf": token(c, "/c/fair/staff/login")})
    assert r.status_code == 303
    yield c, rx, engine
    rx.close()


def token(c: TestClient, path: str = "/c/fair/staff/webhooks") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def count_events(engine) -> int:
    with Session(engine) as db:
        return db.execute(select(func.count()).select_from(ChangeEvent)).scalar_one()


def register(c: TestClient, url: str, kinds=()):
    return c.post("/c/fair/staff/webhooks", data={"url": url, "kinds": list(kinds), "csrf": token(c)})


def test_register_test_fire_deliver_and_revoke(site):
    c, rx, engine = site
    r = register(c, rx.url, ["stage_changed"])
    assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
    secret = re.search(r'<code class="secret" id="secret-value">([^<]+)</code>', r.text).group(1)
    assert secret.startswith("whsec_") and len(secret) > 40
    rx.secret = secret
    # Shown once: the page never shows it again.
    again = c.get("/c/fair/staff/webhooks").text
    assert secret not in again and rx.url in again and "Stage change" in again
    with Session(engine) as db:
        (hook,) = db.execute(select(Subscription).where(Subscription.channel == "webhook")).scalars().all()
        hook_id = hook.id
        assert (hook.target_type, hook.target, hook.kinds, hook.active) == ("coalition", "fair", ["stage_changed"], True)

    # A signed test delivery, verified by the receiver with the secret shown.
    r = c.post(f"/c/fair/staff/webhooks/{hook_id}/test", data={"csrf": token(c)})
    assert r.status_code == 200 and "The test delivery was accepted: HTTP 204." in r.text
    ok, payload = rx.got[-1]
    assert ok and payload["test"] is True and payload["coalition"] == "fair" and payload["events"] == []

    # A real event about a bill the coalition takes a position on goes through the outbox.
    ingest(engine, [moved_bill()])
    out = jobs.dispatch()
    assert out["sent"] >= 1, out
    ok, payload = rx.got[-1]
    assert ok and [e["kind"] for e in payload["events"]] == ["stage_changed"]
    assert payload["events"][0]["bill_key"] == "us-119-hr5"

    # A wrong secret fails at the receiver: the signature really depends on it.
    rx.secret = "whsec_wrong"
    r = c.post(f"/c/fair/staff/webhooks/{hook_id}/test", data={"csrf": token(c)})
    assert r.status_code == 502 and "The test delivery failed: HTTP 401." in r.text
    rx.secret = secret

    # Revoked: nothing more is signed or sent.
    r = c.post(f"/c/fair/staff/webhooks/{hook_id}/revoke", data={"csrf": token(c)})
    assert r.status_code == 303 and r.headers["location"] == "/c/fair/staff/webhooks?done=hook_revoked"
    page = c.get(r.headers["location"]).text
    assert "Revoked" in page and f"/webhooks/{hook_id}/test" not in page
    sent, events = len(rx.got), count_events(engine)
    assert c.post(f"/c/fair/staff/webhooks/{hook_id}/test", data={"csrf": token(c)}).status_code == 409
    ingest(engine, [moved_bill(when="2025-05-01") | {"actions": moved_bill()["actions"] + [
        {"date": "2025-05-01", "description": "Presented to President.", "actor": "executive",
         "classification": ["executive-receipt"]}]}])
    jobs.dispatch()
    assert count_events(engine) > events      # there was news to send: the webhook is what is gone
    assert len(rx.got) == sent
    with Session(engine) as db:
        hook = db.get(Subscription, hook_id)
        assert hook.active is False and hook.webhook_secret is None
        fair = db.execute(select(Coalition).where(Coalition.slug == "fair")).scalar_one()
        actions = [(e.action, e.detail.get("ok")) for e in audit.entries(db, fair).entries]
    assert actions == [("webhook.revoked", None), ("webhook.tested", False), ("webhook.tested", True),
                       ("webhook.registered", None)]


def test_refused_addresses_and_field_errors(site, monkeypatch):
    from tracker.settings import get_settings

    c, rx, engine = site
    for url, words in (("", "Enter the address"), ("ftp://example.org/x", "only http:// and https://"),
                       ("http://10.1.2.3/hook", "This address is refused"),
                       ("http://[::ffff:192.168.0.1]/hook", "This address is refused")):
        r = register(c, url)
        assert r.status_code == 422, url
        assert 'aria-invalid="true" aria-describedby="hook-url-error"' in r.text and words in r.text, url
    r = register(c, rx.url, ["no_such_kind"])
    assert r.status_code == 422 and 'id="kinds-error"' in r.text
    # Loopback only when the setting allows it (tests, development).
    monkeypatch.setenv("EDTRACKER_ALERTS_WEBHOOK_ALLOW_LOOPBACK", "false")
    get_settings.cache_clear()
    c2 = TestClient(create_app(), follow_redirects=False)
    c2.post("/c/fair/staff/login", data={"email": ADMIN[0], "password": ADMIN[1], "csrf": token(c2, "/c/fair/staff/login")})
    assert "a loopback address" in register(c2, rx.url).text
    with Session(engine) as db:
        assert db.execute(select(Subscription).where(Subscription.channel == "webhook")).first() is None
    # Another coalition's webhook id is not found here.
    r = register(c, rx.url)
    with Session(engine) as db:
        hook_id = db.execute(select(Subscription.id).where(Subscription.channel == "webhook")).scalar_one()
    assert c.post(f"/c/other/staff/webhooks/{hook_id}/revoke", data={"csrf": token(c)}).status_code == 303  # login
    page = c.get("/c/fair/staff/webhooks?lang=es").text
    assert "Registrar un webhook" in page and "Enviar una prueba" in page
    assert "alerts.kind_" not in page and "Caducó al terminar la sesión" in page   # every kind named
