"""The one-command demo: its sample parses as the real sources do, its mirror routes like them,
`edtracker demo` runs end to end and serves pages, a second run changes nothing, and SIGTERM
during a crawl leaves no partial records."""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sqlmodel import Session, select

from scrapers.demo import cast
from scrapers.demo.mirror import running_mirror
from scrapers.demo.sample import DEMO_KEY, QueryRoute, build_sample
from scrapers.demo.sample_us import bill_path, federal_files
from scrapers.formats import billstatus, house_clerk, senate_lis
from scrapers.formats.congress_legislators import parse_legislators
from tests.conftest import ROOT
from tracker.contract import RecordError
from tracker.db import get_engine
from tracker.models import Bill, BillAction, JobRun
from tracker.settings import get_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _get_html(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# --- the sample -------------------------------------------------------------------------------

def test_sample_is_deterministic_and_parses_with_the_real_parsers():
    files = federal_files()
    assert files == federal_files()
    bills = [billstatus.parse_bill(files[bill_path(b)], f"https://www.govinfo.gov/{bill_path(b)}")
             for b in cast.BILLS]
    assert not [b for b in bills if isinstance(b, RecordError)], bills
    assert {f"us-{b.session}-{b.identifier.replace('.', '').replace(' ', '').lower()}" for b in bills} == \
        {cast.bill_key(b) for b in cast.BILLS}
    law = next(b for b in bills if b.laws)
    assert law.identifier == "S. 410" and law.actions[-1].classification == ["became-law"]
    votes = [v for p, data in files.items() if p.startswith("evs/") and p.endswith(".xml")
             for v in house_clerk.parse(data, p)]
    votes += [v for p, data in files.items() if "roll_call_votes" in p for v in senate_lis.parse(data, p)]
    assert not [v for v in votes if isinstance(v, RecordError)]
    assert {v.key for v in votes} == {"us-house-2025-101", "us-house-2025-122", "us-house-2025-140",
                                      "us-senate-119-1-45"}
    failed = next(v for v in votes if v.key == "us-house-2025-122")
    assert failed.result == "fail" and failed.bill_key == "us-119-hr1822"
    people = list(parse_legislators(files["congress-legislators/legislators-current.yaml"], "x"))
    assert len(people) == len(cast.MEMBERS)
    # fictional ids only: no real bioguide id starts with Z9, no real LIS id is S9xx
    assert all(p.ids["bioguide"].startswith("Z9") for p in people)


def test_mirror_serves_paths_and_queries_and_refuses_the_rest():
    sample = build_sample()
    with running_mirror() as mirror:
        status, body = _get(f"{mirror.base_url}/sitemap/bulkdata/BILLSTATUS/sitemapindex.xml")
        assert status == 200 and b"sitemapindex" in body
        assert _get(f"{mirror.base_url}/bulkdata/BILLSTATUS/119/hr/BILLSTATUS-119hr9999.xml")[0] == 404
        assert _get(f"{mirror.base_url}/no/such/source")[0] == 404
        keyed = [r for r in sample.routes if isinstance(r, QueryRoute) and r.key_param]
        if keyed:
            route = keyed[0]
            query = "&".join(f"{k}={v}" for k, v in route.params)
            ok = _get(f"{mirror.base_url}/{route.path}/?{query}&{route.key_param}={DEMO_KEY}")
            assert ok == (200, route.body)
            assert _get(f"{mirror.base_url}/{route.path}/?{query}&{route.key_param}=wrong")[0] == 401


# --- the demo command ---------------------------------------------------------------------------

def _demo_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDTRACKER_")}
    env.update(EDTRACKER_DATA_DIR=str(tmp_path / "data"), EDTRACKER_LOG_LEVEL="WARNING",
               PYTHONPATH=str(ROOT))
    return env


def _crawl_rows(stdout: str) -> dict[str, dict]:
    rows = json.loads(stdout.strip().splitlines()[-1])
    return {r["job"]: r for r in rows if r["job"].startswith("demo-") and r["job"] != "demo-tag"}


def test_demo_runs_end_to_end_serves_pages_and_second_run_is_noop(tmp_path):
    """The demo runs on its own SQLite database (that is what it is for), so no PostgreSQL variant."""
    port, mirror_port = _free_port(), _free_port()
    env = _demo_env(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "cli", "demo", "--port", str(port), "--mirror-port",
                             str(mirror_port), "--json"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # wait for the server, at most ~5 minutes on a loaded machine
            if proc.poll() is not None:
                pytest.fail(f"demo exited early ({proc.returncode}): {proc.stderr.read()[-3000:]}")
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the demo never answered /healthz")
        # The pages a person opens first: HTML, and every one the demo printed answers.
        for path in ("/", "/search?q=school+meals", "/coalitions", "/alerts/signup", "/status"):
            status, body = _get_html(f"{base}{path}")
            assert status == 200 and body.lstrip().startswith(b"<!doctype html>"), path
        status, body = _get(f"{base}/api/bills?limit=50")
        assert status == 200
        page = json.loads(body)
        keys = {b["key"] for b in page["items"]}
        assert {cast.bill_key(b) for b in cast.BILLS} <= keys
        # through the keyed LegiScan and OpenLegislation APIs with the demo key
        assert {"ky-2025-hb120", "ca-20252026-ab412", "ny-2025-s3150"} <= keys
        stages = {b["key"]: b["stage"] for b in page["items"]}
        assert stages["us-119-s410"] == "enacted"
        # the demo is shown as of a day of its sample (EDTRACKER_AS_OF), whatever the calendar: its
        # pending bills stay pending and its members current after the 119th Congress has ended
        assert stages["us-119-hr1340"] == "in_committee"
        status, body = _get(f"{base}/api/find?state=ca&district=12")
        seats = json.loads(body)["seats"]
        # the sample's California senator and CA-12's member
        assert status == 200 and {s["chamber"]: len(s["members"]) for s in seats if s["jurisdiction"] == "us"} == {
            "upper": 1, "lower": 1}
        assert stages["us-119-hr1822"] == "failed"
        status, body = _get(f"{base}/api/bills/us-119-s410")
        detail = json.loads(body)
        assert status == 200 and detail["title"] == "Special Education Full Funding Act"
        assert _get(f"{base}/api/status/jobs")[0] == 200
        status, body = _get(f"{base}/api/coalitions/demo-public-schools/positions")
        if status != 404:  # the coalition API, where this checkout has it
            assert status == 200 and {"us-119-hr1201", "us-119-hr1822"} <= {p["bill_key"] for p in json.loads(body)}
        assert _get(f"{base}/api/bills/us-119-hr0")[0] == 404
        assert _get(f"{base}/bills/us-119-s410")[0] == 200     # the old address still answers API clients
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    # What to look at: the pages first, then the API.
    assert err.index("Pages:") < err.index(f"{base}/bill/us-119-s410") < err.index("API (JSON):") \
        < err.index(f"{base}/api/bills"), err[-3000:]
    first = _crawl_rows(out)
    assert first["demo-us_bills"]["inserted"] == len(cast.BILLS), err[-3000:]
    assert {"demo-us_legislators", "demo-us_votes", "demo-legiscan_bills", "demo-ny_bills"} <= set(first)
    assert all(r["outcome"] == "success" for r in first.values()), first

    again = subprocess.run([sys.executable, "-m", "cli", "demo", "--no-serve", "--json",
                            "--mirror-port", str(mirror_port)], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    second = _crawl_rows(again.stdout)
    assert set(second) == set(first)
    for job, row in second.items():
        assert (row["outcome"], row["inserted"], row["updated"]) == ("success", 0, 0), (job, row)
    db = sqlite3.connect(tmp_path / "data" / "edtracker.db")
    assert db.execute("select count(*) from bill where jurisdiction_id = 'us'").fetchone()[0] == len(cast.BILLS)
    assert db.execute("select count(*) from coalition").fetchone()[0] == 1


# --- SIGTERM during a crawl -------------------------------------------------------------------------

def test_sigterm_during_a_crawl_leaves_no_partial_records(app_env, engine, monkeypatch):
    expected = {}
    for b in cast.BILLS:
        rec = billstatus.parse_bill(federal_files()[bill_path(b)], bill_path(b))
        expected[cast.bill_key(b)] = len(rec.actions)
    with running_mirror(delay=2.0) as mirror:
        job = {"id": "slow-us_bills", "kind": "crawl", "target": "us_bills", "trigger": "interval: 1h",
               "args": [f"base_url={mirror.base_url}", "congress=119"]}
        env = {**os.environ, "EDTRACKER_DEFAULT_JOBS": "false", "EDTRACKER_EXTRA_JOBS": json.dumps([job]),
               "EDTRACKER_POLITE_CRAWLING": "false", "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "cli", "run", "slow-us_bills"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(600):  # until the crawl is fetching bill files
                if sum(n for p, n in mirror.hits.items() if p.startswith("/bulkdata/")) >= 2:
                    break
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
            # The first SIGTERM lets downloads already handed to Scrapy's downloader finish (all
            # eight here); a second one, as an impatient operator or a timeout sends, stops the
            # crawl at once: records written so far must be whole, the rest absent.
            proc.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    with Session(engine) as db:
        runs = db.exec(select(JobRun).where(JobRun.job_id == "slow-us_bills")).all()
        assert [r.outcome for r in runs] == ["interrupted"], (out, err[-3000:])
        assert runs[0].finished_at is not None
        stored = db.exec(select(Bill)).all()
        assert len(stored) < len(cast.BILLS), "the crawl was not interrupted half-way"
        for bill in stored:
            n = len(db.exec(select(BillAction).where(BillAction.bill_id == bill.id)).all())
            assert n == expected[bill.key], f"{bill.key}: {n} actions stored, {expected[bill.key]} in the source"
