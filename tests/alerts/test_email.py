"""Email alerts through a real SMTP server (aiosmtpd): sign-up, links, digests, outage, bounces."""
from __future__ import annotations

import datetime as dt
import re
import socket

from fastapi.testclient import TestClient

from tests import factories as f
from tests.alerts.conftest import use_smtp
from tests.alerts.helpers import deliveries, ingest, moved_bill, subscribe
from tracker.alerts import jobs
from tracker.db import get_engine
from tracker.models.base import utcnow

LINK = re.compile(r"http://testserver(/alerts/[a-z]+/[A-Za-z0-9_.\-]+)")


def later(minutes: float) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


def test_signup_double_opt_in_alert_links_and_one_click_unsubscribe(alerts_env, mail, monkeypatch):
    use_smtp(monkeypatch, mail.url)
    from api.app import create_app

    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    client = TestClient(create_app())
    form = {"email": "Ada@Example.org", "target_type": "bill", "target": "us-119-hr5", "frequency": "immediate"}
    r = client.post("/alerts/signup", data=form)
    assert r.status_code == 202
    # The same answer for an address seen before (no enumeration).
    assert client.post("/alerts/signup", data=dict(form, target="us-119-hr6")).json() == r.json()
    confirms = mail.inbox.to("ada@example.org")
    assert len(confirms) == 2 and confirms[0]["Subject"] == "Confirm your edtracker alert"
    confirm_path = LINK.search(confirms[0].get_body(("plain",)).get_content()).group(1)
    assert confirm_path.startswith("/alerts/confirm/")

    # Nothing is sent before confirmation.
    ingest(engine, [moved_bill()])
    assert jobs.dispatch(now=later(1))["sent"] == 0
    assert len(mail.inbox.messages) == 2

    page = client.get(confirm_path)
    assert page.status_code == 200 and "Alert confirmed" in page.text
    assert client.get(confirm_path.replace("confirm/", "confirm/x")).status_code == 400
    # Events from before the confirmation are not news to this subscriber; the next ones are.
    b = moved_bill()
    b["versions"].append({"note": "Engrossed in House", "date": "2025-04-11",
                          "url": "https://www.congress.gov/119/bills/hr5/BILLS-119hr5eh.xml"})
    ingest(engine, [b])
    out = jobs.dispatch(now=later(1))
    assert out["sent"] == 1, out
    msg = mail.inbox.messages[-1]
    assert msg["To"] == "ada@example.org"
    assert msg["From"] == "Ed Alerts <alerts@edtracker.test>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<alert\.[0-9a-f]{32}@edtracker\.test>", msg["Message-ID"])
    assert msg["Message-ID"] == deliveries(engine)[-1].message_id  # the one stored when it was queued
    assert "H.R. 5" in msg["Subject"] and "New text" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Engrossed in House" in text and "Engrossed in House" in html
    # The bill's link opens its page (not the JSON API) under the configured public URL.
    assert "http://testserver/bill/us-119-hr5" in text and 'href="http://testserver/bill/us-119-hr5"' in html
    assert "testserver/bills/" not in text and "testserver/api/" not in text and "testserver/bills/" not in html
    bill_page = client.get("/bill/us-119-hr5", headers={"accept": "text/html"})
    assert bill_page.status_code == 200 and bill_page.headers["content-type"].startswith("text/html")
    links = dict((p.split("/")[2], p) for p in LINK.findall(text))
    assert client.get(links["preferences"]).status_code == 200
    assert "ada@example.org" in client.get(links["preferences"]).text
    unsub = msg["List-Unsubscribe"].strip("<>").replace("http://testserver", "")
    assert client.get(unsub).status_code == 200  # a GET shows a button, it does not unsubscribe
    r = client.post(unsub, content=b"List-Unsubscribe=One-Click",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and "Unsubscribed" in r.text
    ingest(engine, [f.vote(key="us-house-2025-18", roll_number="18")])
    jobs.dispatch(now=later(2))
    assert len(mail.inbox.to("ada@example.org")) == 3


def test_outage_then_recovery_delivers_each_alert_once(alerts_env, monkeypatch):
    from tests.alerts.mailserver import MailServer

    server = MailServer()
    use_smtp(monkeypatch, server.url)  # nothing listens there yet
    # The port is held (bound, never listening: a connection is refused) until the server starts,
    # so no other socket takes it during the outage.
    hold = socket.socket()
    hold.bind(("127.0.0.1", server.port))
    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    for i in range(3):
        subscribe(engine, f"reader{i}@example.org")
    ingest(engine, [moved_bill()])
    try:
        down = jobs.dispatch(now=later(1))
    finally:
        hold.close()
    # Two events (stage change, new action) for each of three readers.
    assert down["planned"] == 6 and down["sent"] == 0 and down["retried"] == 6
    assert {d.state for d in deliveries(engine)} == {"pending"}
    assert all("cannot reach SMTP server" in d.last_error for d in deliveries(engine))
    server.start()
    try:
        assert jobs.dispatch(now=later(1))["sent"] == 0  # backoff: not due yet
        up = jobs.dispatch(now=later(10))
        assert up["sent"] == 6
        assert jobs.dispatch(now=later(60)) == {"planned": 0, "sent": 0, "retried": 0, "bounced": 0, "failed": 0,
                                                "cancelled": 0}
        assert sorted(str(m["To"]) for m in server.inbox.messages) == sorted(
            [f"reader{i}@example.org" for i in range(3)] * 2)
        assert len({m["Message-ID"] for m in server.inbox.messages}) == 6
        assert all(d.state == "sent" and d.server_reply.startswith("250") for d in deliveries(engine))
    finally:
        server.stop()


def test_recipient_refused_for_good_marks_the_address_and_stops(alerts_env, mail, monkeypatch):
    use_smtp(monkeypatch, mail.url)
    mail.inbox.reject.add("gone@example.org")
    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    subscribe(engine, "gone@example.org")
    subscribe(engine, "here@example.org")
    ingest(engine, [moved_bill()])
    out = jobs.dispatch(now=later(1))
    assert (out["sent"], out["bounced"], out["failed"], out["cancelled"]) == (2, 1, 0, 1)  # two events each
    status = jobs.status(engine)
    assert status["bounced"][0]["email"] == "gone@example.org" and "550" in status["bounced"][0]["reason"]
    b = moved_bill()
    b["title"] = "Community Schools Act of 2025 (renamed)"
    b["actions"].append({"date": "2025-05-01", "description": "Presented to President.", "actor": "executive",
                         "classification": ["executive-receipt"]})
    ingest(engine, [b])
    jobs.dispatch(now=later(2))
    assert {str(m["To"]) for m in mail.inbox.messages} == {"here@example.org"}
    assert len(mail.inbox.messages) == 4  # 2 + 2 (new action, stage change)


def test_daily_digest_groups_by_bill_at_the_subscribers_local_time(alerts_env, mail, monkeypatch):
    use_smtp(monkeypatch, mail.url)
    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    subscribe(engine, "dig@example.org", "jurisdiction", "us", frequency="daily", send_time="07:30",
              timezone="America/Los_Angeles")
    ingest(engine, [moved_bill(5), moved_bill(6)])
    # 14:00 UTC is 07:00 in Los Angeles (PDT): not yet; 14:45 UTC is past 07:30.
    early = dt.datetime(2030, 6, 3, 14, 0, tzinfo=dt.timezone.utc)
    assert jobs.digests(now=early)["planned"] == 0
    out = jobs.digests(now=early + dt.timedelta(minutes=45))
    assert out["planned"] == 1 and out["sent"] == 1
    assert jobs.digests(now=early + dt.timedelta(minutes=50))["planned"] == 0  # once per local day
    msg = mail.inbox.messages[-1]
    text = msg.get_body(("plain",)).get_content()
    assert "daily digest" in msg["Subject"]
    assert text.index("== H.R. 5") < text.index("== H.R. 6")
    assert text.count("Passed Senate without amendment.") == 2


def test_the_commands_are_not_held_back_by_nagle(mail):
    """Each command is a small write; without TCP_NODELAY the kernel may hold one until the
    previous one is acknowledged, 40 ms a message with a delayed ACK."""
    import socket
    from email.message import EmailMessage

    from tracker.alerts.smtp import SmtpSender, parse_smtp_url, to_wire

    with SmtpSender(parse_smtp_url(mail.url)) as sender:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "a@edtracker.test", "b@example.org", "hello"
        msg.set_content("body")
        answer = sender.send(to_wire(msg), "a@edtracker.test", "b@example.org")
        assert sender.conn.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    assert answer.startswith("250") and len(mail.inbox.messages) == 1
