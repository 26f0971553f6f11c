"""Full ingest of a synthetic congress of BILLSTATUS bills into SQLite and PostgreSQL.

    .venv/bin/python bench/ingest_congress.py [--bills 15000] [--db sqlite|postgres|both] [--bulk on|off|both]

The real fixture bills (../shared/fixtures/billstatus, one file per bill) are parsed once and
repeated with renumbered identifiers (H.R. 1 ... H.R. n, keeping each bill's own type) until
there are `--bills` of them: the mix of a real congress (mostly short bills, a few with hundreds
of actions and cosponsors). Each database is measured in its own subprocess so the peak memory
(max RSS) is that run's: first ingest (bills/second), then the same records again (must be all
noop). `--bulk both` (the default) measures the first ingest with the bulk path of new bills
(`tracker.ingest.bulk`) and, in a fresh database, without it (`Ingestor(bulk=False)`: one
savepoint and a dozen statements per bill) as the baseline of the same run. PostgreSQL: a scratch database (`bench/pgscratch.py`): EDTRACKER_TEST_POSTGRES_URL's server or a
throwaway cluster started like `./dev` does.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures")) / "billstatus"
# the 3.0.0 copy of the two bills the fixtures hold in two generations
SKIP = {"v1-amendment-votes/BILLSTATUS-114hr5278.xml", "v1-current/BILLSTATUS-117hr6658.xml"}


@functools.cache
def templates() -> tuple:
    """The fixture bills, parsed once per process (parsing them is not part of an ingest)."""
    from scrapers.formats.billstatus import parse_bill
    from tracker.contract import BillIn

    bills = []
    for path in sorted(FIXTURES.glob("*/*.xml")):
        if str(path.relative_to(FIXTURES)) not in SKIP:
            bill = parse_bill(path.read_bytes(), str(path))
            assert isinstance(bill, BillIn), bill
            bills.append(bill)
    return tuple(bills)


def synthetic_congress(n: int):
    """`n` BillIn records renumbered from the fixture bills (a generator: memory stays flat). The
    fixture files are parsed when it is called, before the first record is asked for, so a
    timed ingest of it does not include parsing them (about 0.25 s: 3% of a 3,000-bill run)."""
    return _renumbered(templates(), n)


def _renumbered(bills: tuple, n: int):
    from tracker.jurisdictions.congress import BILL_TYPES, bill_type_code

    counters: dict[str, int] = {}
    for i in range(n):
        t = bills[i % len(bills)]
        code = bill_type_code(t.identifier.split(" ")[0])
        counters[code] = counters.get(code, 0) + 1
        ident = f"{BILL_TYPES[code].prefix} {counters[code]}"
        yield t.model_copy(update={"identifier": ident, "session": "119"})


def measure(db_url: str, n: int, bulk: bool = True) -> dict:
    """Ingest `n` bills twice into `db_url`; return the figures."""
    import datetime as dt

    from tracker.db import get_engine, upgrade
    from sqlalchemy import event

    from tracker.ingest import Ingestor

    upgrade(db_url)
    engine = get_engine(db_url)
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):  # noqa: ANN002
        statements[0] += 1

    ingest = Ingestor(engine, today=dt.date(2026, 6, 1), bulk=bulk)
    s0 = server_cpu(engine)
    records = synthetic_congress(n)  # the fixture files parsed here, outside the timed ingest
    t0, c0 = time.perf_counter(), time.process_time()
    first = ingest.ingest(records, keep_results=False)
    t1, c1 = time.perf_counter(), time.process_time()
    s1 = server_cpu(engine)
    first_statements = statements[0]
    records = synthetic_congress(n)
    second = ingest.ingest(records, keep_results=False)
    t2, c2 = time.perf_counter(), time.process_time()
    s2 = server_cpu(engine)
    return {"bills": n, "bulk": bulk, "first": first.summary(),
            "first_statements_per_bill": round(first_statements / n, 2), "second": second.summary(),
            "first_bills_per_s": round(n / (t1 - t0), 1), "reingest_bills_per_s": round(n / (t2 - t1), 1),
            "first_s": round(t1 - t0, 1), "reingest_s": round(t2 - t1, 1),
            # this process's CPU only (SQLite runs in it; PostgreSQL's server does not)
            "first_cpu_bills_per_s": round(n / (c1 - c0), 1), "reingest_cpu_bills_per_s": round(n / (c2 - c1), 1),
            "reingest_speedup": round((t1 - t0) / (t2 - t1), 1),
            # PostgreSQL: the CPU of this process and of the server's backends serving it, together
            "first_cpu_with_server_bills_per_s": _rate(n, c1 - c0, s0, s1),
            "reingest_cpu_with_server_bills_per_s": _rate(n, c2 - c1, s1, s2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def server_cpu(engine) -> dict[int, float] | None:
    """PostgreSQL on this machine: CPU seconds so far of each server process serving this
    database (from /proc); None elsewhere."""
    if engine.dialect.name != "postgresql":
        return None
    from sqlalchemy import text

    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars().all()
    ticks, out = os.sysconf("SC_CLK_TCK"), {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # another machine's server, or gone
        out[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return out


def _rate(n: int, client_s: float, before: dict | None, after: dict | None) -> float | None:
    if before is None or after is None:
        return None
    return round(n / (client_s + sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())), 1)


def _child(db: str, n: int, bulk: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", db, "--bills", str(n), "--bulk", "on" if bulk else "off"],
                         capture_output=True,
                         text=True, env=os.environ.copy())
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bills", type=int, default=15000)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--bulk", choices=["on", "off", "both"], default="both")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.bills, args.bulk == "on")))
        return
    modes = {"on": [True], "off": [False], "both": [True, False]}[args.bulk]
    results = {}
    for bulk in modes:
        label = "bulk" if bulk else "per-record"
        if args.db in ("sqlite", "both"):
            folder = Path(tempfile.mkdtemp(prefix="edtracker-bench-"))
            results[("sqlite", label)] = _child(f"sqlite:///{folder / 'bench.db'}", args.bills, bulk)
            shutil.rmtree(folder, ignore_errors=True)
        if args.db in ("postgres", "both"):
            from pgscratch import scratch_database

            with scratch_database() as url:
                results[("postgresql", label)] = _child(url, args.bills, bulk)
    for (db, label), r in results.items():
        print(f"{db:10} {label:10} {r['bills']} bills: {r['first_statements_per_bill']} statements/bill; first ingest {r['first_bills_per_s']} bills/s ({r['first_s']} s) "
              f"{r['first']}; re-ingest {r['reingest_bills_per_s']} bills/s {r['second']} "
              f"({r.get('reingest_speedup')}x the first); CPU of this process: "
              f"{r.get('first_cpu_bills_per_s')} / {r.get('reingest_cpu_bills_per_s')} bills/s; "
              + (f"with the server's: {r['first_cpu_with_server_bills_per_s']} / "
                 f"{r['reingest_cpu_with_server_bills_per_s']} bills/s; " if r.get("first_cpu_with_server_bills_per_s") else "")
              + f"peak RSS {r['peak_rss_mb']} MB; load {os.getloadavg()[0]:.1f}")
    for db in ("sqlite", "postgresql"):
        on, off = results.get((db, "bulk")), results.get((db, "per-record"))
        if on and off:
            print(f"{db:10} bulk / per-record, first ingest: {on['first_bills_per_s'] / off['first_bills_per_s']:.1f}x "
                  f"wall, {on['first_cpu_bills_per_s'] / off['first_cpu_bills_per_s']:.1f}x CPU of this process")


if __name__ == "__main__":
    main()
