"""The dispatcher process SIGKILLed in the middle of a send, then restarted: no alert is lost and
no duplicate reaches the SMTP server (aiosmtpd), on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests import factories as f
from tests.alerts.conftest import SECRET
from tests.alerts.helpers import deliveries, ingest, moved_bill, subscribe
from tests.conftest import ROOT
from tracker.alerts import jobs
from tracker.alerts.smtp import CRASH_ENV
from tracker.db import get_engine

DISPATCH = "from tracker.alerts.jobs import dispatch; print(dispatch())"


def run_dispatcher(db_url: str, smtp_url: str, crash: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, EDTRACKER_DATABASE_URL=db_url, EDTRACKER_SMTP_URL=smtp_url,
               EDTRACKER_SECRET_KEY=SECRET, EDTRACKER_ALERTS_SETTLE_SECONDS="0",
               EDTRACKER_PUBLIC_URL="http://testserver")
    env.pop(CRASH_ENV, None)
    if crash:
        env[CRASH_ENV] = crash
    return subprocess.run([sys.executable, "-c", DISPATCH], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


# before_commit: the whole message but the final dot is at the server, nothing marked yet.
# after_reply: the server answered 250 to the dot; the answer is not recorded yet.
@pytest.mark.parametrize("crash", ["before_commit", "after_reply"])
def test_killed_dispatcher_restarts_without_loss_or_duplicate(db_url, mail, crash):
    engine = get_engine(db_url)
    ingest(engine, f.batch())
    subscribe(engine, "a@example.org")
    subscribe(engine, "b@example.org")
    ingest(engine, [moved_bill()])  # 2 events x 2 readers = 4 alerts

    killed = run_dispatcher(db_url, mail.url, crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    at_server = len(mail.inbox.messages)
    assert at_server == (1 if crash == "after_reply" else 0)
    assert [d.state for d in deliveries(engine)].count("sending") >= (1 if crash == "before_commit" else 0)

    again = run_dispatcher(db_url, mail.url, None)
    assert again.returncode == 0, again.stderr[-2000:]
    ids = [m["Message-ID"] for m in mail.inbox.messages]
    assert len(ids) == 4 and len(set(ids)) == 4, ids  # every alert once, none twice
    assert {d.state for d in deliveries(engine)} == {"sent"}
    unconfirmed = jobs.status(engine)["unconfirmed_sent"]
    assert unconfirmed == (1 if crash == "after_reply" else 0)
    assert run_dispatcher(db_url, mail.url, None).returncode == 0
    assert len(mail.inbox.messages) == 4
