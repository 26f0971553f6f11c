"""Run a spider in a subprocess (Scrapy's reactor cannot restart) against a local mirror."""
from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import ROOT

TEST_SETTINGS = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False",
                 "-s", "EDTRACKER_BACKOFF_BASE=0.05", "-s", "LOG_LEVEL=INFO", "-s", "TELNETCONSOLE_ENABLED=False"]


def crawl(name: str, db_url: str, *args: str, data_dir: Path) -> str:
    """Crawl and return the log; fail with the log when the crawl does not finish cleanly."""
    env = dict(os.environ, EDTRACKER_DATABASE_URL=db_url, EDTRACKER_DATA_DIR=str(data_dir))
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", name, *args, *TEST_SETTINGS],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0 and "'finish_reason': 'finished'" in log, log[-4000:]
    return log


class MirrorServer:
    """A 127.0.0.1 HTTP server over a folder that answers 429 (Retry-After: 1) once per listed path."""

    def __init__(self, root: Path, throttle_once: set[str] = frozenset()):
        self.root, self.pending_429 = root, set(throttle_once)
        self.requests: list[str] = []
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(server.root), **kw)

            def do_GET(self):  # noqa: N802
                server.requests.append(self.path)
                if self.path in server.pending_429:
                    server.pending_429.discard(self.path)
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                super().do_GET()

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
