"""Error answers: an HTML page with a way back for people, JSON for API clients.

A request wants a page when its `Accept` header names `text/html` (every browser navigation
does) and it is not a JSON API path; API clients (`Accept: application/json`, `*/*`) keep the
JSON error bodies FastAPI documents (`{"detail": ...}`).
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("edtracker.api")

# JSON endpoints answer JSON whatever the client accepts.
JSON_PREFIXES = ("/api/", "/openapi.json", "/healthz", "/oembed")


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(JSON_PREFIXES) or path.endswith((".json", ".svg", ".js", ".atom", ".ics", ".csv")):
        return False
    return "text/html" in request.headers.get("accept", "")


def _page(request: Request, status: int, detail: str | None = None, headers=None):
    from api.pages.common import render

    known = status if status in (400, 403, 404, 500) else None
    response = render(request, "error.html", {
        "status": status, "known": known, "detail": detail if status < 500 else None,
    }, status_code=status)
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
