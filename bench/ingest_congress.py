"""Full ingest of a synthetic congress of BILLSTATUS bills into SQLite and PostgreSQL.

    .venv/bin/python bench/ingest_congress.py [--bills 15000] [--db sqlite|postgres|both]

The real fixture bills (../shared/fixtures/billstatus, one file per bill) are parsed once and
repeated with renumbered identifiers (H.R. 1 ... H.R. n, keeping each bill's own type) until
there are `--bills` of them: the mix of a real congress (mostly short bills, a few with hundreds
of actions and cosponsors). Each database is measured in its own subprocess so the peak memory
(max RSS) is that run's: first ingest (bills/second), then the same records again (must be all
noop). PostgreSQL: EDTRACKER_TEST_POSTGRES_URL, or a throwaway cluster started here like `./dev`.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures")) / "billstatus"
# the 3.0.0 copy of the two bills the fixtures hold in two generations
SKIP = {"v1-amendment-votes/BILLSTATUS-114hr5278.xml", "v1-current/BILLSTATUS-117hr6658.xml"}


def synthetic_congress(n: int):
    """`n` BillIn records renumbered from the fixture bills (a generator: memory stays flat)."""
    from scrapers.formats.billstatus import parse_bill
    from tracker.congress import BILL_TYPES, bill_type_code
    from tracker.contract import BillIn

    templates = []
    for path in sorted(FIXTURES.glob("*/*.xml")):
        if str(path.relative_to(FIXTURES)) not in SKIP:
            bill = parse_bill(path.read_bytes(), str(path))
            assert isinstance(bill, BillIn), bill
            templates.append(bill)
    counters: dict[str, int] = {}
    for i in range(n):
        t = templates[i % len(templates)]
        code = bill_type_code(t.identifier.split(" ")[0])
        counters[code] = counters.get(code, 0) + 1
        ident = f"{BILL_TYPES[code].prefix} {counters[code]}"
        yield t.model_copy(update={"identifier": ident, "session": "119"})


def measure(db_url: str, n: int) -> dict:
    """Ingest `n` bills twice into `db_url`; return the figures."""
    import datetime as dt

    from tracker.db import get_engine, upgrade
    from tracker.ingest import Ingestor

    upgrade(db_url)
    engine = get_engine(db_url)
    ingest = Ingestor(engine, today=dt.date(2026, 6, 1))
    t0 = time.perf_counter()
    first = ingest.ingest(synthetic_congress(n), keep_results=False)
    t1 = time.perf_counter()
    second = ingest.ingest(synthetic_congress(n), keep_results=False)
    t2 = time.perf_counter()
    return {"bills": n, "first": first.summary(), "second": second.summary(),
            "first_bills_per_s": round(n / (t1 - t0), 1), "reingest_bills_per_s": round(n / (t2 - t1), 1),
            "first_s": round(t1 - t0, 1), "reingest_s": round(t2 - t1, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> tuple[str, callable]:
    """A throwaway PostgreSQL cluster (as `./dev test` starts one); returns (url, stop)."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins:
        raise SystemExit("no PostgreSQL binaries under /usr/lib/postgresql; set EDTRACKER_TEST_POSTGRES_URL")
    bin_dir, folder, port = bins[-1], Path(tempfile.mkdtemp(prefix="edtracker-bench-pg.")), _free_port()
    run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []  # initdb refuses root
    if run_as:
        shutil.chown(folder, "postgres")
    subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"), "-w",
                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                          "-c synchronous_commit=off -c full_page_writes=off", "start"],
                   check=True, capture_output=True)

    def stop():
        subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop


def _child(db: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", db, "--bills", str(n)], capture_output=True,
                         text=True, env=os.environ.copy())
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bills", type=int, default=15000)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.bills)))
        return
    results = {}
    if args.db in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="edtracker-bench-"))
        results["sqlite"] = _child(f"sqlite:///{folder / 'bench.db'}", args.bills)
        shutil.rmtree(folder, ignore_errors=True)
    if args.db in ("postgres", "both"):
        base, stop = os.environ.get("EDTRACKER_TEST_POSTGRES_URL"), None
        if not base:
            base, stop = start_postgres()
        try:
            from sqlalchemy import text
            from sqlalchemy.engine import make_url

            from tracker.db import make_engine
            name = f"edt_bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            results["postgresql"] = _child(make_url(base).set(database=name).render_as_string(hide_password=False),
                                           args.bills)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        finally:
            if stop:
                stop()
    for db, r in results.items():
        print(f"{db:10} {r['bills']} bills: first ingest {r['first_bills_per_s']} bills/s ({r['first_s']} s) "
              f"{r['first']}; re-ingest {r['reingest_bills_per_s']} bills/s {r['second']}; "
              f"peak RSS {r['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
