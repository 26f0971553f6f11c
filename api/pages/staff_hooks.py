"""Webhooks of a coalition (admins): register (the signing secret is shown once), send a signed
test delivery, revoke."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep, SettingsDep
from api.i18n import translator
from api.pages.common import check_csrf
from api.pages.i18n import lang_of
from api.pages.staff_admin import admin, back, page
from tracker.alerts.kinds import EVENT_KINDS
from tracker.coalitions import hooks

router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=128)]


def _hooks(request: Request, db, coal, user, status: int = 200, **ctx) -> HTMLResponse:
    ctx.setdefault("form", {"url": "", "kinds": []})
    resp = page(request, "staff/webhooks.html", coal, user, status, hooks=hooks.listed(db, coal),
                kinds=list(EVENT_KINDS), **ctx)
    resp.headers["Cache-Control"] = "no-store"   # the page may hold the secret: never cached
    return resp


@router.get("/webhooks", response_class=HTMLResponse)
def webhooks_page(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = admin(request, db, slug)
    return _hooks(request, db, coal, user)


@router.post("/webhooks", response_class=HTMLResponse)
def register(slug: str, request: Request, db: SessionDep, settings: SettingsDep,
             url: Annotated[str, Form(max_length=4000)] = "",
             kinds: Annotated[list[str], Form(max_length=40)] = [],  # noqa: B006 - FastAPI reads it, never mutated
             csrf: Csrf = "") -> HTMLResponse:
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    form = {"url": url, "kinds": kinds}
    try:
        sub, secret = hooks.register(db, coal, user, url, kinds, allow_loopback=settings.alerts_webhook_allow_loopback)
    except hooks.HookError as exc:
        db.rollback()
        t = translator(lang_of(request))
        return _hooks(request, db, coal, user, 422, form=form,
                      errors={exc.field: t(f"admin.error.{exc.code}", problem=exc.problem)})
    db.commit()
    # Shown in this answer only: the page a reload or a later visit shows never has it.
    return _hooks(request, db, coal, user, 201, new_hook=sub.id, secret=secret)


@router.post("/webhooks/{hook_id}/test", response_class=HTMLResponse)
def test_fire(slug: str, hook_id: int, request: Request, db: SessionDep, settings: SettingsDep,
              csrf: Csrf = "") -> HTMLResponse:
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    try:
        ok, outcome = hooks.test_fire(db, coal, user, hook_id, settings)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except hooks.HookError as exc:
        return _hooks(request, db, coal, user, 409, errors={f"{hook_id}": exc.problem})
    db.commit()
    return _hooks(request, db, coal, user, 200 if ok else 502, tested=hook_id, test_ok=ok, outcome=outcome)


@router.post("/webhooks/{hook_id}/revoke")
def revoke(slug: str, hook_id: int, request: Request, db: SessionDep, csrf: Csrf = ""):
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    try:
        hooks.revoke(db, coal, user, hook_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    db.commit()
    return back(f"/c/{slug}/staff/webhooks", "hook_revoked")
