"""What detection costs: planning (which reader takes which file) against parsing, on LegiScan JSON.

    .venv/bin/python bench/import_plan.py [--copies 200]

The real `legiscan/` JSON files are written `--copies` times with renumbered ids (as
bench/import_states.py does), then `scrapers.importer.plan` and `iter_records` run on the folder;
JSON readers decide from each file's top-level keys, so planning decodes every JSON file once.
CPU seconds (process time, best of 5), so other work on the machine counts less.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    import import_states

    from scrapers.importer import iter_records, plan

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=200)
    args = ap.parse_args()
    import_states.DATASETS = [("legiscan", "legiscan-json")]
    folder = Path(tempfile.mkdtemp(prefix="edt-plan-"))
    try:
        files = import_states.replicate(folder, args.copies)
        best_plan = best_parse = float("inf")
        for _ in range(5):
            t = time.process_time()
            p = plan([folder])
            best_plan = min(best_plan, time.process_time() - t)
            t = time.process_time()
            items = list(iter_records(p))
            best_parse = min(best_parse, time.process_time() - t)
        print(f"{files} files, {len(items)} records and errors: plan {best_plan:.2f} s, parse {best_parse:.2f} s "
              f"(plan = {best_plan / best_parse:.0%} of parse)")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
