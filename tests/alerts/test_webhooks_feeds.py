"""Webhooks signed and verified by a receiver on loopback; refusal of internal addresses; feeds;
events from an import of real fixtures, and none from re-importing them."""
from __future__ import annotations

import datetime as dt
import json
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlmodel import Session, select

from tests import factories as f
from tests.alerts.helpers import deliveries, ingest, moved_bill, subscribe
from tests.conftest import real_fixture
from tracker.alerts import jobs, webhooks
from tracker.db import get_engine
from tracker.models import ChangeEvent, Subscription
from tracker.models.base import utcnow

SECRET = "whsec-test"


class Receiver:
    def __init__(self, status: int = 200):
        self.status, self.got = status, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = webhooks.verify(SECRET, self.headers[webhooks.TIMESTAMP_HEADER], body,
                                     self.headers[webhooks.SIGNATURE_HEADER])
                outer.got.append((ok, self.headers[webhooks.DELIVERY_HEADER], json.loads(body)))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def later(minutes: float) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


@pytest.fixture
def loopback_ok(alerts_env, monkeypatch):
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_ALERTS_WEBHOOK_ALLOW_LOOPBACK", "true")
    monkeypatch.setenv("EDTRACKER_ALERTS_WEBHOOK_MAX_FAILURES", "2")
    get_settings.cache_clear()
    return alerts_env


def test_webhook_is_signed_and_verified_on_loopback(loopback_ok):
    rx = Receiver()
    try:
        engine = get_engine(loopback_ok)
        ingest(engine, f.batch())
        subscribe(engine, "ops@example.org", channel="webhook", webhook_url=rx.url, webhook_secret=SECRET,
                  kinds=["stage_changed"])
        ingest(engine, [moved_bill()])
        out = jobs.dispatch(now=later(1))
        assert out["sent"] == 1
        ok, delivery_id, body = rx.got[0]
        assert ok and delivery_id == str(body["delivery_id"])
        assert body["events"][0]["kind"] == "stage_changed"
        assert body["events"][0]["payload"]["new_stage"] == "passed_second"
        # A person reading the payload gets the page; a program the JSON.
        assert body["events"][0]["url"].endswith("/bill/us-119-hr5")
        assert body["events"][0]["api_url"].endswith("/api/bills/us-119-hr5")
        assert not webhooks.verify(SECRET, str(int(utcnow().timestamp())), b"{}", "sha256=00")
    finally:
        rx.close()


def test_failing_webhook_retries_then_is_disabled(loopback_ok):
    rx = Receiver(status=500)
    try:
        engine = get_engine(loopback_ok)
        ingest(engine, f.batch())
        sid = subscribe(engine, "ops@example.org", channel="webhook", webhook_url=rx.url, webhook_secret=SECRET,
                        kinds=["stage_changed"])
        ingest(engine, [moved_bill()])
        assert jobs.dispatch(now=later(1))["retried"] == 1
        jobs.dispatch(now=later(30))
        assert len(rx.got) == 2
        with Session(engine) as s:
            sub = s.get(Subscription, sid)
            assert not sub.active and "disabled after 2" in sub.disabled_reason
        assert deliveries(engine)[0].state == "cancelled"
        assert jobs.status(engine)["disabled_webhooks"][0]["url"] == rx.url
    finally:
        rx.close()


def test_loopback_and_private_addresses_are_refused_by_default():
    for url in ("http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest", "ftp://example.org/"):
        with pytest.raises(webhooks.RefusedUrl):
            webhooks.check_url(url)
    webhooks.check_url("http://127.0.0.1:9/x", allow_loopback=True)
    with pytest.raises(webhooks.RefusedUrl):
        webhooks.check_url("http://192.168.1.1/x", allow_loopback=True)


def test_feeds_atom_and_icalendar(alerts_env):
    from fastapi.testclient import TestClient

    from api.app import create_app

    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    sid = subscribe(engine, "cal@example.org")
    ingest(engine, [moved_bill(), {"type": "hearing", "key": "us-house-hsed-2025-04-01", "jurisdiction": "us",
                                   "committee_name": "Education and Workforce", "start": "2025-04-01T14:00:00Z",
                                   "location": "2175 Rayburn", "bills": [{"bill_key": "us-119-hr5"}],
                                   "source": f.SRC}])
    with Session(engine) as s:
        token = s.get(Subscription, sid).feed_token
    client = TestClient(create_app())
    r = client.get(f"/alerts/feeds/{token}.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in root.iter("{http://www.w3.org/2005/Atom}entry")]
    assert any("Hearing scheduled" in t for t in titles) and any("Stage changed" in t for t in titles)
    links = {e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link") if e.get("rel") is None}
    assert links == {"http://testserver/bill/us-119-hr5"}, links   # the bill's page
    for href in links:
        page = client.get(href.removeprefix("http://testserver"), headers={"accept": "text/html"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    ics = client.get(f"/alerts/feeds/{token}.ics")
    assert ics.status_code == 200 and "BEGIN:VEVENT" in ics.text and "DTSTART:20250401T140000Z" in ics.text
    assert "LOCATION:2175 Rayburn" in ics.text
    assert "/bill/us-119-hr5" in ics.text.replace("\r\n ", "") and "/bills/" not in ics.text
    assert client.get("/alerts/feeds/nope.atom").status_code == 404


def test_events_from_real_house_clerk_and_essa_votes_and_none_on_reimport(sqlite_url):
    # SQLite only: the import is large, and event storage is covered on both databases elsewhere.
    from scrapers.importer import iter_records, plan

    engine = get_engine(sqlite_url)
    paths = [real_fixture("congress-legislators"), real_fixture("votes-house-clerk"), real_fixture("essa-votes")]
    first = ingest(engine, iter_records(plan(paths)))
    assert first.counts["insert"] > 0
    with Session(engine) as s:
        evs = s.exec(select(ChangeEvent)).all()
    rolls = [e for e in evs if e.kind == "roll_call"]
    assert len(rolls) >= 3
    big = max(rolls, key=lambda e: len(e.legislator_ids))
    assert len(big.legislator_ids) > 400  # the members who voted, resolved to legislators
    assert set(big.payload["votes"].values()) <= {"yes", "no", "present", "not voting", "other", "abstain",
                                                   "absent", "excused", "paired"}
    again = ingest(engine, iter_records(plan(paths)))
    # Some records update on the second pass (votes whose voters resolve now that every member
    # is known); corrections of stored roll calls are not news, so no event either way.
    assert again.counts["insert"] == 0
    with Session(engine) as s:
        assert len(s.exec(select(ChangeEvent)).all()) == len(evs)
