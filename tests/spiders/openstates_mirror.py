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
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.conftest import ROOT

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


class Mirror:
    """Serves /jurisdictions/..., /bills, /people and /events; logs (path, query) of each request."""

    def __init__(self, bills: list[dict] | None = None, people: list[dict] | None = None,
                 events: list[dict] | None = None, throttle_page: int | None = None):
        self.bills, self.people, self.events = bills or [], people or [], events or []
        self.throttle_page, self.throttled = throttle_page, False
        self.log: list[tuple[str, dict, str | None]] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                q = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(parts.query).items()}
                mirror.log.append((parts.path, q, self.headers.get("X-API-KEY")))
                if self.headers.get("X-API-KEY") != KEY:
                    return self._send(401, {"detail": "bad key"})
                page = int(q.get("page", 1))
                if (mirror.throttle_page == page and parts.path == "/bills" and not mirror.throttled):
                    mirror.throttled = True  # one 429 with Retry-After, as the API does past 10/minute
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.end_headers()
                    return
                if parts.path.startswith("/jurisdictions/"):
                    return self._send(200, {"id": parts.path.split("/", 2)[2], "legislative_sessions": [
                        {"identifier": "20232024", "start_date": "2022-12-05"},
                        {"identifier": "20252026", "start_date": "2024-12-02"}]})
                rows = {"/bills": mirror.bills, "/people": mirror.people, "/events": mirror.events}.get(parts.path)
                if rows is None:
                    return self._send(404, {"detail": "not found"})
                if parts.path == "/bills" and "identifier" in q:
                    rows = [b for b in rows if b["identifier"] == q["identifier"]]
                since = q.get("updated_since")
                if since and parts.path == "/bills":
                    rows = [b for b in rows if b.get("updated_at", "") > since]
                # One result per page keeps the tests' budgets small and readable.
                max_page = max(1, len(rows))
                self._send(200, {"results": rows[page - 1:page],
                                 "pagination": {"per_page": 1, "page": page, "max_page": max_page,
                                                "total_items": len(rows)}})

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pages(self, path: str) -> list[int]:
        return [int(q.get("page", 1)) for p, q, _k in self.log if p == path]

    def close(self):
        self.server.shutdown()


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
