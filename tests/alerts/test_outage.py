"""An SMTP server that cannot be reached, times out or answers 4xx is not a bounce: messages wait
(days, EDTRACKER_ALERTS_RETRY_DAYS) and go out when it is back; only 5xx bounces. The clock is
injected (`now=`), nothing sleeps. Confirmations and password resets wait in the same outbox."""
from __future__ import annotations

import datetime as dt
import re
import socket

from fastapi.testclient import TestClient

from tests import factories as f
from tests.alerts.conftest import use_smtp
from tests.alerts.helpers import deliveries, ingest, moved_bill, subscribe
from tests.alerts.mailserver import Inbox, MailServer
from tracker.alerts import jobs
from tracker.db import get_engine
from tracker.models.base import utcnow

T0 = utcnow()  # each test sets it after its events exist (see `readers`): a minute ahead


def states(engine) -> list[str]:
    return sorted(d.state for d in deliveries(engine))


def down_for(engine, hours: float, every_minutes: float = 30) -> None:
    """Run the dispatcher every `every_minutes` while nothing listens; nothing may fail or bounce."""
    t = 0.0
    while t <= hours * 60:
        out = jobs.dispatch(now=T0 + dt.timedelta(minutes=t))
        assert out["sent"] == out["failed"] == out["bounced"] == 0, out
        t += every_minutes
    assert set(states(engine)) == {"pending"}


def readers(engine, n: int = 3) -> int:
    global T0
    ingest(engine, f.batch())
    for i in range(n):
        subscribe(engine, f"reader{i}@example.org")
    ingest(engine, [moved_bill()])
    # Planning re-reads events of the last ALERTS_SETTLE_SECONDS before `now`: a clock behind the
    # events' real time would plan the ones from before the subscriptions too.
    T0 = utcnow() + dt.timedelta(minutes=1)
    return 2 * n  # a stage change and an action each


def back_up(server: MailServer, engine, hours: float, expected: int) -> None:
    server.start()
    out = jobs.dispatch(now=T0 + dt.timedelta(hours=hours, minutes=31))  # past the longest backoff
    assert out["sent"] == expected, out
    assert states(engine) == ["sent"] * expected
    assert len({m["Message-ID"] for m in server.inbox.messages}) == len(server.inbox.messages) == expected
    totals = jobs.status(engine)["totals"]
    assert (totals["sent"], totals["pending"], totals["bounced"], totals["failed"]) == (expected, 0, 0, 0)


def test_outage_shorter_than_the_old_budget(alerts_env, monkeypatch):
    monkeypatch.setenv("EDTRACKER_ALERTS_RETRY_BASE_SECONDS", "60")  # the default
    server = MailServer()
    use_smtp(monkeypatch, server.url)  # nothing listens there yet
    engine = get_engine(alerts_env)
    expected = readers(engine)
    try:
        down_for(engine, hours=1, every_minutes=5)
        back_up(server, engine, 1, expected)
    finally:
        server.stop()


def test_outage_of_three_days_waits_and_nothing_bounces(alerts_env, monkeypatch):
    """The old budget (8 attempts, about two hours) failed every alert after a long outage."""
    monkeypatch.setenv("EDTRACKER_ALERTS_RETRY_BASE_SECONDS", "60")
    server = MailServer()
    use_smtp(monkeypatch, server.url)
    engine = get_engine(alerts_env)
    expected = readers(engine)
    try:
        down_for(engine, hours=72, every_minutes=30)
        assert all("cannot reach SMTP server" in d.last_error for d in deliveries(engine))
        assert {p["email"] for p in jobs.status(engine)["bounced"]} == set()
        back_up(server, engine, 72, expected)
    finally:
        server.stop()


def test_an_outage_past_the_retry_days_fails_without_bouncing(alerts_env, monkeypatch):
    monkeypatch.setenv("EDTRACKER_ALERTS_RETRY_DAYS", "1")
    server = MailServer()
    use_smtp(monkeypatch, server.url)
    engine = get_engine(alerts_env)
    expected = readers(engine)
    down_for(engine, hours=20, every_minutes=60)
    jobs.dispatch(now=T0 + dt.timedelta(hours=25))
    assert states(engine) == ["failed"] * expected
    assert all(d.last_error.startswith("gave up after 1 days") for d in deliveries(engine))
    status = jobs.status(engine)
    assert status["totals"]["failed"] == expected and status["totals"]["bounced"] == 0
    assert status["bounced"] == []  # the addresses stay good: the next alerts go to them


