"""Benchmark: re-tag N synthetic bills after a rule change (bills/s) and search latency
(median, p99) over the same bills, on SQLite and (with --pg URL) PostgreSQL.

Synthetic bills reuse real titles and summaries from ../shared/fixtures (BILLSTATUS and
Mississippi LegiScan bills), numbered so each is distinct.

    .venv/bin/python bench/tagging_search.py --bills 100000 [--pg postgresql+psycopg://...]
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tests.tagging import realbills  # noqa: E402
from tracker.db import get_engine, upgrade  # noqa: E402
from tracker.models import Bill  # noqa: E402
from tracker.search.index import reindex  # noqa: E402
from tracker.search.query import SearchParams, search_bills  # noqa: E402
from tracker.jurisdictions.seed import get_or_create_session  # noqa: E402
from tracker.tagging import store  # noqa: E402
from tracker.tagging.store import retag  # noqa: E402

FIX = ROOT.parent / "shared" / "fixtures"


def real_texts():
    out = [realbills.billstatus(Path(p)) for p in sorted(glob.glob(str(FIX / "billstatus/*/*.xml")))]
    out += [realbills.legiscan_ms(Path(p)) for p in sorted(glob.glob(str(FIX / "legiscan-ms-xml/*/bill/*.xml")))]
    return [t for t in out if t.title]


def load(url: str, n: int) -> None:
    upgrade(url)
    engine = get_engine(url)
    texts = real_texts()
    with Session(engine) as db:
        sess = get_or_create_session(db, "us", "119")
        db.commit()
        rows = []
        for i in range(n):
            t = texts[i % len(texts)]
            rows.append({"key": f"us-119-hr{i + 1}", "jurisdiction_id": "us", "session_id": sess.id,
                         "identifier": f"H.R. {i + 1}", "normalized_identifier": f"HR{i + 1}", "bill_type": "bill",
                         "classification": ["bill"], "title": f"{t.title} ({i})", "titles": [],
                         "summary": t.summary[:4000], "subjects": t.subjects, "stage": "introduced",
                         "latest_action_date": dt.date(2025, 1, 1) + dt.timedelta(days=i % 365),
                         "related_bills": [], "laws": [], "versions": [], "committees": t.committees,
                         "sources": [], "extras": {}})
            if len(rows) == 5000:
                db.execute(insert(Bill.__table__), rows)
                rows = []
        if rows:
            db.execute(insert(Bill.__table__), rows)
        db.commit()
    t0 = time.perf_counter()
    reindex(engine)
    print(f"  indexed {n} bills in {time.perf_counter() - t0:.1f}s", flush=True)


def bench(url: str, n: int) -> dict:
    load(url, n)
    engine = get_engine(url)
    retag(engine)                                   # first run: every tag is new
    original = store.default_taxonomy
    changed = original()
    changed = {**changed, "areas": [
        {**a, "rules": {**(a.get("rules") or {}), "phrases": [*(a.get("rules") or {}).get("phrases", []),
                                                                 "benchmark phrase"]}}
        if a["slug"] == "school-finance" else a for a in changed["areas"]]}
    store.default_taxonomy = lambda: changed         # the rule change
    try:
        run = retag(engine)
    finally:
        store.default_taxonomy = original
    rate = n / run.seconds
    words = ["school", "charter", "teacher salaries", "highway", "funding formula", "homeless youth",
             "puerto rico", "health workforce", "tax", "adequate education program"]
    lat, lat_f = [], []
    with Session(engine) as db:
        for i in range(200):
            q = words[i % len(words)]
            t0 = time.perf_counter()
            search_bills(db, SearchParams(q=q, limit=25))
            lat.append((time.perf_counter() - t0) * 1000)
        for i in range(100):   # words plus a filter: the path with the capped count
            t0 = time.perf_counter()
            search_bills(db, SearchParams(q=words[i % len(words)], issue_area="education-general", limit=25))
            lat_f.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    lat_f.sort()
    return {"bills": n, "retag_seconds": run.seconds, "bills_per_second": round(rate),
            "search_median_ms": round(statistics.median(lat), 1), "search_p99_ms": round(lat[int(len(lat) * 0.99) - 1], 1),
            "filtered_median_ms": round(statistics.median(lat_f), 1),
            "filtered_p99_ms": round(lat_f[int(len(lat_f) * 0.99) - 1], 1),
            "load_average_after": os.getloadavg()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bills", type=int, default=100_000)
    ap.add_argument("--pg", help="PostgreSQL URL of an empty database")
    ap.add_argument("--no-sqlite", action="store_true", help="only the PostgreSQL run")
    args = ap.parse_args()
    print("load average before:", os.getloadavg(), flush=True)
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            print("sqlite:", bench(f"sqlite:///{tmp}/bench.db", args.bills), flush=True)
    if args.pg:
        print("postgresql:", bench(args.pg, args.bills), flush=True)


if __name__ == "__main__":
    main()
