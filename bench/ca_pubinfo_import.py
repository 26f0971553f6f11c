"""California pubinfo import speed against the federal BILLSTATUS reader, in the same run.

    .venv/bin/python bench/ca_pubinfo_import.py [--db sqlite|postgres|both] [--rounds 2]

Both are read exactly as `edtracker import` reads them (`scrapers.importer.plan` + `iter_records`
into `tracker.ingest.Ingestor`), each into a fresh database: the 15 real BILLSTATUS files
(../shared/fixtures/billstatus) and the real 2025-26 pubinfo dump (ca-pubinfo/2025-daily: 2,546
bills with their history, authors, 130 roll calls with 4,372 member votes, 119 legislators, 63
committees). Reported: bills per second of the parse alone and of the whole import (everything
the source holds, votes and people included, divided by its bills), then the re-import (all noop).
Rounds alternate federal and California; the best round of each counts. Target: California's
import at no less than the federal reader's bills per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures"))
SOURCES = {"federal": FIXTURES / "billstatus", "california": FIXTURES / "ca-pubinfo" / "2025-daily"}


def measure(db_url: str, folder: Path) -> dict:
    from scrapers.importer import iter_records, plan
    from tracker.contract import BillIn
    from tracker.db import get_engine, upgrade
    from tracker.ingest import Ingestor

    upgrade(db_url)
    t0 = time.perf_counter()
    items = list(iter_records(plan([str(folder)])))
    t_parse = time.perf_counter() - t0
    bills = sum(isinstance(i, BillIn) for i in items)
    ingest = Ingestor(get_engine(db_url), today=dt.date(2025, 3, 10))
    t0 = time.perf_counter()
    first = ingest.ingest(iter_records(plan([str(folder)])), keep_results=False)
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    second = ingest.ingest(iter_records(plan([str(folder)])), keep_results=False)
    t_second = time.perf_counter() - t0
    return {"bills": bills, "records": len(items), "parse_bills_per_s": round(bills / t_parse, 1),
            "import_bills_per_s": round(bills / t_first, 1), "reimport_bills_per_s": round(bills / t_second, 1),
            "import_s": round(t_first, 1), "first": first.summary(), "second": second.summary()}


def _child(db_url: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", db_url, "--folder", str(folder)],
                         capture_output=True, text=True, env=os.environ.copy())
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(db: str, folder: Path, work: Path, n: int) -> dict:
    if db == "sqlite":
        return _child(f"sqlite:///{work / f'bench-{folder.name}-{n}.db'}", folder)
    from pgscratch import scratch_database

    with scratch_database() as url:
        return _child(url, folder)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, Path(args.folder))))
        return
    work = Path(tempfile.mkdtemp(prefix="edtracker-bench-ca."))
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        best: dict[str, dict] = {}
        for n in range(args.rounds):
            for name, folder in SOURCES.items():
                got = run(db, folder, work, n)
                print(db, name, f"round {n + 1}", json.dumps(got), flush=True)
                if name not in best or got["import_bills_per_s"] > best[name]["import_bills_per_s"]:
                    best[name] = got
        fed, ca = best["federal"], best["california"]
        print(f"{db}: import {ca['import_bills_per_s']} CA bills/s vs {fed['import_bills_per_s']} federal "
              f"bills/s (ratio {ca['import_bills_per_s'] / fed['import_bills_per_s']:.1f}); parse "
              f"{ca['parse_bills_per_s']} vs {fed['parse_bills_per_s']}; re-import {ca['reimport_bills_per_s']} "
              f"vs {fed['reimport_bills_per_s']}")


if __name__ == "__main__":
    main()
