"""First run in the browser (/setup): the first coalition and its first admin, for whoever knows
the setup token from the environment, while the instance has no staff account at all."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep, SettingsDep
from api.i18n import translator
from api.pages.common import check_csrf, csrf_token, render
from api.pages.i18n import lang_of
from api.routes.find import client_of
from tracker.coalitions import accounts, setup, throttle
from tracker.coalitions.auth import PASSWORD_MAX

router = APIRouter(include_in_schema=False)

Short = Annotated[str, Form(max_length=320)]
Long = Annotated[str, Form(max_length=600)]
Password = Annotated[str, Form(max_length=PASSWORD_MAX)]
TRIES_PER_HOUR = 10   # setup attempts per client address


def _page(request: Request, lang: str, state: str, status: int = 200, **ctx) -> HTMLResponse:
    request.state.lang = lang
    return render(request, "setup.html", {"coalition": None, "user": None, "state": state,
                                          "csrf": csrf_token(request), "errors": {}, "form": {}, **ctx},
                  status_code=status)


def _state(db, settings) -> str:
    if not setup.is_open(db):
        return "done"
    return "form" if settings.setup_token else "no_token"


@router.get("/setup", response_class=HTMLResponse)
def setup_form(request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    state = _state(db, settings)
    return _page(request, lang_of(request), state, 404 if state == "done" else 200)


@router.post("/setup", response_class=HTMLResponse)
def setup_submit(request: Request, db: SessionDep, settings: SettingsDep, setup_token: Password = "",
                 coalition_name: Short = "", slug: Short = "", website: Long = "", display_name: Short = "",
                 email: Short = "", new_password: Password = "", new_password_again: Password = "",
                 csrf: Short = "", lang: Annotated[str, Form(max_length=8)] = ""):
    check_csrf(request, csrf)
    lang = lang_of(request, lang)
    state = _state(db, settings)
    if state != "form":
        return _page(request, lang, state, 404 if state == "done" else 403)
    t = translator(lang)
    form = {"coalition_name": coalition_name, "slug": slug, "website": website, "display_name": display_name,
            "email": email}
    client = client_of(request)
    # Every attempt counts, a right one too: past the limit no token is even compared.
    wait = throttle.take(db, throttle.key("setup-client", client), TRIES_PER_HOUR, 3600)
    db.commit()
    if wait:
        response = _page(request, lang, "form", 429, form=form, error=t("setup.throttled"))
        response.headers["Retry-After"] = str(wait)
        return response
    if not setup.token_matches(settings.setup_token, setup_token):
        return _page(request, lang, "form", 403, form=form, errors={"setup_token": t("setup.error.token")})
    try:
        coal, user = setup.first_admin(db, coalition_name=coalition_name, slug=slug, website=website,
                                       name=display_name, email=email, password=new_password,
                                       password_again=new_password_again)
    except setup.SetupError as exc:
        db.rollback()
        return _page(request, lang, "form", 422, form=form,
                     errors={field: t(f"setup.error.{code}") for field, code in exc.errors.items()})
    except RuntimeError:
        db.rollback()
        return _page(request, lang, "done", 404)
    sid = accounts.start_session(db, user, settings.session_max_age, client)
    db.commit()
    request.session.clear()   # a fresh CSRF token: nothing from before the login carries over
    request.session["sid"] = sid
    return RedirectResponse(f"/c/{coal.slug}/staff/?welcome=1" + ("&lang=es" if lang == "es" else ""),
                            status_code=303)
