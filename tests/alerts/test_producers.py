"""The new kinds reach subscribers through the outbox: a bill that died when its session ended
(from the session calendars' daily sweep) and a scored-vote notice (recorded by the scorecards)."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from tests import factories as f
from tests.alerts.conftest import use_smtp
from tests.alerts.helpers import deliveries, ingest, subscribe
from tracker.alerts import jobs
from tracker.alerts.events import record_event
from tracker.bills.adjournment import sweep
from tracker.db import get_engine
from tracker.models.base import utcnow


def test_died_at_adjournment_from_the_calendar_sweep_is_emailed(alerts_env, mail, monkeypatch):
    use_smtp(monkeypatch, mail.url)
    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    subscribe(engine, "watcher@example.org")  # follows us-119-hr5
    report = sweep(engine, today=dt.date(2027, 2, 1), jurisdiction="us")  # the 119th Congress ended Jan 3
    assert "us-119-hr5" in {b["key"] for b in report.bills}
    out = jobs.dispatch(now=utcnow() + dt.timedelta(minutes=1))
    assert out["sent"] == 1, out
    [msg] = mail.inbox.messages
    text = msg.get_body(("plain",)).get_content()
    assert "Died when session 119 ended (2027-01-03)" in text, text
    assert msg["Message-ID"] == deliveries(engine)[0].message_id
    assert sweep(engine, today=dt.date(2027, 2, 2), jurisdiction="us").died == 0
    assert jobs.dispatch(now=utcnow() + dt.timedelta(minutes=2))["sent"] == 0  # once per bill and session


def test_a_scored_vote_notice_renders(alerts_env, mail, monkeypatch):
    use_smtp(monkeypatch, mail.url)
    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    subscribe(engine, "voter@example.org")
    with Session(engine) as s:
        assert record_event(s, "scored_vote_notice", "notice:ed-2025:us-house-2025-17",
                            {"title": "Community Schools Act of 2025", "identifier": "H.R. 5",
                             "vote_key": "us-house-2025-17"}, bill_key="us-119-hr5", jurisdiction_id="us")
        s.commit()
    assert jobs.dispatch(now=utcnow() + dt.timedelta(minutes=1))["sent"] == 1
    [msg] = mail.inbox.messages
    assert "Scored-vote notice: Community Schools Act of 2025" in msg.get_body(("plain",)).get_content()
