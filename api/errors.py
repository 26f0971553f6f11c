"""Error answers: an HTML page with a way back for people, JSON for API clients.

A request wants a page when its `Accept` header names `text/html` (every browser navigation
does) and it is not a JSON API path; API clients (`Accept: application/json`, `*/*`) keep the
JSON error bodies FastAPI documents (`{"detail": ...}`).
"""
from __future__ import annotations

import logging
import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("edtracker.api")
_COALITION_PATH = re.compile(r"^/c/([a-z0-9][a-z0-9-]{0,99})/")
# An embed's error page may be framed by any site (it carries no data, form or script): the
# coalition's page that frames it shows the reader why the scorecard is missing.
EMBED_ERROR_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                   "form-action 'none'; frame-ancestors *")

# JSON endpoints answer JSON whatever the client accepts.
JSON_PREFIXES = ("/api/", "/openapi.json", "/healthz", "/oembed")


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(JSON_PREFIXES) or path.endswith((".json", ".svg", ".js", ".atom", ".ics", ".csv")):
        return False
    return "text/html" in request.headers.get("accept", "")


def way_back(path: str) -> list[tuple[str, str]]:
    """Links (address, catalog key) an error page offers besides home and search: under a
    coalition's pages, its home and its scorecards, and every coalition's scorecards."""
    m = _COALITION_PATH.match(path)
    if not m:
        return []
    slug = m.group(1)
    return [(f"/c/{slug}/", "error.coalition_home"), (f"/c/{slug}/scorecards", "error.coalition_scorecards"),
            ("/coalitions", "error.all_scorecards")]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return ""


def _page(request: Request, status: int, detail: str | None = None, headers=None):
    from api.pages.common import render

    known = status if status in (400, 403, 404, 500, 503) else None
    embed = request.url.path.startswith("/embed/")
    # An embed's error shows inside a coalition's page: bare, no menu, framable, no details.
    # The services' details are English: marked so (lang="en"); a bare status phrase ("Not
    # Found") says nothing the translated text does not.
    if detail and detail.strip().lower() == _phrase(status):
        detail = None
    response = render(request, "error_embed.html" if embed else "error.html", {
        "status": status, "known": known, "detail": detail if status < 500 and not embed else None,
        "back": way_back(request.url.path.removeprefix("/embed")),
    }, status_code=status)
    if embed:
        response.headers["Content-Security-Policy"] = EMBED_ERROR_CSP
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if wants_html(request):
            detail = exc.detail if isinstance(exc.detail, str) else None
            return _page(request, exc.status_code, detail, getattr(exc, "headers", None))
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if wants_html(request):
            problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}"
                                 for e in exc.errors())
            return _page(request, 400, problems or None)
        return await request_validation_exception_handler(request, exc)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if wants_html(request):
            try:
                return _page(request, 500)
            except Exception:  # noqa: BLE001  (the page itself failed: say it plainly)
                log.exception("the error page failed too")
        return PlainTextResponse("Internal Server Error", status_code=500)
