"""Benchmark: public pages, embeds and the JSON API as ratios to a bare plain-text endpoint served
by the same uvicorn server (the `edtracker serve` stack) in the same run (issue 19).

The bare endpoint (`/bench/plain`) exists only in this script's app factory, never in production.
Load comes from wrk when installed, else from a small asyncio load generator in its own process.

    .venv/bin/python bench/serve_pages.py [--db sqlite|postgres] [--workers 1] [--seconds 8]
        [--connections 32] [--no-cache]
"""
from __future__ import annotations

import argparse
import contextlib
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


def bench_app():
    """The real app plus one bare plain-text route (this benchmark's baseline)."""
    from fastapi.responses import PlainTextResponse

    from api.app import serve_app

    renders = _count_renders()
    collections = _time_collections()
    app = serve_app()   # as `edtracker serve` runs it

    @app.get("/bench/plain", include_in_schema=False)
    def plain() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/bench/renders", include_in_schema=False)
    def renders_so_far() -> list:
        """The page cache's renders since the last call: (path, in the background, ms, when it began
        by `time.perf_counter()`, the machine's monotonic clock), then forgotten."""
        out = list(renders)
        renders.clear()
        return out

    @app.get("/bench/collections", include_in_schema=False)
    def collections_so_far() -> list:
        """The garbage collector's passes over 5 ms since the last call: (generation, ms, when it
        began by `time.perf_counter()`), then forgotten."""
        out = list(collections)
        collections.clear()
        return out
    return app


def _time_collections() -> list:
    """Time every pass of the cyclic garbage collector (it holds the GIL: every thread waits)."""
    import gc

    passes: list = []
    began = [0.0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        elif (ms := (time.perf_counter() - began[0]) * 1000) > 5:
            passes.append((info["generation"], round(ms, 1), began[0]))
    gc.callbacks.append(timed)
    return passes


def _count_renders() -> list:
    """Record every rendering the page cache starts (this benchmark's instrument, not the app's)."""
    from api.page_cache import PageCache

    renders: list = []
    render, background = PageCache._render, PageCache._render_in_background

    async def timed(self, scope, *args, **kwargs):   # noqa: ANN001, ANN202
        t = time.perf_counter()
        try:
            await render(self, scope, *args, **kwargs)
        finally:
            renders.append((scope["path"] + ("?" + scope["query_string"].decode() if scope.get("query_string") else ""),
                            scope.get("bench.background", False), round((time.perf_counter() - t) * 1000, 1), t))

    async def marked(self, scope, *args, **kwargs):   # noqa: ANN001, ANN202
        await background(self, {**scope, "bench.background": True}, *args, **kwargs)
    PageCache._render, PageCache._render_in_background = timed, marked
    return renders


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
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    return rps, p99


def pyload(url: str, seconds: int, connections: int) -> tuple[float, float]:
    """The asyncio load generator (bench/loadgen.py) in its own process."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "loadgen.py"), url, str(seconds), str(connections)],
                         capture_output=True, text=True, check=True, timeout=seconds + 60).stdout.split()
    return float(out[0]), float(out[1])


def prepare(url: str) -> dict[str, str]:
    """The scorecard fixture of the scorecard tests; returns the paths to load."""
    from sqlmodel import Session, select

    from tests.scoring import helpers as h
    from tracker.db import get_engine, upgrade
    from tracker.models import Legislator

    upgrade(url)
    engine = get_engine(url)
    h.published_house(engine, embed_origins=["https://partner.example"])
    with Session(engine) as db:
        leg = db.exec(select(Legislator).where(Legislator.family_name == "Adams")).one()
    engine.dispose()
    return {"bare /bench/plain": "/bench/plain", "/healthz (SELECT 1)": "/healthz",
            "scorecard embed": "/embed/c/edfund/scorecards/house-2025?lang=en",
            "bill page": "/bill/us-119-hr5?lang=en",
            "legislator page": f"/legislators/{leg.key}?lang=en",
            "JSON /api/bills/{key}": "/api/bills/us-119-hr5"}


@contextlib.contextmanager
def database(kind: str):
    if kind == "sqlite":
        yield f"sqlite:///{tempfile.mkdtemp()}/serve.db"
        return
    from bench.pgscratch import scratch_database
    with scratch_database() as url:
        yield url


def serve(url: str, workers: int, cache: bool) -> tuple[subprocess.Popen, str]:
    from cli.serve import fast_stack

    port = free_port()
    env = {**os.environ, "EDTRACKER_DATABASE_URL": url, "EDTRACKER_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    if not cache:
        env["EDTRACKER_PAGE_CACHE_ENTRIES"] = "0"
    stack = fast_stack()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "bench.serve_pages:bench_app",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                             "--no-access-log", "--http", stack["http"], "--loop", stack["loop"],
                             "--workers", str(workers)], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/bench/plain", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-cache", action="store_true", help="EDTRACKER_PAGE_CACHE_ENTRIES=0 (before/after)")
    ap.add_argument("--only", help="comma-separated names to load (default: all)")
    a = ap.parse_args()
    load = (lambda u: wrk(u, a.seconds, a.connections, a.threads)) if shutil.which("wrk") else \
        (lambda u: pyload(u, a.seconds, a.connections))
    with database(a.db) as url:
        paths = prepare(url)
        proc, base = serve(url, a.workers, not a.no_cache)
        try:
            for path in paths.values():
                with urllib.request.urlopen(base + path) as r:   # warm: first render, templates
                    assert r.status == 200, (path, r.status)
            print(f"{a.db}, {a.workers} worker(s), page cache {'off' if a.no_cache else 'on'}, "
                  f"{'wrk' if shutil.which('wrk') else 'loadgen'} {a.connections} connections {a.seconds} s; "
                  f"load average before {os.getloadavg()[0]:.1f}")
            results = {}
            for name, path in paths.items():
                if a.only and name not in a.only.split(","):
                    continue
                results[name] = load(base + path)
            bare = results.get("bare /bench/plain", (None, None))[0]
            for name, (rps, p99) in results.items():
                ratio = f"{rps / bare:.2f}" if bare else "-"
                print(f"  {name:<24} {rps:>8.0f} req/s  p99 {p99:>7.1f} ms  ratio to bare {ratio}")
            print(f"load average after {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
