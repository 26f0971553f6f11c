"""People import throughput, first load and re-import, on the real fixtures (SQLite).

    .venv/bin/python bench/people_import.py [--baseline /path/to/other/checkout] [--rounds 2]

Loads congress-legislators' current members and the Open States people YAML (1,219 records;
members of Congress in both are merged) into a fresh SQLite store, then loads them again.
With --baseline, the same measure runs alternately on another checkout (e.g. a `git worktree`
of an earlier revision) in subprocesses, so both are compared in one run on the same machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures"))


def measure() -> dict:
    """In this process: records/s of a first load and of a re-import, and their outcomes."""
    logging.disable(logging.WARNING)
    from scrapers.importer import iter_records, plan
    from tracker.db import get_engine, upgrade
    from tracker.ingest import Ingestor

    url = f"sqlite:///{tempfile.mkdtemp(prefix='edt-bench-')}/bench.db"
    upgrade(url)
    engine = get_engine(url)
    items = list(iter_records(plan([FIXTURES / "congress-legislators" / "legislators-current.yaml",
                                    FIXTURES / "openstates-people"])))
    out = {"records": len(items)}
    for label in ("first", "again"):
        t0 = time.perf_counter()
        report = Ingestor(engine, today=dt.date(2026, 1, 15)).ingest(items, keep_results=False)
        out[label] = {"per_s": round(len(items) / (time.perf_counter() - t0)), **report.summary()}
    return out


def _run(tree: Path) -> dict:
    code = f"import sys; sys.path.insert(0, {str(tree)!r}); sys.path.insert(1, {str(ROOT)!r}); " \
           "from bench.people_import import measure; import json; print(json.dumps(measure()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, help="another checkout to compare with, alternately")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    trees = [("this", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    for _ in range(args.rounds):
        for name, tree in trees:
            print(name, json.dumps(_run(tree)))


if __name__ == "__main__":
    main()
