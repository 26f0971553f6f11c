"""A local Open States API v3 mirror for the openstates_* spider tests (127.0.0.1, no network).

Responses follow the documented v3 envelope `{results, pagination}`; the bill and event bodies
are in tests/data/openstates/api/ (hand-made from the API schema: no real sample is public).
"""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.spiders.jsonapi import RETRY_AFTER_1, JsonApiServer

DATA = Path(__file__).resolve().parent.parent / "data" / "openstates" / "api"
KEY = "os-test-key"


def sample(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def bill_pages(n: int = 3) -> list[dict]:
    """n one-bill pages: AB 100 and copies renumbered AB 101, AB 102, ..."""
    base = sample("bill_ca_ab100.json")
    out = []
    for i in range(n):
        b = copy.deepcopy(base)
        b["identifier"] = f"AB {100 + i}"
        b["id"] = b["id"][:-3] + f"{i:03d}"
        for v in b["votes"]:
            v["id"] = v["id"][:-3] + f"{i:03d}"
        out.append(b)
    return out


class Mirror(JsonApiServer):
    """Serves /jurisdictions/..., /bills, /people and /events; `log` holds each request."""

    def __init__(self, bills: list[dict] | None = None, people: list[dict] | None = None,
                 events: list[dict] | None = None, throttle_page: int | None = None):
        super().__init__(self.answer)
        self.bills, self.people, self.events = bills or [], people or [], events or []
        self.throttle_page, self.throttled = throttle_page, False
        self.start()

    def answer(self, path: str, q: dict, headers):
        if headers.get("X-API-KEY") != KEY:
            return 401, {"detail": "bad key"}
        page = int(q.get("page", 1))
        if self.throttle_page == page and path == "/bills" and not self.throttled:
            self.throttled = True  # one 429 with Retry-After, as the API does past 10/minute
            return RETRY_AFTER_1
        if path.startswith("/jurisdictions/"):
            return 200, {"id": path.split("/", 2)[2], "legislative_sessions": [
                {"identifier": "20232024", "start_date": "2022-12-05", "end_date": "2024-11-30"},
                {"identifier": "20252026", "start_date": "2024-12-02"}]}
        rows = {"/bills": self.bills, "/people": self.people, "/events": self.events}.get(path)
        if rows is None:
            return 404, {"detail": "not found"}
        if path == "/bills" and "identifier" in q:
            rows = [b for b in rows if b["identifier"] == q["identifier"]]
        since = q.get("updated_since")
        if since and path == "/bills":
            rows = [b for b in rows if b.get("updated_at", "") > since]
        # One result per page keeps the tests' budgets small and readable.
        max_page = max(1, len(rows))
        return 200, {"results": rows[page - 1:page],
                     "pagination": {"per_page": 1, "page": page, "max_page": max_page, "total_items": len(rows)}}

    def pages(self, path: str) -> list[int]:
        return [int(q.get("page", 1)) for p, q, _h in self.log if p == path]


def crawl(spider: str, db_url: str, base_url: str, tmp_path: Path, *args: str, key: str | None = KEY,
          env_extra: dict | None = None) -> tuple[str, dict]:
    """Run a crawl in a subprocess; return its log and the edtracker/openstates stats."""
    env = {**os.environ, "EDTRACKER_DATABASE_URL": db_url, "EDTRACKER_DATA_DIR": str(tmp_path / "data"),
           "EDTRACKER_OPENSTATES_API_KEY": key or "", "EDTRACKER_OPENSTATES_JURISDICTIONS": '["ca"]',
           **(env_extra or {})}
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"base_url={base_url}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False",
           "-s", "EDTRACKER_BACKOFF_BASE=0.05", "-s", f"EDTRACKER_DATABASE_URL={db_url}"]
    for a in args:
        cmd += ["-a", a]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    stats = dict(re.findall(r"'(edtracker/[^']+)': ('[^']*'|[\w.]+)", out.stderr))
    return out.stderr, {k: v.strip("'") for k, v in stats.items()}
