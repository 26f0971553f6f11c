"""Security headers on every response: a Content-Security-Policy that allows only our own
styles, scripts and images, framing refused (`frame-ancestors 'none'`, X-Frame-Options DENY),
Referrer-Policy and nosniff. A route that sets its own CSP (the scorecard embeds, framed by the
coalition's allowlist) keeps it. The API docs pages (assets served from this server, see
api/docs.py) get a policy with the hashes of their framework-generated inline scripts."""
from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def docs_csp(body: bytes) -> str:
    """The docs pages' policy: our own assets, and exactly the inline scripts this page carries."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
                      for s in _INLINE_SCRIPT.findall(body))
    return (f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; font-src 'self'; worker-src blob:; "
            "base-uri 'none'; frame-ancestors 'none'")


def _apply(headers: MutableHeaders, csp: str | None = None) -> None:
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if not headers.get("content-type", "").startswith("text/html"):
        return
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if "content-security-policy" not in headers:
        headers["Content-Security-Policy"] = csp or PAGE_CSP
        headers.setdefault("X-Frame-Options", "DENY")


class SecurityHeaders:
    """Pure ASGI middleware (no buffering except the small docs pages)."""

    def __init__(self, app: ASGIApp, docs_paths: tuple[str, ...] = ()) -> None:
        self.app, self.docs_paths = app, {p for p in docs_paths if p}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in self.docs_paths:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _apply(MutableHeaders(scope=message))
            await send(message)
        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            _apply(MutableHeaders(scope=start), docs_csp(body))
            await send(start)
            await send({"type": "http.response.body", "body": body})
        await self.app(scope, receive, hold)
