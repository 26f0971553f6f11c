"""Benchmark: request latency (p50/p99) of a mix of public pages and JSON while an import writes
to the same database in another process, as a ratio to the same mix on the idle server (issue 19).

The server is `edtracker serve`'s stack (1 worker by default); the load is open-loop (a fixed
request rate, every request timed from when it was due, so a stall counts for every request
that waited behind it); the import is `bench/ingest_congress.py`'s synthetic congress through
the Ingestor, in its own process.

    .venv/bin/python bench/serve_during_import.py [--db sqlite|postgres] [--rate 30] [--seconds 20]
        [--bills 15000] [--workers 1] [--pre 40]

`--pre N` imports the synthetic congress's first N bills before the idle phase, so every address
of the mix is the same page in both phases (with 0, H.R. 1-3 are "not found" pages while idle).
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve_pages import database, prepare, serve  # noqa: E402


def mix(paths: dict[str, str]) -> list[str]:
    """Pages, embed and JSON; bills the import rewrites (H.R. 1-5) and one it never touches."""
    return [paths["scorecard embed"], paths["bill page"], "/bill/us-119-hr1", "/bill/us-119-hr2?lang=es",
            paths["legislator page"], paths["JSON /api/bills/{key}"], "/api/bills/us-119-hr3",
            "/api/legislators?limit=20", "/search?q=school", "/healthz"]


async def load(base: str, urls: list[str], rate: float, seconds: float, by_url: dict | None = None) -> list[float]:
    """Latencies (ms) of `rate` requests a second for `seconds`, round-robin over `urls`."""
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    late: list[float] = []

    async def one(client, url: str, due: float) -> None:
        late.append((time.perf_counter() - due) * 1000)   # the load generator's own lag, before sending
        try:
            r = await client.get(url)
            if r.status_code >= 500:
                errors.append(f"{url}: {r.status_code}")
        except httpx.HTTPError as exc:
            errors.append(f"{url}: {exc!r}")
        latencies.append((time.perf_counter() - due) * 1000)
        if by_url is not None:
            by_url.setdefault(url, []).append(latencies[-1])
            by_url.setdefault("_timeline", []).append((round(due - start, 2), round(latencies[-1])))

    async with httpx.AsyncClient(base_url=base, timeout=120,
                                 limits=httpx.Limits(max_connections=200, max_keepalive_connections=50)) as client:
        tasks, start, i = [], time.perf_counter(), 0
        while (due := start + i / rate) < start + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(client, urls[i % len(urls)], due)))
            i += 1
        await asyncio.gather(*tasks)
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[:3]}")
    if by_url is not None:
        by_url["_late"] = late
    return latencies


def stats(lat: list[float]) -> dict:
    s = sorted(lat)
    return {"n": len(s), "p50": s[len(s) // 2], "p99": s[int(len(s) * 0.99)], "max": s[-1]}


def renders(base: str) -> list:
    """The page cache's renders since the last call (the benchmark app's /bench/renders)."""
    import httpx

    return httpx.get(base + "/bench/renders", timeout=30).json()


def collections(base: str) -> list:
    """The server's garbage collector passes over 5 ms since the last call (/bench/collections)."""
    import httpx

    return httpx.get(base + "/bench/collections", timeout=30).json()


def summary(done: list) -> str:
    """Per address: renders in the open / in the background, and their total and longest ms."""
    by: dict[str, list] = {}
    for path, background, ms, _began in done:
        row = by.setdefault(path, [0, 0, 0.0, 0.0])
        row[1 if background else 0] += 1
        row[2] += ms
        row[3] = max(row[3], ms)
    fg, bg = sum(r[0] for r in by.values()), sum(r[1] for r in by.values())
    lines = [f"{fg} in the open, {bg} in the background, {sum(r[2] for r in by.values()):.0f} ms in all"]
    lines += [f"      {p:<48} {r[0]:>3} open {r[1]:>3} background, {r[2]:7.0f} ms, longest {r[3]:5.0f} ms"
              for p, r in sorted(by.items())]
    return "\n".join(lines)


