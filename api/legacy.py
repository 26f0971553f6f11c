"""The JSON API's addresses from before it moved under `/api/`, kept for existing API clients.

`/bills`, `/bills/{key}`, `/search`, `/quality`, `/status/jobs` and `/coalitions/{slug}/...` were
JSON. An API client asking one of them still gets the JSON of the new path (the request is
rewritten to `/api/...`; the answer says `Deprecation: true` and links its successor). A person's
browser (`Accept: text/html`) gets a page instead: `/search` and `/quality` are pages at the same
address, the others redirect to their page (`/bills/{key}` to `/bill/{key}`). A pure ASGI
middleware: one regular expression per request, nothing buffered.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LEGACY = re.compile(r"^/(?:bills(?:/[^/]+)?|search|quality|status/jobs|coalitions/[^/]+(?:/.*)?)$")
# Old paths whose page lives at the same address (content negotiation instead of a redirect).
SAME_ADDRESS = ("/search", "/quality")
# API paging parameters a page does not take.
_API_ONLY = {"limit", "offset", "names"}


def accepts_html(accept: str) -> bool:
    """Whether an `Accept` header asks for a page (every browser navigation names text/html)."""
    return "text/html" in accept


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return ""


def page_for(path: str, query: bytes) -> str:
    """Where a browser asking the old JSON `path` should go (a page of this site)."""
    parts = path.strip("/").split("/")
    params = [(k, v) for k, v in parse_qsl(query.decode("latin-1")) if k not in _API_ONLY and v]
    qs = f"?{urlencode(params)}" if params else ""
    if parts[0] == "bills":
        return f"/bill/{quote(parts[1], safe='')}" if len(parts) > 1 else f"/search{qs}"
    if parts[0] == "status":
        return "/status"
    # /coalitions/{slug}/...: the coalition's pages (staff views for the staff-only data)
    base = f"/c/{quote(parts[1], safe='')}/"
    sub = parts[2] if len(parts) > 2 else ""
    if sub == "search":
        return base + qs
    if sub == "tags":
        return base + "staff/"
    if sub == "alerts":
        return base + "staff/alerts"
    return base


def _add_vary(headers: MutableHeaders) -> None:
    vary = headers.get("vary")
    if not vary:
        headers["Vary"] = "Accept"
    elif "accept" not in [v.strip().lower() for v in vary.split(",")]:
        headers["Vary"] = f"{vary}, Accept"


class LegacyPaths:
    """Rewrite old JSON paths to `/api/...` for API clients; send browsers to the page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path or not LEGACY.match(path):
            await self.app(scope, receive, send)
            return
        browser = scope["method"] in ("GET", "HEAD") and accepts_html(_header(scope, b"accept"))
        if browser and path in SAME_ADDRESS:
            await self.app(scope, receive, self._vary(send))
            return
        if browser:
            await self._redirect(page_for(path, scope.get("query_string", b"")), send)
            return
        new_path = "/api" + path
        # Rewritten in place, not in a copy: the page cache (outermost) reads from this scope
        # whether the route marked its answer public (`api.page_cache.public`).
        scope["path"] = new_path
        if scope.get("raw_path"):
            scope["raw_path"] = b"/api" + scope["raw_path"]

        async def deprecated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Deprecation"] = "true"
                headers["Link"] = f'<{quote(new_path)}>; rel="successor-version"'
                _add_vary(headers)
            await send(message)
        await self.app(scope, receive, deprecated)

    @staticmethod
    def _vary(send: Send) -> Send:
        async def with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add_vary(MutableHeaders(scope=message))
            await send(message)
        return with_vary

    @staticmethod
    async def _redirect(location: str, send: Send) -> None:
        await send({"type": "http.response.start", "status": 302,
                    "headers": [(b"location", location.encode("latin-1")), (b"vary", b"Accept"),
                                (b"content-length", b"0"), (b"cache-control", b"no-cache")]})
        await send({"type": "http.response.body", "body": b""})
