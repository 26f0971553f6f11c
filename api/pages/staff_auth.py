"""Staff sign-in pages: login (throttled per account and per client address), logout, password
reset by an emailed single-use link, and changing one's password. English and Spanish."""
from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep, SettingsDep
from api.pages.common import check_csrf, coalition_or_404, csrf_token, render, session_account
from api.pages.i18n import lang_of, message
from tracker.coalitions import accounts, audit, throttle
from tracker.coalitions.auth import PASSWORD_MAX, PASSWORD_MIN, check_password
from tracker.coalitions.mail import reset_email
from tracker.alerts.dispatch import send_now
from tracker.alerts.outbox import enqueue
from tracker.vocab import MEMBER_ROLE

log = logging.getLogger("edtracker.staff")
router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)

Email = Annotated[str, Form(max_length=320)]
Password = Annotated[str, Form(max_length=PASSWORD_MAX)]
Csrf = Annotated[str, Form(max_length=128)]
Lang = Annotated[str, Form(max_length=8)]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _page(request: Request, template: str, coal, lang: str, status: int = 200, headers=None, **ctx) -> HTMLResponse:
    request.state.lang = lang  # the page frame and the messages follow the form's language
    response = render(request, template, {"coalition": coal, "csrf": csrf_token(request),
                                          "error": None, "notice": None, **ctx}, status_code=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _password_error(new: str, again: str) -> str | None:
    if new != again:
        return "mismatch"
    if len(new) < PASSWORD_MIN:
        return "too_short"
    if len(new) > PASSWORD_MAX:
        return "too_long"
    return None


@router.get("/login", response_class=HTMLResponse)
def login_form(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    return _page(request, "login.html", coalition_or_404(db, slug), lang_of(request),
                 notice=message(lang_of(request), "reset_done") if request.query_params.get("reset") else None)


@router.post("/login", response_class=HTMLResponse)
def login(slug: str, request: Request, db: SessionDep, settings: SettingsDep, email: Email, password: Password,
          csrf: Csrf = "", lang: Lang = "") -> HTMLResponse:
    check_csrf(request, csrf)
    lang = lang_of(request, lang)
    coal = coalition_or_404(db, slug)
    try:
        user = accounts.authenticate(db, coal.id, email, password, _client(request), accounts.Limits.of(settings))
    except accounts.Throttled as exc:
        return _page(request, "login.html", coal, lang, 429, {"Retry-After": str(exc.retry_after)},
                     error=message(lang, "throttled", minutes=max(1, -(-exc.retry_after // 60))))
    if user is None:
        db.commit()
        return _page(request, "login.html", coal, lang, 401, error=message(lang, "wrong_login"))
    sid = accounts.start_session(db, user, settings.session_max_age, _client(request))
    db.commit()
    request.session.clear()   # a fresh CSRF token too: nothing from before the login carries over
    request.session["sid"] = sid
    home = "stances" if user.role == MEMBER_ROLE else ""   # a member organization has one page
    return RedirectResponse(f"/c/{slug}/staff/{home}", status_code=303)


@router.post("/logout")
def logout(slug: str, request: Request, db: SessionDep, csrf: Csrf = "") -> RedirectResponse:
    check_csrf(request, csrf)
    accounts.end_session(db, request.session.get("sid"))
    db.commit()
    request.session.clear()
    return RedirectResponse(f"/c/{slug}/", status_code=303)


@router.get("/forgot", response_class=HTMLResponse)
def forgot_form(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    return _page(request, "staff_forgot.html", coalition_or_404(db, slug), lang_of(request))


@router.post("/forgot", response_class=HTMLResponse)
def forgot(slug: str, request: Request, db: SessionDep, settings: SettingsDep, background: BackgroundTasks,
           email: Email, csrf: Csrf = "", lang: Lang = "") -> HTMLResponse:
    """Email a reset link to the account; the answer is the same whether it exists or not."""
    check_csrf(request, csrf)
    lang = lang_of(request, lang)
    coal = coalition_or_404(db, slug)
    wait = throttle.take(db, throttle.key("reset-client", _client(request)),
                         settings.login_max_attempts_per_client, settings.login_window_seconds)
    if wait:
        db.commit()
        return _page(request, "staff_forgot.html", coal, lang, 429, {"Retry-After": str(wait)},
                     error=message(lang, "throttled", minutes=max(1, -(-wait // 60))))
    issued = accounts.request_reset(db, coal.id, email, max_age=settings.password_reset_max_age,
                                    per_hour=settings.password_reset_per_hour)
    queued = None
    if issued:
        user, token = issued
        url = f"{settings.public_url.rstrip('/')}/c/{coal.slug}/staff/reset/{token}" + ("?lang=es" if lang == "es" else "")
        # Through the outbox: kept until the SMTP server takes it, sent at once when it can be.
        queued = enqueue(db, reset_email(mail_from=settings.mail_from, to=user.email, coalition=coal.name, url=url,
                                         max_age=settings.password_reset_max_age, lang=lang),
                         user.email, purpose="password_reset", mail_from=settings.mail_from, coalition_id=coal.id)
    db.commit()
    if queued is not None:
        background.add_task(send_now, request.app.state.engine, settings, [queued.id])
    return _page(request, "staff_forgot.html", coal, lang, 200, sent=True,
                 notice=message(lang, "link_sent", email=email.strip(),
                                minutes=max(1, settings.password_reset_max_age // 60)))


def _no_referrer(resp: HTMLResponse) -> HTMLResponse:
    # The token is in the address: never send it on in a Referer header.
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_form(slug: str, token: str, request: Request, db: SessionDep) -> HTMLResponse:
    """The new-password form (opening the link changes nothing: mail scanners open links)."""
    coal = coalition_or_404(db, slug)
    lang = lang_of(request)
    user = accounts.reset_user(db, coal.id, token)
    if user is None:
        return _no_referrer(_page(request, "staff_reset.html", coal, lang, 400, error=message(lang, "bad_link"),
                                  valid=False))
    return _no_referrer(_page(request, "staff_reset.html", coal, lang, valid=True, token=token, email=user.email))


@router.post("/reset/{token}", response_class=HTMLResponse)
def reset(slug: str, token: str, request: Request, db: SessionDep, new_password: Password,
          new_password_again: Password, csrf: Csrf = "", lang: Lang = ""):
    check_csrf(request, csrf)
    coal = coalition_or_404(db, slug)
    lang = lang_of(request, lang)
    problem = _password_error(new_password, new_password_again)
    if problem:
        user = accounts.reset_user(db, coal.id, token)
        return _no_referrer(_page(request, "staff_reset.html", coal, lang, 422, error=message(lang, problem),
                                  valid=user is not None, token=token, email=user.email if user else ""))
    user = accounts.redeem_reset(db, coal.id, token, new_password)
    if user is None:
        db.rollback()
        return _no_referrer(_page(request, "staff_reset.html", coal, lang, 400, error=message(lang, "bad_link"),
                                  valid=False))
    audit.record(db, coal, user, "staff.password_reset", user.email)
    db.commit()
    request.session.clear()
    return RedirectResponse(f"/c/{slug}/staff/login?reset=1" + ("&lang=es" if lang == "es" else ""), status_code=303)


def _logged_in(request: Request, db, slug: str):
    coal = coalition_or_404(db, slug)
    user = session_account(request, db, coal)   # members change their own password too
    if user is None:
        raise HTTPException(303, headers={"Location": f"/c/{slug}/staff/login"})
    return coal, user


@router.get("/password", response_class=HTMLResponse)
def password_form(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = _logged_in(request, db, slug)
    return _page(request, "staff_password.html", coal, lang_of(request), user=user)


@router.post("/password", response_class=HTMLResponse)
def change_password(slug: str, request: Request, db: SessionDep, settings: SettingsDep, current_password: Password,
                    new_password: Password, new_password_again: Password, csrf: Csrf = "",
                    lang: Lang = "") -> HTMLResponse:
    """Change one's own password: every session of the account ends, this browser gets a new one."""
    check_csrf(request, csrf)
    coal, user = _logged_in(request, db, slug)
    lang = lang_of(request, lang)
    key = throttle.key("login-account", f"{coal.id}:{user.email}")
    wait = throttle.take(db, key, settings.login_max_attempts_per_account, settings.login_window_seconds)
    db.commit()
    if wait:
        return _page(request, "staff_password.html", coal, lang, 429, {"Retry-After": str(wait)}, user=user,
                     error=message(lang, "throttled", minutes=max(1, -(-wait // 60))))
    if not check_password(current_password, user.password_hash):
        return _page(request, "staff_password.html", coal, lang, 401, user=user, error=message(lang, "wrong_current"))
    problem = _password_error(new_password, new_password_again)
    if problem:
        return _page(request, "staff_password.html", coal, lang, 422, user=user, error=message(lang, problem))
    throttle.clear(db, key)
    accounts.set_password(db, user, new_password)
    audit.record(db, coal, user, "staff.password_changed", user.email)
    sid = accounts.start_session(db, user, settings.session_max_age, _client(request))
    db.commit()
    request.session.clear()
    request.session["sid"] = sid
    return _page(request, "staff_password.html", coal, lang, user=user, notice=message(lang, "changed"), done=True)
