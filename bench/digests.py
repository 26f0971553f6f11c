"""Daily digests for N subscribers (bills and issue areas) delivered to a local aiosmtpd server,
compared with a bare smtplib loop sending the same messages to the same server in the same run.

The server runs in a process of its own, as a real one would: in a thread of the benchmark's
process it would compete for the interpreter lock with whatever the sender computes, and so
measure Python's lock rather than edtracker.

    .venv/bin/python bench/digests.py [--subscribers 10000] [--rounds 3] [--db sqlite|URL]

The machine is shared and noisy, so the two are interleaved: each round sends every digest
through edtracker's outbox (reset to pending between rounds, caches emptied), then the same bytes
through the bare loop, and the figure is the median of the rounds' ratios.
"""
from __future__ import annotations

import argparse
import os
import pickle
import datetime as dt
import random
import secrets
import statistics
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, update  # noqa: E402
from sqlmodel import select  # noqa: E402

from tests import factories as f  # noqa: E402
from tests.alerts.mailserver import free_port  # noqa: E402
from tracker.alerts import outbox, render  # noqa: E402
from tracker.alerts.dispatch import send_due  # noqa: E402
from tracker.db import get_engine, session_scope, upgrade  # noqa: E402
from tracker.ingest import Ingestor  # noqa: E402
from tracker.models import Bill, BillTag, Delivery, IssueArea, Subscriber, Subscription  # noqa: E402
from tracker.settings import Settings  # noqa: E402


SERVER = """
import pickle, sys, time
from aiosmtpd.controller import Controller

class Keep:
    def __init__(self):
        self.raw = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append((envelope.mail_from, envelope.rcpt_tos[0], envelope.original_content))
        return "250 OK"

keep = Keep()
ctl = Controller(keep, hostname="127.0.0.1", port=int(sys.argv[1]))
ctl.start()
print("ready", flush=True)
for line in sys.stdin:          # "dump PATH": write what was received so far; "stop"
    cmd, _, arg = line.strip().partition(" ")
    if cmd == "dump":
        with open(arg, "wb") as fh:
            pickle.dump(keep.raw, fh)
        keep.raw = []
        print("dumped", flush=True)
    elif cmd == "stop":
        break
ctl.stop()
"""


class Server:
    """aiosmtpd in a child process; `take()` returns (and forgets) what it received."""

    def __init__(self, port: int):
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"
        self.dir = tempfile.mkdtemp()

    def take(self) -> list[tuple[str, str, bytes]]:
        path = os.path.join(self.dir, "mail.pickle")
        self.proc.stdin.write(f"dump {path}\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "dumped"
        with open(path, "rb") as fh:
            return pickle.load(fh)

    def stop(self) -> None:
        self.proc.stdin.write("stop\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=10_000)
    ap.add_argument("--bills", type=int, default=60)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db" if args.db == "sqlite" else args.db
    upgrade(url)
    engine = get_engine(url)
    port = free_port()
    server = Server(port)
    settings = Settings(_env_file=None, database_url=url, smtp_url=f"smtp://127.0.0.1:{port}",
                        secret_key="bench-" + "x" * 40, alerts_settle_seconds=0)
    ing = Ingestor(engine, today=dt.date(2025, 6, 1))
    ing.ingest([f.bill(n) for n in range(1, args.bills + 1)], keep_results=False)
    rng = random.Random(7)
    with session_scope(engine) as s:
        areas = [IssueArea(slug=slug, name=slug) for slug in ("early-childhood", "teacher-pay", "school-funding")]
        s.add_all(areas)
        s.flush()
        bills = s.exec(select(Bill)).all()
        for b in bills:
            s.add(BillTag(bill_id=b.id, issue_area_id=rng.choice(areas).id, status="confirmed"))
    conn_rows_p, conn_rows_s = [], []
    for i in range(args.subscribers):
        conn_rows_p.append({"id": i + 1, "email": f"reader{i}@example.org", "status": "active", "token_version": 1})
        target = (("bill", f"us-119-hr{rng.randint(1, args.bills)}") if i % 2 else
                  ("issue_area", rng.choice(["early-childhood", "teacher-pay", "school-funding"])))
        conn_rows_s.append({"subscriber_id": i + 1, "target_type": target[0], "target": target[1], "kinds": [],
                            "frequency": "daily", "send_time": "08:00", "timezone": "America/New_York",
                            "weekday": 0, "channel": "email", "active": True, "consecutive_failures": 0,
                            "cursor": 0, "feed_token": secrets.token_urlsafe(12)})
    with engine.begin() as conn:
        conn.execute(insert(Subscriber.__table__), conn_rows_p)
        conn.execute(insert(Subscription.__table__), conn_rows_s)
    moved = []
    for n in range(1, args.bills + 1):
        b = f.bill(n)
        b["actions"].append({"date": "2025-04-10", "description": "Passed Senate without amendment.",
                             "actor": "upper", "classification": ["passage"]})
        moved.append(b)
    ing.ingest(moved, keep_results=False)
    now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)

    t0 = time.perf_counter()
    planned = outbox.plan_digests(engine, settings, "daily", now, force=True)
    t1 = time.perf_counter()
    print(f"database: {engine.dialect.name}; subscribers: {args.subscribers}; bills: {args.bills}; "
          f"SMTP connections: {settings.alerts_smtp_connections}; load average before: {os.getloadavg()[0]:.1f}")
    print(f"digests planned: {planned} in {t1 - t0:.1f} s")
    ratios = []
    for n in range(args.rounds):
        if n:
            with engine.begin() as conn:  # the same digests, to be sent again
                conn.execute(update(Delivery).values(state="pending", attempts=0, claimed_by=None, claimed_at=None,
                                                     lease_until=None, in_flight=False, sent_at=None,
                                                     server_reply=None, next_attempt_at=None))
            render._facts_cache.clear()
        t1 = time.perf_counter()
        if os.environ.get("BENCH_PROFILE") and n == 0:
            import cProfile
            prof = cProfile.Profile()
            report = prof.runcall(send_due, engine, settings, now, batch=500)
            prof.dump_stats(os.environ["BENCH_PROFILE"])
        else:
            report = send_due(engine, settings, now, batch=500)
        t2 = time.perf_counter()
        copies = server.take()
        sent = len(copies)
        assert sent == report.sent == planned, (sent, report.as_dict(), planned)

        t3 = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for mail_from, rcpt, data in copies:
                smtp.sendmail(mail_from, [rcpt], data)
        t4 = time.perf_counter()
        assert len(server.take()) == len(copies)
        ours, bare = sent / (t2 - t1), len(copies) / (t4 - t3)
        ratios.append(ours / bare)
        print(f"round {n + 1}: edtracker outbox send {sent} messages in {t2 - t1:.1f} s = {ours:.0f} msg/s; "
              f"bare smtplib loop {t4 - t3:.1f} s = {bare:.0f} msg/s; ratio {ours / bare:.2f}", flush=True)
    server.stop()
    print(f"ratio (edtracker / bare smtplib), median of {len(ratios)} rounds: {statistics.median(ratios):.2f} "
          f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)}); load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
