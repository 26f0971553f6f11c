"""legiscan_bills against a local LegiScan mirror built from the real Mississippi 2013 files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from scrapers.formats.legiscan_xml import load as load_xml
from scrapers.spiders.legiscan_bills import strip_key
from tests.conftest import ROOT, real_fixture
from tests.spiders.jsonapi import RETRY_AFTER_1, JsonApiServer
from tracker.db import get_engine


def build_mirror(folder: Path) -> dict:
    """Pull API answers (`{"status": "OK", ...}`) made from the real ms-2013 XML dataset."""
    ms = real_fixture("legiscan-ms-xml", "ms-2013")
    answers, hashes = {}, {}
    for f in sorted((ms / "bill").glob("*.xml")):
        _, bill = load_xml(f.read_bytes())
        bill["state_id"] = "24"
        answers[("getBill", bill["bill_id"])] = {"bill": bill}
        hashes[bill["bill_id"]] = {"bill_id": int(bill["bill_id"]), "number": bill["bill_number"],
                                   "change_hash": bill["change_hash"]}
    for f in sorted((ms / "vote").glob("*.xml")):
        _, rc = load_xml(f.read_bytes())
        answers[("getRollCall", rc["roll_call_id"])] = {"roll_call": rc}
    for f in sorted((ms / "people").glob("*.xml")):
        _, person = load_xml(f.read_bytes())
        answers[("getPerson", person["people_id"])] = {"person": {**person, "state_id": 24}}
    answers[("getSessionList", "")] = {"sessions": [
        {"session_id": 1008, "state_id": 24, "year_start": 2013, "year_end": 2013, "special": 0,
         "session_name": "2013 Regular Session"}]}
    answers[("getMasterListRaw", "1008")] = {"masterlist": {"session": {"session_id": 1008},
                                                            **{str(i): h for i, h in enumerate(hashes.values())}}}
    (folder / "answers.json").write_text(json.dumps({f"{k[0]}|{k[1]}": v for k, v in answers.items()}))
    return answers


class Mirror(JsonApiServer):
    """Answers `?op=...&id=...` from `answers`; the first getBill gets 429 + Retry-After."""

    def __init__(self, answers: dict):
        super().__init__(self.answer)
        self.answers, self.throttled = answers, False
        self.start()

    def answer(self, path: str, q: dict, headers):
        if q.get("op") == "getBill" and not self.throttled:
            self.throttled = True  # like the real API under load
            return RETRY_AFTER_1
        body = self.answers.get((q.get("op"), q.get("id", "")))
        return 200, {"status": "OK", **body} if body else {"status": "ERROR", "alert": {"message": "x"}}

    def calls(self) -> list[tuple[str, str]]:
        """(op, id) of each request, in order."""
        return [(r.query.get("op"), r.query.get("id", "")) for r in self.log]


def crawl(db_url: str, base_url: str, tmp_path: Path, key: str | None = "sekret-key") -> str:
    env = {**os.environ, "EDTRACKER_DATABASE_URL": db_url, "EDTRACKER_LEGISCAN_BASE_URL": base_url,
           "EDTRACKER_DATA_DIR": str(tmp_path / "data"), "EDTRACKER_LEGISCAN_API_KEY": key or ""}
    out = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "legiscan_bills", "-a", "states=MS",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False",
         "-s", "EDTRACKER_BACKOFF_BASE=0.05", "-s", f"EDTRACKER_DATABASE_URL={db_url}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stderr


def test_strip_key():
    assert strip_key("https://api.legiscan.com/?key=abc&op=getBill&id=1") == "https://api.legiscan.com/?op=getBill&id=1"


def test_disabled_without_key(sqlite_url, tmp_path):
    log = crawl(sqlite_url, "http://127.0.0.1:9", tmp_path, key=None)
    assert "legiscan_bills is disabled: set EDTRACKER_LEGISCAN_API_KEY" in log


def test_crawl_honors_429_and_resumes_by_change_hash(db_url, tmp_path):
    answers = build_mirror(tmp_path)
    mirror = Mirror(answers)
    log = crawl(db_url, mirror.url, tmp_path)
    assert "sekret-key" not in log
    assert "HTTP 429" in log and "'edtracker/retry_after': 1" in log
    ops = [op for op, _id in mirror.calls()]
    assert ops.count("getBill") == 3  # two bills, one retried after the 429
    assert ops.count("getRollCall") == 5
    engine = get_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM bill")).scalar() == 2
        urls = [u for (u,) in conn.execute(text("SELECT source_url FROM vote_event"))]
        unmatched = conn.execute(text(
            "SELECT count(*) FROM person_vote WHERE legislator_id IS NULL")).scalar()
    assert len(urls) == 5 and not any("key=" in u for u in urls)
    assert unmatched == 2  # people_id 6492 has no people file in the dataset (see test_legiscan)

    # Second crawl: nothing moved, so no getBill; then one bill's hash moves.
    mirror.log.clear()
    crawl(db_url, mirror.url, tmp_path)
    assert [op for op, _i in mirror.calls()] == ["getSessionList", "getMasterListRaw"]
    listing = answers[("getMasterListRaw", "1008")]["masterlist"]
    listing["0"]["change_hash"] = "moved"
    mirror.log.clear()
    crawl(db_url, mirror.url, tmp_path)
    assert [(op, i) for op, i in mirror.calls() if op == "getBill"] == [("getBill", str(listing["0"]["bill_id"]))]
    engine.dispose()
