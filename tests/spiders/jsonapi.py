"""A local JSON API (127.0.0.1, ephemeral port) for the spider tests; each test file brings its routing."""
from __future__ import annotations

import json
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, NamedTuple
from urllib.parse import parse_qs, urlsplit

# The one 429 the API-crawling spiders must honour before retrying.
RETRY_AFTER_1 = (429, None, {"Retry-After": "1"})


class Request(NamedTuple):
    path: str
    query: dict  # a parameter sent once maps to its value, a repeated one to the list of its values
    headers: Message


Route = Callable[[str, dict, Message], tuple]


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer  # with .api, the JsonApiServer

    def do_GET(self):  # noqa: N802
        api = self.server.api
        parts = urlsplit(self.path)
        query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parts.query).items()}
        api.log.append(Request(parts.path, query, self.headers))
        status, body, *extra = api.route(parts.path, query, self.headers)
        headers = extra[0] if extra else {}
        if isinstance(body, (dict, list)):
            body, headers = json.dumps(body).encode(), {"Content-Type": "application/json", **headers}
        body = body or b""
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # keep the test output to the failures


class JsonApiServer:
    """Answers GETs with `route(path, query, headers) -> (status, body[, extra_headers])`.

    A dict or list body goes out as JSON, bytes as they are, None as nothing. Every request is kept
    in `log` as a `Request`, before it is routed. Use as a context manager, or start() and stop().
    """

    def __init__(self, route: Route):
        self.route = route
        self.log: list[Request] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.api = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> JsonApiServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() waits forever on a server that never served
            self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> JsonApiServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
