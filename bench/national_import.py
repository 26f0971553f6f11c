"""National import: a LegiScan-dataset-shaped set of 50 states through `edtracker import`.

    .venv/bin/python bench/national_import.py [--bills 100000] [--db sqlite|postgres|both]
        [--roll-calls-per-bill 0.25] [--people 7400] [--keep DIR] [--in-process] [--per-record]

The set is synthetic but made of the real fixture shapes: every bill, roll call and person file
is a renumbered copy of a real LegiScan payload (../shared/fixtures/legiscan, JSON, and
legiscan-ms-xml, read with our XML reader into the same dicts), written as LegiScan dataset JSON
under `{ST}/2011-2012_Regular_Session/{bill,vote,people}/{id}.json` for 50 states: `--bills`
bills (their actions, sponsors and subjects as in the template), `--people` legislators spread
over the states (a third senators), and one roll call for every `1 / --roll-calls-per-bill`
bills, its votes cast by that chamber's members. Files are written one at a time (a generator:
its memory does not grow with `--bills`).

Each database is measured by running the installed `edtracker import DIR` as a whole process
(EDTRACKER_DATABASE_URL set; `--in-process` runs plan + iter_records + Ingestor in a child
instead), twice: first import, then a re-import that must be all noop. The child's resident set
(VmRSS, with its children) is sampled every 0.5 s: reported as the peak and a time series, to
show whether memory grows with the number of records. The baseline of the same run: the same
folder parsed only (plan + iter_records, nothing stored), in its own process, sampled the same way. PostgreSQL: a scratch database
(`bench/pgscratch.py`). `--per-record` adds, on each database, the in-process import with
`Ingestor(bulk=False)` (new bills one savepoint each, as before `tracker.ingest.bulk`): the same
run's baseline of the bulk path. `--bills 5000` finishes in minutes; figures for other sizes are only
extrapolated when labelled so.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures"))
STATES = ("al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj "
          "nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy").split()
SESSION = "2011-2012_Regular_Session"
BILL_BASE, VOTE_BASE, PEOPLE_BASE = 50_000_000, 60_000_000, 70_000_000


def _payloads(kind_dir: str) -> list[dict]:
    """The real payloads of one kind (bill, vote, people), JSON and XML flavours, as dicts."""
    from scrapers.formats import legiscan_json, legiscan_xml

    out = []
    for path in sorted((FIXTURES / "legiscan").glob(f"{kind_dir}/*.json")):
        out.append(legiscan_json.load(path.read_bytes())[1])
    for path in sorted((FIXTURES / "legiscan-ms-xml").glob(f"*/{kind_dir}/*.xml")):
        out.append(legiscan_xml.load(path.read_bytes())[1])
    return out


def templates() -> dict[str, list[dict]]:
    """Bill, roll call and legislator templates from the fixtures (committee sponsors left out)."""
    if not (FIXTURES / "legiscan").is_dir():
        raise SystemExit(f"no LegiScan fixtures under {FIXTURES} (set EDTRACKER_FIXTURES)")
    people = [p for p in _payloads("people") if str(p.get("role_id")) in ("1", "2")]
    return {"bill": _payloads("bill"), "vote": [v for v in _payloads("vote") if v.get("votes")],
            "people": people}


def _write(path: Path, kind: str, payload: dict) -> None:
    path.write_text(json.dumps({"status": "OK", kind: payload}), encoding="utf-8")


def _person(t: dict, pid: int, st: str, state_no: int, seat: int, senate: bool, first: str, last: str) -> dict:
    p = dict(t)
    p.update(people_id=pid, person_hash=hashlib.md5(str(pid).encode()).hexdigest()[:8], state_id=state_no,
             role_id=2 if senate else 1, role="Sen" if senate else "Rep", first_name=first, last_name=last,
             middle_name="", suffix="", nickname="", name=f"{first} {last}",
             district=f"{'SD' if senate else 'HD'}-{seat:03d}", committee_sponsor=0, committee_id=0,
             party=p.get("party") or ("R" if seat % 2 else "D"), party_id=p.get("party_id") or (2 if seat % 2 else 1))
    return p


def generate(folder: Path, bills: int, people: int = 7400, rc_per_bill: float = 0.25) -> Iterator[Path]:
    """Write the national set under `folder`, one file at a time; yield each path written.

    Only the current state's member ids are held (a few hundred ints), so memory is flat."""
    tpl = templates()
    firsts = [p["first_name"] or p["name"].split()[0] for p in tpl["people"]]
    lasts = [p["last_name"] or p["name"].split()[-1] for p in tpl["people"]]
    bill_no, vote_no = 0, 0
    for s, st in enumerate(STATES):
        n_bills = bills // len(STATES) + (1 if s < bills % len(STATES) else 0)
        n_people = people // len(STATES) + (1 if s < people % len(STATES) else 0)
        base = folder / st.upper() / SESSION
        for sub in ("bill", "vote", "people"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        members: dict[bool, list[dict]] = {True: [], False: []}
        for k in range(n_people):
            senate = k % 3 == 0
            pid = PEOPLE_BASE + s * 1000 + k
            t = tpl["people"][(s * 7 + k) % len(tpl["people"])]
            p = _person(t, pid, st, s + 1, len(members[senate]) + 1, senate,
                        firsts[(s * 13 + k) % len(firsts)], f"{lasts[(s * 31 + k * 7) % len(lasts)]}-{st.upper()}{k}")
            members[senate].append({"people_id": pid, "name": p["name"], "role_id": p["role_id"],
                                    "party": p["party"], "party_id": p["party_id"], "district": p["district"]})
            path = base / "people" / f"{pid}.json"
            _write(path, "person", p)
            yield path
        session = {"session_id": 9000 + s, "session_name": "2011-2012 Regular Session",
                   "session_title": "2011-2012 Regular Session", "year_start": 2011, "year_end": 2012,
                   "special": 0}
        counters: dict[str, int] = {}
        for i in range(n_bills):
            t = tpl["bill"][(bill_no * 7 + s) % len(tpl["bill"])]
            bill_id = BILL_BASE + bill_no
            prefix = "".join(c for c in str(t["bill_number"]) if c.isalpha()) or "HB"
            counters[prefix] = counters.get(prefix, 0) + 1
            number = f"{prefix}{counters[prefix]}"
            senate = str(t.get("body")) == "S"
            chamber = members[senate] or members[not senate]
            b = dict(t)
            b.update(bill_id=bill_id, bill_number=number, state=st.upper(), state_id=s + 1, session=session,
                     session_id=session["session_id"], url=f"https://legiscan.com/{st.upper()}/bill/{number}/2011",
                     change_hash=hashlib.md5(f"{bill_id}".encode()).hexdigest(), committee="", pending_committee_id=0)
            b["sponsors"] = [dict(sp, **{k: v for k, v in chamber[(i + j) % len(chamber)].items() if k in sp})
                             for j, sp in enumerate(t.get("sponsors") or [])]
            b["texts"] = []
            roll_calls = []
            if int((bill_no + 1) * rc_per_bill) > int(bill_no * rc_per_bill):
                vt = tpl["vote"][vote_no % len(tpl["vote"])]
                rc_id = VOTE_BASE + vote_no
                vote_no += 1
                voters = chamber[:min(len(chamber), len(vt["votes"]))]
                votes = [{"people_id": m["people_id"], "vote_id": vt["votes"][j]["vote_id"],
                          "vote_text": vt["votes"][j]["vote_text"]} for j, m in enumerate(voters)]
                texts = [v["vote_text"] for v in votes]
                rc = dict(copy.deepcopy(vt), roll_call_id=rc_id, bill_id=bill_id, votes=votes,
                          yea=texts.count("Yea"), nay=texts.count("Nay"), nv=texts.count("NV"),
                          absent=texts.count("Absent"), total=len(votes),
                          chamber="S" if senate else "H")
                rc.pop("chamber_id", None)
                roll_calls.append({"roll_call_id": rc_id, "date": rc.get("date"), "desc": rc.get("desc"),
                                   "yea": rc["yea"], "nay": rc["nay"], "nv": rc["nv"], "absent": rc["absent"],
                                   "total": rc["total"], "passed": rc.get("passed"), "chamber": rc["chamber"]})
                path = base / "vote" / f"{rc_id}.json"
                _write(path, "roll_call", rc)
                yield path
            b["votes"] = roll_calls
            path = base / "bill" / f"{number}.json"
            _write(path, "bill", b)
            bill_no += 1
            yield path


# --- measurement ---------------------------------------------------------------------------

def _rss_kb(pid: int) -> int:
    """VmRSS of a process and its descendants, in kB (0 once it is gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            total += next((int(l.split()[1]) for l in fh if l.startswith("VmRSS:")), 0)
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, ValueError):
        return total
    return total + sum(_rss_kb(int(c)) for c in children)


def run_sampled(cmd: list[str], env: dict, every: float = 0.5) -> dict:
    """Run `cmd`, sampling its resident set; return wall time, peak and samples (s, MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = []
    while proc.poll() is None:
        samples.append((round(time.perf_counter() - t0, 1), round(_rss_kb(proc.pid) / 1024, 1)))
        time.sleep(every)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 1), "rc": proc.returncode, "stdout": out, "stderr": err[-2000:],
            "peak_rss_mb": max((m for _, m in samples), default=0), "samples": samples}


