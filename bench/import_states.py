"""LegiScan dataset import throughput (records/second) on SQLite and PostgreSQL.

    .venv/bin/python bench/import_states.py [--copies 5] [--db sqlite|postgres|both]

The real LegiScan fixtures (../shared/fixtures/legiscan: JSON flavour; legiscan-ms-xml: the
XML flavour, Mississippi 2012-2014) are written `--copies` times into a temp folder with
renumbered ids (bill_id, roll_call_id, people_id, committee_id shifted by copy * 10,000,000;
bill numbers by copy * 10,000), so every copy is new bills, roll calls and people with the real mix of sizes.
The folder is read exactly as `edtracker import` reads it (`scrapers.importer.plan` +
`iter_records` into `tracker.ingest.Ingestor`): parse only, first import, then a re-import that
must be all noop. Each database runs in its own subprocess. PostgreSQL: EDTRACKER_TEST_POSTGRES_URL,
or a throwaway cluster started like `./dev` does (a scratch database, `bench/pgscratch.py`).
Open States import figures are in bench/matching.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures"))
# (fixture folder, dataset folder name in the copy: keeps `ms-2013` so the state is read from the path)
DATASETS = [("legiscan", "legiscan-json")] + [(f"legiscan-ms-xml/ms-{y}", f"ms-{y}") for y in (2012, 2013, 2014)]
ID_SHIFT, NUMBER_SHIFT = 10_000_000, 10_000
_ID_KEYS = "bill_id|roll_call_id|people_id|committee_id"
_IDS = re.compile(rf'(?P<pre>"(?:{_ID_KEYS})"\s*:\s*"?|<(?:{_ID_KEYS})>)(?P<num>\d+)')
_NUMBERS = re.compile(r'(?P<pre>"bill_number"\s*:\s*"|<bill_number>)(?P<prefix>[A-Za-z]+)(?P<num>\d+)')


def renumber(text: str, copy: int) -> str:
    """The file's text with its ids and bill numbers moved into copy `copy`'s range (JSON or XML)."""
    if copy == 0:
        return text
    text = _IDS.sub(lambda m: m["pre"] + str(int(m["num"]) + copy * ID_SHIFT), text)
    return _NUMBERS.sub(lambda m: m["pre"] + m["prefix"] + str(int(m["num"]) + copy * NUMBER_SHIFT), text)


def replicate(folder: Path, copies: int) -> int:
    """Write `copies` renumbered copies of the LegiScan fixtures under `folder`; return the file count."""
    count = 0
    for k in range(copies):
        for src, name in DATASETS:
            base = FIXTURES / src
            for path in sorted(base.rglob("*")):
                if path.suffix.lower() not in (".json", ".xml") or not path.is_file():
                    continue
                rel = path.relative_to(base)
                out = folder / f"r{k:04d}" / name / rel.parent / f"{k}-{rel.name}"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(renumber(path.read_text(encoding="utf-8"), k), encoding="utf-8")
                count += 1
    return count


def measure(db_url: str, folder: Path) -> dict:
    """Parse, import and re-import `folder` into `db_url`; return the figures."""
    from scrapers.importer import iter_records, plan
    from tracker.contract import RecordError
    from tracker.db import get_engine, upgrade
    from tracker.ingest import Ingestor

    upgrade(db_url)
    t0 = time.perf_counter()
    items = list(iter_records(plan([str(folder)])))
    t_parse = time.perf_counter() - t0
    records = sum(not isinstance(i, RecordError) for i in items)
    ingest = Ingestor(get_engine(db_url), today=dt.date(2026, 6, 1))
    t0 = time.perf_counter()
    first = ingest.ingest(iter_records(plan([str(folder)])), keep_results=False)
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    second = ingest.ingest(iter_records(plan([str(folder)])), keep_results=False)
    t_second = time.perf_counter() - t0
    kinds: dict[str, int] = {}
    for i in items:
        kinds[getattr(i, "kind", "error")] = kinds.get(getattr(i, "kind", "error"), 0) + 1
    return {"records": records, "errors": len(items) - records, "kinds": kinds,
            "parse_records_per_s": round(records / t_parse), "first_records_per_s": round(records / t_first, 1),
            "reimport_records_per_s": round(records / t_second, 1), "first_s": round(t_first, 1),
            "reimport_s": round(t_second, 1), "first": first.summary(), "second": second.summary(),
            "reimport_all_noop": second.summary()["noop"] == records and second.summary()["insert"] == 0
            and second.summary()["update"] == 0}


def _child(db_url: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", db_url, "--folder", str(folder)],
                         capture_output=True, text=True, env=os.environ.copy())
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres(folder: Path) -> dict:
    from pgscratch import scratch_database

    with scratch_database() as url:
        return _child(url, folder)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, Path(args.folder))))
        return
    work = Path(tempfile.mkdtemp(prefix="edtracker-bench-states."))
    try:
        files = replicate(work / "data", args.copies)
        results = {}
        if args.db in ("sqlite", "both"):
            results["sqlite"] = _child(f"sqlite:///{work / 'bench.db'}", work / "data")
        if args.db in ("postgres", "both"):
            results["postgresql"] = _postgres(work / "data")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"copies": args.copies, "files": files, **results}, indent=2))


if __name__ == "__main__":
    main()
