"""A local mirror of the supported sources, serving the demo sample on 127.0.0.1.

Path routing for file sources, query routing for `?op=`-style APIs, 404 for anything else; it
never touches the network. `delay` (seconds per response) makes a deliberately slow source,
for tests that stop a crawl half-way.

`python -m scrapers.demo.mirror [--port 0] [--delay 0]` prints its base URL and serves until killed.
"""
from __future__ import annotations

import argparse
import json
import logging
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qsl, urlsplit

from scrapers.demo.sample import DEMO_KEY, QueryRoute, Sample, build_sample

log = logging.getLogger("edtracker.demo.mirror")
_TYPES = {".xml": "application/xml", ".yaml": "application/x-yaml", ".json": "application/json",
          ".asp": "text/html; charset=utf-8", ".html": "text/html; charset=utf-8"}


def _content_type(path: str) -> str:
    for ext, kind in _TYPES.items():
        if path.endswith(ext):
            return kind
    return "application/octet-stream"


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, sample: Sample, delay: float = 0.0):
        super().__init__(address, _Handler)
        self.sample, self.delay = sample, delay
        self.hits: dict[str, int] = {}
        self._hits_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def count(self, path: str) -> None:
        with self._hits_lock:
            self.hits[path] = self.hits.get(path, 0) + 1


class _Handler(BaseHTTPRequestHandler):
    server: MirrorServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.server.count(parts.path)
        if self.server.delay:
            time.sleep(self.server.delay)
        found = self.server.sample.find(parts.path, query)
        if found is None:
            self._send(404, b"not in the demo mirror\n", "text/plain")
        elif isinstance(found, QueryRoute):
            if found.key_param and DEMO_KEY not in (query.get(found.key_param),
                                                    self.headers.get(found.key_param)):
                self._send(401, json.dumps({"status": "ERROR", "alert": {"message": "bad API key"}}).encode(),
                           "application/json")
            else:
                self._send(200, found.body, found.content_type)
        else:
            self._send(200, found, _content_type(parts.path))

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def _send(self, status: int, body: bytes, kind: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler went away (stopped by a test): nothing to tell it

    def log_message(self, fmt: str, *args) -> None:  # quiet: one debug line per request
        log.debug("%s " + fmt, self.address_string(), *args)


def start_mirror(port: int = 0, delay: float = 0.0, host: str = "127.0.0.1",
                 sample: Sample | None = None) -> MirrorServer:
    """Start serving in a daemon thread; `port=0` picks a free port (see `.base_url`)."""
    server = MirrorServer((host, port), sample or build_sample(), delay)
    threading.Thread(target=server.serve_forever, name="demo-mirror", daemon=True).start()
    return server


@contextmanager
def running_mirror(port: int = 0, delay: float = 0.0) -> Iterator[MirrorServer]:
    server = start_mirror(port, delay)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the edtracker demo sources on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each response")
    args = parser.parse_args()
    server = MirrorServer(("127.0.0.1", args.port), build_sample(), args.delay)
    print(server.base_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