def test_a_server_that_does_not_answer_times_out_and_is_retried(alerts_env, monkeypatch):
    monkeypatch.setenv("EDTRACKER_ALERTS_SMTP_TIMEOUT_SECONDS", "0.3")
    mute = socket.socket()
    mute.bind(("127.0.0.1", 0))
    mute.listen(16)  # accepts connections (the kernel does), never says a word
    try:
        use_smtp(monkeypatch, f"smtp://127.0.0.1:{mute.getsockname()[1]}")
        engine = get_engine(alerts_env)
        expected = readers(engine, 2)
        out = jobs.dispatch(now=T0)
        assert out["retried"] == expected and out["bounced"] == out["failed"] == 0, out
        assert set(states(engine)) == {"pending"}
        assert all("cannot reach SMTP server" in d.last_error for d in deliveries(engine))
    finally:
        mute.close()


class Busy(Inbox):
    """451 for the addresses in `busy` (greylisting, a full queue), 550 for those in `reject`."""

    def __init__(self) -> None:
        super().__init__()
        self.busy: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.busy:
            return "451 4.7.1 try again later"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def test_4xx_waits_and_5xx_bounces(alerts_env, monkeypatch):
    server = MailServer()
    server.inbox = Busy()
    server.inbox.busy.add("reader0@example.org")
    server.inbox.reject.add("reader1@example.org")
    server.start()
    try:
        use_smtp(monkeypatch, server.url)
        engine = get_engine(alerts_env)
        readers(engine, 3)
        out = jobs.dispatch(now=T0)
        assert (out["sent"], out["retried"], out["bounced"], out["cancelled"]) == (2, 2, 1, 1), out
        status = jobs.status(engine)
        assert [b["email"] for b in status["bounced"]] == ["reader1@example.org"]
        assert (status["totals"]["pending"], status["totals"]["bounced"]) == (2, 1)
        server.inbox.busy.clear()
        assert jobs.dispatch(now=T0 + dt.timedelta(hours=1))["sent"] == 2
        assert sorted(str(m["To"]) for m in server.inbox.messages) == ["reader0@example.org"] * 2 + [
            "reader2@example.org"] * 2
    finally:
        server.stop()


def test_a_confirmation_asked_for_while_the_server_is_down_goes_out_when_it_is_back(alerts_env, monkeypatch):
    """Issue 18: the confirmation was sent directly and lost for good with no SMTP server."""
    server = MailServer()
    use_smtp(monkeypatch, server.url)
    from api.app import create_app

    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    client = TestClient(create_app())
    r = client.post("/alerts/signup", data={"email": "ada@example.org", "target_type": "bill",
                                            "target": "us-119-hr5", "frequency": "immediate"})
    assert r.status_code == 202
    [queued] = deliveries(engine)
    assert (queued.purpose, queued.state, queued.recipient) == ("confirmation", "pending", "ada@example.org")
    assert re.fullmatch(r"<confirmation\.[0-9a-f]{32}@edtracker\.test>", queued.message_id)
    server.start()
    try:
        assert jobs.dispatch(now=utcnow() + dt.timedelta(hours=2))["sent"] == 1
        [msg] = server.inbox.messages
        assert msg["Message-ID"] == queued.message_id and msg["Subject"] == "Confirm your edtracker alert"
        path = re.search(r"http://testserver(/alerts/confirm/\S+)", msg.get_body(("plain",)).get_content()).group(1)
        assert client.get(path).status_code == 200
    finally:
        server.stop()


def test_a_confirmation_goes_out_at_once_when_the_server_is_up(alerts_env, mail, monkeypatch):
    use_smtp(monkeypatch, mail.url)
    from api.app import create_app

    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    client = TestClient(create_app())
    client.post("/alerts/signup", data={"email": "bo@example.org", "target_type": "bill", "target": "us-119-hr5"})
    [msg] = mail.inbox.messages  # sent by the request's background task, no dispatcher run
    [row] = deliveries(engine)
    assert row.state == "sent" and msg["Message-ID"] == row.message_id and row.server_reply.startswith("250")
