"""Dispatcher processes SIGKILLed at random points and at the named points of a send, and four
dispatchers at once with a kill, against a real SMTP server (aiosmtpd), on SQLite and PostgreSQL:
0 alerts lost, and any repeat carries the same Message-ID and is counted as possibly repeated."""
from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlmodel import Session

from tests import factories as f
from tests.alerts.conftest import SECRET
from tests.alerts.helpers import deliveries, ingest, moved_bill, subscribe
from tests.alerts.mailserver import Inbox, MailServer
from tests.conftest import ROOT
from tracker.alerts import jobs, outbox
from tracker.alerts.smtp import CRASH_ENV
from tracker.coalitions.mail import reset_email
from tracker.db import get_engine
from tracker.settings import Settings

SEND = ("import json, os; from tracker.alerts.dispatch import send_due; from tracker.db import get_engine; "
        "from tracker.settings import get_settings; s = get_settings(); "
        "print(json.dumps(send_due(get_engine(s.effective_database_url), s, "
        "batch=int(os.environ['BATCH'])).as_dict()))")


class SlowInbox(Inbox):
    """Takes a few milliseconds a message, so a kill lands in the middle of a run."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await asyncio.sleep(0.004)
        return await super().handle_DATA(server, session, envelope)


def dispatcher(db_url: str, smtp_url: str, crash: str | None = None, batch: int = 25) -> subprocess.Popen:
    env = dict(os.environ, EDTRACKER_DATABASE_URL=db_url, EDTRACKER_SMTP_URL=smtp_url,
               EDTRACKER_SECRET_KEY=SECRET, EDTRACKER_ALERTS_SETTLE_SECONDS="0",
               EDTRACKER_PUBLIC_URL="http://testserver", BATCH=str(batch))
    env.pop(CRASH_ENV, None)
    if crash:
        env[CRASH_ENV] = crash
    return subprocess.Popen([sys.executable, "-c", SEND], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def queue(db_url: str, readers: int) -> int:
    """`readers` subscribers x 2 events (a stage change and an action), plus two ready-made emails."""
    engine = get_engine(db_url)
    ingest(engine, f.batch())
    for i in range(readers):
        subscribe(engine, f"reader{i}@example.org")
    ingest(engine, [moved_bill()])
    settings = Settings(_env_file=None, database_url=db_url, mail_from="Ed <alerts@edtracker.test>",
                        alerts_settle_seconds=0)
    planned = outbox.plan_immediate(engine, settings)
    with Session(engine) as db:
        for n in range(2):
            to = f"staff{n}@example.org"
            outbox.enqueue(db, reset_email(mail_from=settings.mail_from, to=to, coalition="Fair", url="http://x/r",
                                           max_age=3600), to, purpose="password_reset", mail_from=settings.mail_from)
        db.commit()
    return planned + 2


def check_nothing_lost(db_url: str, inbox: Inbox, expected: int) -> dict:
    """Every delivery sent, each once or repeated with its own Message-ID; repeats counted."""
    engine = get_engine(db_url)
    rows = deliveries(engine)
    assert len(rows) == expected
    assert collections.Counter(d.state for d in rows) == {"sent": expected}, [(d.id, d.state, d.last_error)
                                                                               for d in rows if d.state != "sent"]
    stored = {d.message_id: d for d in rows}
    assert len(stored) == expected and None not in stored
    received = collections.Counter(str(m["Message-ID"]) for m in inbox.messages)
    assert set(received) == set(stored)  # 0 lost, nothing sent under another Message-ID
    for m in inbox.messages:  # each copy went to its delivery's recipient
        d = stored[str(m["Message-ID"])]
        assert str(m["To"]) == (d.recipient or str(m["To"]))
    repeated = {mid for mid, n in received.items() if n > 1}
    assert all(stored[mid].uncertain > 0 for mid in repeated), "a repeat the status page does not count"
    totals = jobs.status(engine)["totals"]
    assert totals["sent"] == expected and totals["pending"] == 0
    assert totals["possibly_repeated"] == sum(d.uncertain > 0 for d in rows) >= len(repeated)
    return {"repeated": len(repeated), "copies": sum(received.values()), "possibly": totals["possibly_repeated"]}


@pytest.fixture
def slow_mail():
    server = MailServer()
    server.inbox = SlowInbox()
    server.start()
    yield server
    server.stop()


# before_end_of_data: the whole message but the final dot is at the server (it keeps nothing).
# after_end_of_data: the dot is sent, the answer not read. after_reply: accepted, not yet marked.
@pytest.mark.parametrize("crash", ["before_end_of_data", "after_end_of_data", "after_reply"])
def test_killed_at_each_point_of_a_send_loses_nothing(db_url, mail, crash):
    expected = queue(db_url, 2)
    killed = dispatcher(db_url, mail.url, crash)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert len(mail.inbox.messages) == (0 if crash == "before_end_of_data" else 1)
    finish(dispatcher(db_url, mail.url))
    seen = check_nothing_lost(db_url, mail.inbox, expected)
    # Killed once the dot was out, the server took the message: it is repeated, same Message-ID.
    assert seen["copies"] == expected + (0 if crash == "before_end_of_data" else 1)
    # The whole first chunk was in flight: any of its messages may have been repeated.
    assert seen["possibly"] == expected
    assert len(mail.inbox.messages) == seen["copies"]
    finish(dispatcher(db_url, mail.url))  # nothing more goes out
    assert len(mail.inbox.messages) == seen["copies"]


def test_twenty_kills_at_random_points_lose_nothing(db_url, slow_mail):
    rng = random.Random(int(os.environ.get("EDTRACKER_TEST_SEED", "18")))
    expected = queue(db_url, 150)
    kills = 0
    while kills < 20:
        before = len(slow_mail.inbox.messages)
        proc = dispatcher(db_url, slow_mail.url, batch=rng.choice([5, 25, 200]))
        # Wait until this run is sending (or has ended), then kill it a random moment later.
        deadline = time.monotonic() + 30
        while len(slow_mail.inbox.messages) == before and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, "the run ended before the kill: queue more messages"
        kills += 1
    assert len({str(m["Message-ID"]) for m in slow_mail.inbox.messages}) < expected  # kills stopped real work
    finish(dispatcher(db_url, slow_mail.url))
    seen = check_nothing_lost(db_url, slow_mail.inbox, expected)
    print("after 20 kills:", seen)


def test_four_dispatchers_and_a_kill_claim_each_message_once(db_url, slow_mail):
    expected = queue(db_url, 100)
    procs = [dispatcher(db_url, slow_mail.url, batch=10) for _ in range(4)]
    deadline = time.monotonic() + 60
    while len(slow_mail.inbox.messages) < 40 and time.monotonic() < deadline:
        time.sleep(0.005)
    # On SQLite one dispatcher holds the lock and the others have returned: kill one still sending.
    victim = next(p for p in procs[1:] + procs[:1] if p.poll() is None)
    victim.send_signal(signal.SIGKILL)
    reports = [finish(p) for p in procs if p is not victim]
    victim.communicate(timeout=60)
    assert victim.returncode == -signal.SIGKILL
    if get_engine(db_url).dialect.name == "postgresql":
        # They really ran at once: more than one of the survivors sent messages.
        assert sum(r["sent"] > 0 for r in reports) >= 2, reports
    finish(dispatcher(db_url, slow_mail.url))  # takes over what the killed one held
    seen = check_nothing_lost(db_url, slow_mail.inbox, expected)
    # Claimed once: only the killed dispatcher's in-flight chunk may have been repeated.
    assert seen["copies"] - expected <= 10 and seen["possibly"] <= 10
