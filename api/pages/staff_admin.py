"""Admin pages of a coalition's workspace, shared pieces: the admin check and the page frame.
Forms answer with field errors next to the field (422) or a redirect with a `done` notice."""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.pages.common import csrf_token, render
from api.pages.staff import _need

DONE = ("invited", "role", "deactivated", "reactivated", "reset", "revoked", "aliased", "hook_revoked")


def admin(request: Request, db, slug: str):
    """(coalition, user) of a logged-in admin of this coalition; else login (303) or 403."""
    return _need(request, db, slug, "admin")


def page(request: Request, template: str, coal, user, status: int = 200, **ctx) -> HTMLResponse:
    done = request.query_params.get("done")
    return render(request, template, {"coalition": coal, "user": user, "csrf": csrf_token(request),
                                      "errors": {}, "done": done if done in DONE else None,
                                      "done_n": request.query_params.get("n", "")[:9], **ctx},
                  status_code=status)


def back(path: str, done: str, **query) -> RedirectResponse:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return RedirectResponse(f"{path}?done={done}{extra}", status_code=303)
