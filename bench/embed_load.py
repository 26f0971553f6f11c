"""Benchmark: the scorecard embed under load with wrk, as a ratio to a trivial endpoint
(/healthz) served by the same uvicorn process in the same run (loopback only, bounded duration).

    .venv/bin/python bench/embed_load.py [--seconds 10] [--connections 32] [--threads 2]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: int, connections: int, threads: int) -> tuple[float, float]:
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    return rps, p99


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install -y wrk)")
    from sqlmodel import Session

    from tests.scoring import helpers as h
    from tracker.db import get_engine, upgrade

    url = f"sqlite:///{tempfile.mkdtemp()}/embed.db"
    upgrade(url)
    h.published_house(get_engine(url), embed_origins=["https://partner.example"])
    with Session(get_engine(url)):
        pass
    port = free_port()
    env = {**os.environ, "EDTRACKER_DATABASE_URL": url, "EDTRACKER_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--no-access-log"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        embed = f"{base}/embed/c/edfund/scorecards/house-2025?lang=en"
        urllib.request.urlopen(embed).read()  # warm the render cache
        results = {}
        for name, target in (("trivial /healthz", f"{base}/healthz"), ("embed", embed)):
            results[name] = wrk(target, a.seconds, a.connections, a.threads)
            print(f"{name:<18} {results[name][0]:>9.0f} req/s   p99 {results[name][1]:.1f} ms")
        (t_rps, t_p99), (e_rps, e_p99) = results["trivial /healthz"], results["embed"]
        print(f"embed / trivial throughput: {e_rps / t_rps:.2f}   p99 ratio: {e_p99 / t_p99:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
