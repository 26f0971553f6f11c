"""Time `edtracker demo --no-serve`: a first run on an empty data folder, then a second (no-op) run.

`python bench/demo.py [--runs 2]` prints the wall time of each run and what the crawls stored.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EDTRACKER_")}
        env.update(EDTRACKER_DATA_DIR=str(Path(tmp) / "data"), EDTRACKER_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
        for i in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "cli", "demo", "--no-serve", "--json",
                                   "--mirror-port", str(port)], cwd=tmp, env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if done.returncode:
                sys.exit(done.stderr[-2000:])
            rows = json.loads(done.stdout.strip().splitlines()[-1])
            crawls = {r["job"]: (r.get("inserted"), r.get("updated"), r.get("unchanged"))
                      for r in rows if r["job"].startswith("demo-") and r["job"] != "demo-tag"}
            print(f"run {i + 1}: {seconds:.1f} s; crawls (inserted, updated, unchanged): {crawls}")


if __name__ == "__main__":
    main()
