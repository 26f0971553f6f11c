"""`edtracker import` of BILLSTATUS files (whole process) against unitedstates/congress parsing them.

    .venv/bin/python bench/billstatus_import.py --peer /path/to/congress-checkout [--files 264] [--rounds 3]

The corpus: `--files` BILLSTATUS files written into a temp folder from the real files of
../shared/fixtures/billstatus (all three schema generations), each copy with its bill number
renumbered (H.R. 1, H.R. 2, ... keeping each file's bill type and congress, as
bench/ingest_congress.py renumbers records) and named like GovInfo names them.

Timed in the same run, alternating, best of `--rounds`:
- the peer: unitedstates/congress's own BILLSTATUS path, parse only (read the file,
  `xmltodict.parse` with its `force_list`, `congress.tasks.bills.form_bill_json_dict`), in this
  process; a file it raises on counts as a failure;
- ours: `edtracker import DIR` as a whole process (start-up, creating a fresh SQLite
  database, planning, parsing and storing), a fresh database each round; every file must be
  imported (insert count = files, no error).
Reported: files/s of each and ours / peer (target: at least 2), and, for reference, the same
command on an empty folder (start-up and creating the database: what every run pays before its first file).

The peer is not part of this repository. Get it with
`git clone https://github.com/unitedstates/congress` (or any checkout of it) and pass the folder
holding its `congress/` package with `--peer` or EDTRACKER_BENCH_CONGRESS; its parse needs
`pip install xmltodict scrapelib pytz rtyaml packaging` in this venv (not dependencies of
edtracker). Without it the bench says so and stops.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures")) / "billstatus"


def corpus(folder: Path, files: int) -> list[Path]:
    """Write `files` renumbered BILLSTATUS files under `folder` (one at a time); return their paths."""
    from scrapers.xmlsafe import parse_xml

    templates = sorted(FIXTURES.glob("*/*.xml"))
    if not templates:
        raise SystemExit(f"no BILLSTATUS files under {FIXTURES} (set EDTRACKER_FIXTURES)")
    counters: dict[tuple[str, str], int] = {}
    out = []
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        root = parse_xml(templates[i % len(templates)].read_bytes())
        bill = root.find("bill")
        number = bill.find("number") if bill.find("number") is not None else bill.find("billNumber")
        kind_el = bill.find("type") if bill.find("type") is not None else bill.find("billType")
        congress = bill.findtext("congress").strip()
        kind = kind_el.text.strip().lower()
        counters[(congress, kind)] = counters.get((congress, kind), 0) + 1
        number.text = str(counters[(congress, kind)])
        path = folder / f"BILLSTATUS-{congress}{kind}{number.text}.xml"
        path.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n' + _tostring(root))
        out.append(path)
    return out


def _tostring(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, encoding="utf-8")


def peer_parser(peer: str | None):
    """unitedstates/congress's parse of one BILLSTATUS file, or None (with the reason) when absent."""
    if not peer or not (Path(peer) / "congress" / "tasks" / "bills.py").is_file():
        return None, (f"unitedstates/congress not found at {peer!r}: pass --peer or set "
                      "EDTRACKER_BENCH_CONGRESS to a checkout (see this file's docstring)")
    sys.path.insert(0, str(Path(peer)))
    try:
        import xmltodict
        from congress.tasks import bills
    except ImportError as exc:
        return None, f"the peer's dependencies are missing ({exc}); see this file's docstring"

    def parse(path: Path):
        data = path.read_text(encoding="utf-8")  # as its utils.read does
        as_dict = xmltodict.parse(data, force_list=("item", "amendment", "committeeReport", "link"))
        return bills.form_bill_json_dict(as_dict)
    return parse, None


# CPU seconds of each timed run (the peer in this process, ours in the child): on a shared
# machine the wall clock swings with other jobs, the CPU time much less.
CPU: dict[str, list[float]] = {"peer": [], "corpus": [], "empty": []}


def time_peer(parse, paths: list[Path]) -> tuple[float, int]:
    import logging

    logging.disable(logging.CRITICAL)  # its per-bill info lines are not parsing
    failures = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for p in paths:
        try:
            parse(p)
        except Exception:  # noqa: BLE001 - counted: the peer fails on some generations
            failures += 1
    CPU["peer"].append(time.process_time() - c0)
    return time.perf_counter() - t0, failures


def time_ours(folder: Path, work: Path) -> tuple[float, dict]:
    db = work / "ours.db"
    db.unlink(missing_ok=True)
    env = dict(os.environ, EDTRACKER_DATABASE_URL=f"sqlite:///{db}", EDTRACKER_LOG_LEVEL="ERROR")
    cli = shutil.which("edtracker", path=str(Path(sys.executable).parent))
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([cli, "import", str(folder), "--json", "--show-errors", "0"], env=env,
                         capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[folder.name].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
    try:
        counts = json.loads(out.stdout)["counts"]
    except (ValueError, KeyError):
        raise SystemExit(f"edtracker import failed ({out.returncode}): {out.stderr[-2000:]}")
    return wall, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peer", default=os.environ.get("EDTRACKER_BENCH_CONGRESS"))
    ap.add_argument("--files", type=int, default=264)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    parse, why = peer_parser(args.peer)
    if parse is None:
        print(f"skipped: {why}")
        return
    work = Path(tempfile.mkdtemp(prefix="edtracker-bench-billstatus."))
    try:
        paths = corpus(work / "corpus", args.files)
        (work / "empty").mkdir()
        peer_s, ours_s, fixed_s, counts, failures = [], [], [], {}, 0
        for _ in range(args.rounds):
            s, failures = time_peer(parse, paths)
            peer_s.append(s)
            s, counts = time_ours(work / "corpus", work)
            ours_s.append(s)
            fixed_s.append(time_ours(work / "empty", work)[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = len(paths)
    peer_rate, ours_rate = n / min(peer_s), n / min(ours_s)
    print(json.dumps({
        "files": n, "load": os.getloadavg(),
        "peer_parse_only": {"best_s": round(min(peer_s), 2), "files_per_s": round(peer_rate, 1),
                            "failures": failures, "all_s": [round(s, 2) for s in peer_s]},
        "edtracker_import_whole_process": {"best_s": round(min(ours_s), 2), "files_per_s": round(ours_rate, 1),
                                           "counts": counts, "all_s": [round(s, 2) for s in ours_s],
                                           "every_file_imported": counts.get("insert") == n and not counts.get("error")},
        # what every run pays before the first file: start-up and creating a new database
        "edtracker_import_of_an_empty_folder": {"best_s": round(min(fixed_s), 2),
                                                "all_s": [round(s, 2) for s in fixed_s]},
        "ratio_ours_over_peer": round(ours_rate / peer_rate, 2),
        "cpu_s": {k: [round(x, 2) for x in v] for k, v in CPU.items()},
        "ratio_ours_over_peer_cpu": round(min(CPU["peer"]) / min(CPU["corpus"]), 2),
    }, indent=1))


if __name__ == "__main__":
    main()