def start_import(url: str, bills: int, niceness: int = 0) -> subprocess.Popen:
    code = ("import sys, datetime as dt, time; sys.path.insert(0, 'bench'); sys.path.insert(0, '.');"
            "from ingest_congress import synthetic_congress;"
            "from tracker.db import get_engine; from tracker.ingest import Ingestor;"
            f"t = time.perf_counter(); r = Ingestor(get_engine({url!r}), today=dt.date(2026, 6, 1))"
            f".ingest(synthetic_congress({bills}), keep_results=False);"
            "print(r.summary(), round(time.perf_counter() - t, 1), 's', flush=True)")
    from scheduler import start_process  # as the scheduler starts its crawls

    return start_process([sys.executable, "-c", code], niceness, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def pre_import(url: str, bills: int) -> None:
    """The first `bills` of the synthetic congress, as the import will write them (then noops for it)."""
    import datetime as dt

    from bench.ingest_congress import synthetic_congress
    from tracker.db import get_engine
    from tracker.ingest import Ingestor

    Ingestor(get_engine(url), today=dt.date(2026, 6, 1)).ingest(synthetic_congress(bills), keep_results=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--rate", type=float, default=30)
    ap.add_argument("--seconds", type=float, default=20)
    # enough that the import is still running when the measurement ends (3,000 bills took 6-8 s
    # since the first ingest got faster: the rest of the window measured an idle server again)
    ap.add_argument("--bills", type=int, default=15000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-cache", action="store_true", help="EDTRACKER_PAGE_CACHE_ENTRIES=0 (before/after)")
    ap.add_argument("--pre", type=int, default=40, help="bills imported before the idle phase (0: none)")
    ap.add_argument("--import-nice", type=int, default=0, help="run the import at this CPU niceness")
    a = ap.parse_args()
    with database(a.db) as url:
        paths = prepare(url)
        if a.pre:
            pre_import(url, a.pre)
        proc, base = serve(url, a.workers, not a.no_cache)
        # This process imported the whole app to prepare the data: a full garbage collection of
        # it held the load generator up to 0.5 s, counted as every request's latency.
        gc.collect()
        gc.freeze()
        try:
            urls = mix(paths)
            asyncio.run(load(base, urls, 5, 2))            # warm
            print(f"{a.db}, {a.workers} worker(s), page cache {'off' if a.no_cache else 'on'}, {a.pre} bills before, import niceness "
                  f"{a.import_nice}, {a.rate:g} req/s over {len(urls)} URLs, "
                  f"load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
            renders(base), collections(base)
            idle = stats(asyncio.run(load(base, urls, a.rate, a.seconds)))
            idle_renders, idle_passes = renders(base), collections(base)
            importer = start_import(url, a.bills, a.import_nice)
            time.sleep(1.0)   # past the import's start-up (parsing the fixture bills)
            per_url: dict[str, list[float]] = {}
            began = time.perf_counter()   # the server's renders are timed by the same monotonic clock
            during = stats(asyncio.run(load(base, urls, a.rate, a.seconds, per_url)))
            during_renders, during_passes = renders(base), collections(base)
            still_running = importer.poll() is None
            importer.terminate() if still_running else None
            out, err = importer.communicate(timeout=60)
            if importer.returncode not in (0, -15):
                print(err[-2000:])
            print(f"  import: {'stopped after the measurement' if still_running else out.strip()}")
            if not still_running:
                print("  NOTE: the import ended inside the measurement, which then measured an idle server too:"
                      " use more --bills")
            for name, s in (("idle", idle), ("during import", during)):
                print(f"  {name:<14} n={s['n']:>5}  p50 {s['p50']:7.1f} ms  p99 {s['p99']:8.1f} ms  max {s['max']:8.1f} ms")
            late = stats(per_url.pop("_late"))
            print(f"  the load generator's lag before sending, during: p50 {late['p50']:.1f}, p99 {late['p99']:.1f},"
                  f" max {late['max']:.1f} ms")
            slow = [p for p in per_url.pop("_timeline") if p[1] > 4 * idle["p50"] + 100]
            print(f"  slow requests during the import (second, ms): {sorted(slow)[:40]}")
            for u, lat in per_url.items():
                print(f"    during, {u:<48} p50 {stats(lat)['p50']:7.1f}  max {stats(lat)['max']:7.1f} ms")
            for name, done in (("idle", idle_renders), ("during import", during_renders)):
                print(f"  page renders {name}: {summary(done)}")
            print(f"  garbage collections over 5 ms, idle (generation, ms): {[p[:2] for p in idle_passes][:20]}")
            print("  during the import (second, generation, ms): "
                  f"{[(round(b - began, 2), g, ms) for g, ms, b in during_passes][:20]}")
            long = sorted((round(b - began, 2), p, bg, ms) for p, bg, ms, b in during_renders if ms > 50)
            print(f"  renders over 50 ms during the import (second, address, in the background, ms): {long[:20]}")
            print(f"  p99 during / idle: {during['p99'] / idle['p99']:.2f}   p50: {during['p50'] / idle['p50']:.2f}"
                  f"   load average after {os.getloadavg()[0]:.1f}")
            print(json.dumps({"idle": idle, "during": during}))
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
