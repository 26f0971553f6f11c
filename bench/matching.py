"""Voter-matching throughput and match rate on the real fixtures; Open States import throughput.

    .venv/bin/python bench/matching.py [--db sqlite|postgres|both] [--csv-bills 500]

1. Mississippi 2012-2014 (LegiScan XML: people, bills, roll calls): every stored vote whose
   voter LegiScan identified by people_id is matched again by NAME ONLY (jurisdiction, chamber,
   date) against the people loaded from the same files; the id match is the truth, so wrong
   matches are counted, not just matches.
2. New York (OpenLegislation floor and committee votes): voter names matched against the Open
   States people YAML of NY only (another source: no shared ids), so only the rate is known.
3. Open States import: the people YAML folder (682 files) and a synthetic bulk CSV bundle of
   `--csv-bills` bills (the tests' KY rows repeated), first import and re-import (all noop),
   on SQLite and PostgreSQL (EDTRACKER_TEST_POSTGRES_URL, or a throwaway cluster like ./dev).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures"))
CSV_DATA = ROOT / "tests" / "data" / "openstates" / "csv" / "KY" / "2024RS"


def _fresh_sqlite() -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix='edt-bench-')}/bench.db"


def _load(url: str, *paths: Path):
    from scrapers.importer import iter_records, plan
    from tracker.db import get_engine, upgrade
    from tracker.ingest import Ingestor

    upgrade(url)
    engine = get_engine(url)
    items = list(iter_records(plan(paths)))
    t0 = time.perf_counter()
    report = Ingestor(engine, today=dt.date(2026, 1, 15)).ingest(items, keep_results=False)
    return engine, items, report, time.perf_counter() - t0


def bench_ms() -> dict:
    """Name-only re-match of every id-matched Mississippi vote; truth = LegiScan people_id."""
    from sqlmodel import Session, select

    from tracker.models import PersonVote, VoteEvent
    from tracker.people.namematch import NameMatcher

    engine, _items, report, _ = _load(_fresh_sqlite(), FIXTURES / "legiscan-ms-xml")
    with Session(engine) as s:
        rows = s.exec(select(PersonVote, VoteEvent).join(VoteEvent, PersonVote.vote_event_id == VoteEvent.id)
                      .where(PersonVote.match_method == "id:legiscan")).all()
        result = {}
        for label, name_of in (("full_name", lambda pv: pv.voter_name),
                               ("surname_only", lambda pv: pv.voter_name.split()[-1])):
            result[label] = _rematch(rows, NameMatcher(s), name_of)
    return {"votes": len(rows), **result, "import_errors": report.counts.get("error", 0)}


def _rematch(rows, matcher, name_of) -> dict:
    """Match `name_of(vote)` for each id-matched vote; compare with the id match."""
    outcome: Counter = Counter()
    methods: Counter = Counter()
    t0 = time.perf_counter()
    for pv, ev in rows:
        m = matcher.match(name_of(pv), jurisdiction=ev.jurisdiction_id, chamber=ev.chamber, date=ev.date)
        if m.legislator_id is None:
            outcome[f"unmatched ({m.method or 'no candidate'})"] += 1
        elif m.legislator_id == pv.legislator_id:
            outcome["correct"] += 1
            methods[m.method] += 1
        else:
            outcome["WRONG"] += 1
    elapsed = time.perf_counter() - t0
    n = len(rows)
    return {"outcome": dict(outcome), "methods": dict(methods),
            "match_rate": round(outcome["correct"] / n, 4) if n else None,
            "wrong": outcome["WRONG"], "names_per_second": round(n / elapsed) if elapsed else None}


def bench_ny() -> dict:
    """NY vote names against the Open States NY people only."""
    from scrapers.importer import iter_records, plan
    from sqlmodel import Session

    from tracker.contract import VoteEventIn
    from tracker.people.namematch import NameMatcher

    engine, _items, _report, _ = _load(_fresh_sqlite(), FIXTURES / "openstates-people" / "ny")
    votes = [v for v in iter_records(plan([FIXTURES / "ny-openleg"])) if isinstance(v, VoteEventIn)]
    outcome: Counter = Counter()
    with Session(engine) as s:
        matcher = NameMatcher(s)
        t0 = time.perf_counter()
        n = 0
        for ev in votes:
            for pv in ev.votes:
                n += 1
                m = matcher.match(pv.voter_name, jurisdiction="ny", chamber=ev.chamber, date=ev.date)
                outcome["matched" if m.legislator_id else f"unmatched ({m.method or 'no candidate'})"] += 1
        elapsed = time.perf_counter() - t0
    return {"vote_events": len(votes), "names": n, "outcome": dict(outcome),
            "match_rate": round(outcome["matched"] / n, 4) if n else None,
            "names_per_second": round(n / elapsed) if elapsed else None}


def synthetic_csv_zip(n: int) -> Path:
    """A KY_2024RS zip with `n` bills: the test rows repeated with new ids and numbers."""
    tables = {p.name[len("KY_2024RS_"):-4]: list(csv.DictReader(p.open())) for p in CSV_DATA.glob("*.csv")}
    bills = [r for r in tables["bills"] if r["identifier"] == "HB 15"]
    out: dict[str, list[dict]] = {t: [] for t in tables}
    out["organizations"] = tables["organizations"]
    for i in range(n):
        suffix = f"-{i}"
        for b in bills:
            out["bills"].append(dict(b, id=b["id"] + suffix, identifier=f"HB {1000 + i}"))
        for t in ("bill_actions", "bill_sponsorships", "bill_versions", "bill_sources", "votes"):
            for r in tables[t]:
                if r["bill_id"] == bills[0]["id"]:
                    out[t].append(dict(r, id=r["id"] + suffix, bill_id=r["bill_id"] + suffix))
        for t, key in (("vote_people", "vote_event_id"), ("vote_counts", "vote_event_id")):
            for r in tables[t]:
                out[t].append(dict(r, id=r["id"] + suffix, **{key: r[key] + suffix}))
        for r in tables["bill_version_links"]:
            out["bill_version_links"].append(dict(r, id=r["id"] + suffix, version_id=r["version_id"] + suffix))
    path = Path(tempfile.mkdtemp(prefix="edt-bench-csv-")) / "KY_2024RS.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for t, rows in out.items():
            buf = io.StringIO()
            if rows:
                w = csv.DictWriter(buf, fieldnames=list(rows[0]))
                w.writeheader()
                w.writerows(rows)
            zf.writestr(f"KY/2024RS/KY_2024RS_{t}.csv", buf.getvalue())
    return path


def bench_import(url: str, csv_bills: int) -> dict:
    from scrapers.importer import iter_records, plan
    from tracker.ingest import Ingestor

    people = FIXTURES / "openstates-people"
    engine, items, first, t_people = _load(url, people)
    again = Ingestor(engine, today=dt.date(2026, 1, 15)).ingest(items, keep_results=False)
    zpath = synthetic_csv_zip(csv_bills)
    t0 = time.perf_counter()
    csv_items = list(iter_records(plan([zpath])))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    c1 = Ingestor(engine, today=dt.date(2026, 1, 15)).ingest(csv_items, keep_results=False)
    t_csv = time.perf_counter() - t0
    t0 = time.perf_counter()
    c2 = Ingestor(engine, today=dt.date(2026, 1, 15)).ingest(csv_items, keep_results=False)
    t_csv2 = time.perf_counter() - t0
    engine.dispose()
    return {"people_records": len(items), "people_records_per_second": round(len(items) / t_people),
            "people_reimport_noop": again.counts.get("noop", 0) == len(items),
            "csv_records": len(csv_items), "csv_parse_records_per_second": round(len(csv_items) / t_parse),
            "csv_ingest_records_per_second": round(len(csv_items) / t_csv),
            "csv_reimport_records_per_second": round(len(csv_items) / t_csv2),
            "csv_reimport_noop": c2.counts.get("noop", 0) == len(csv_items),
            "csv_first_counts": dict(c1.counts)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--csv-bills", type=int, default=500)
    args = ap.parse_args()
    results = {"ms_name_only": bench_ms(), "ny_names": bench_ny(), "import": {}}
    if args.db in ("sqlite", "both"):
        results["import"]["sqlite"] = bench_import(_fresh_sqlite(), args.csv_bills)
    if args.db in ("postgres", "both"):
        from pgscratch import scratch_database

        with scratch_database() as url:
            results["import"]["postgresql"] = bench_import(url, args.csv_bills)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