def _counts(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        try:
            return json.loads(line)["counts"] if line.startswith("{") else json.loads(stdout)["counts"]
        except (ValueError, KeyError):
            continue
    try:
        return json.loads(stdout)["counts"]
    except (ValueError, KeyError):
        return {"unparsed": stdout[-500:]}


def in_process(folder: str, bulk: bool = True) -> None:
    """The same path as `edtracker import`, in this process (for profilers; `bulk=False`: the
    per-record path of new bills, the baseline of `--per-record`)."""
    from scrapers.importer import iter_records, plan
    from tracker.db import get_engine, upgrade
    from tracker.ingest import Ingestor
    from tracker.settings import get_settings

    url = get_settings().effective_database_url
    upgrade(url)
    report = Ingestor(get_engine(url), bulk=bulk).ingest(iter_records(plan([folder])), keep_results=False)
    print(json.dumps({"counts": report.summary()}))


def parse_only(folder: str) -> None:
    """The baseline: plan + iter_records of the same folder, nothing stored."""
    from scrapers.importer import iter_records, plan
    from tracker.contract import RecordError

    counts = {"records": 0, "error": 0}
    for item in iter_records(plan([folder])):
        counts["error" if isinstance(item, RecordError) else "records"] += 1
    print(json.dumps({"counts": counts}))


def baseline(folder: Path, records: int) -> dict:
    got = run_sampled([sys.executable, __file__, "--child-parse", str(folder)], dict(os.environ))
    samples = got.pop("samples")
    step = max(1, len(samples) // 12)
    return {"wall_s": got["wall_s"], "records_per_s": round(records / got["wall_s"], 1),
            "peak_rss_mb": got["peak_rss_mb"], "counts": _counts(got["stdout"]),
            "rss_mb_over_time": samples[::step] + samples[-1:]}


def measure(db_url: str, folder: Path, records: int, use_cli: bool, bulk: bool = True) -> dict:
    env = dict(os.environ, EDTRACKER_DATABASE_URL=db_url, EDTRACKER_LOG_LEVEL="ERROR")
    cli = shutil.which("edtracker", path=str(Path(sys.executable).parent)) if use_cli else None
    cmd = [cli, "import", str(folder), "--json", "--show-errors", "0"] if cli else \
        [sys.executable, __file__, "--child", str(folder), *([] if bulk else ["--child-per-record"])]
    out = {"command": "edtracker import (whole process)" if cli else
           f"plan + iter_records + Ingestor(bulk={bulk}) (child)"}
    for run in ("first", "reimport"):
        got = run_sampled(cmd, env)
        counts = _counts(got["stdout"])
        samples = got.pop("samples")
        step = max(1, len(samples) // 12)
        out[run] = {"wall_s": got["wall_s"], "records_per_s": round(records / got["wall_s"], 1),
                    "peak_rss_mb": got["peak_rss_mb"], "counts": counts, "exit": got["rc"],
                    "rss_mb_over_time": samples[::step] + samples[-1:]}
        if got["rc"] not in (0, 1):
            out[run]["stderr"] = got["stderr"]
    second = out["reimport"]["counts"]
    out["reimport_all_noop"] = (second.get("insert") == 0 and second.get("update") == 0
                                and second.get("noop") == out["first"]["counts"].get("insert", -1)
                                + out["first"]["counts"].get("update", 0) + out["first"]["counts"].get("noop", 0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bills", type=int, default=100_000)
    ap.add_argument("--people", type=int, default=7400)
    ap.add_argument("--roll-calls-per-bill", type=float, default=0.25)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--keep", help="write the set into this folder and keep it (else a temp folder)")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--in-process", action="store_true",
                    help="plan + iter_records + Ingestor in a child python instead of the CLI")
    ap.add_argument("--per-record", action="store_true",
                    help="also run the in-process import with Ingestor(bulk=False), the same run's baseline "
                         "of the bulk path of new bills")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--child-per-record", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-parse", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        in_process(args.child, bulk=not args.child_per_record)
        return
    if args.child_parse:
        parse_only(args.child_parse)
        return
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="edtracker-bench-national."))
    data = work / "data"
    try:
        t0 = time.perf_counter()
        files = {"bill": 0, "vote": 0, "people": 0}
        if not (args.keep and data.is_dir()):
            for path in generate(data, args.bills, args.people, args.roll_calls_per_bill):
                files[path.parent.name] += 1
        else:
            for sub in files:
                files[sub] = sum(1 for _ in data.glob(f"*/*/{sub}/*.json"))
        gen_s = time.perf_counter() - t0
        records = files["bill"] + files["vote"] + files["people"] + len(STATES)  # + a session each
        result = {"bills": files["bill"], "roll_calls": files["vote"], "people": files["people"],
                  "records": records, "generate_s": round(gen_s, 1),
                  "load": os.getloadavg()}
        if not args.generate_only:
            result["parse_only_baseline"] = baseline(data, records)
            if args.db in ("sqlite", "both"):
                (work / "bench.db").unlink(missing_ok=True)  # a fresh database every run
                result["sqlite"] = measure(f"sqlite:///{work / 'bench.db'}", data, records, not args.in_process)
                if args.per_record:
                    (work / "bench.db").unlink(missing_ok=True)
                    result["sqlite_per_record"] = measure(f"sqlite:///{work / 'bench.db'}", data, records,
                                                          False, bulk=False)
            if args.db in ("postgres", "both"):
                from pgscratch import scratch_database

                with scratch_database() as url:
                    result["postgresql"] = measure(url, data, records, not args.in_process)
                if args.per_record:
                    with scratch_database() as url:
                        result["postgresql_per_record"] = measure(url, data, records, False, bulk=False)
        result["load_after"] = os.getloadavg()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
