"""People of a coalition's workspace (admins): invitations by email (staff, and member
organizations' logins), roles, deactivation, password reset links; the invitation's accept page;
the audit log."""
from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep, SettingsDep
from api.i18n import LANGS, translator
from api.pages.common import check_csrf, coalition_or_404, csrf_token, render
from api.pages.i18n import lang_of
from api.pages.staff_admin import admin, back, page
from tracker.alerts.dispatch import send_now
from tracker.alerts.outbox import enqueue
from tracker.coalitions import accounts, audit, team
from tracker.coalitions.auth import PASSWORD_MAX
from tracker.coalitions.mail import invitation_email, reset_email
from tracker.coalitions.members import members as members_of
from tracker.vocab import ROLES

log = logging.getLogger("edtracker.staff")
router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)

Csrf = Annotated[str, Form(max_length=128)]
Short = Annotated[str, Form(max_length=320)]
Password = Annotated[str, Form(max_length=PASSWORD_MAX)]
AUDIT_PAGE = 50


def _queue(db, settings, msg, to: str, coal, purpose: str) -> int:
    """Into the outbox, in the caller's transaction: the email exists exactly when what it is about
    exists, and waits for the SMTP server if it is down."""
    return enqueue(db, msg, to, purpose=purpose, mail_from=settings.mail_from, coalition_id=coal.id).id


def _send_queued(request: Request, background: BackgroundTasks, settings, ids: list[int]) -> None:
    # After the answer, as sign-up confirmations and reset links do: a slow mail server never
    # holds the admin's page; send_now never raises, and what fails stays queued.
    background.add_task(send_now, request.app.state.engine, settings, ids)


send_queued = _send_queued   # the members page sends its invitations the same way


def _link(settings, path: str, lang: str) -> str:
    return f"{settings.public_url.rstrip('/')}{path}" + ("?lang=es" if lang == "es" else "")


def queue_invitation(db, settings, coal, by, inv, token: str, mail_lang: str, member=None) -> int:
    """The invitation email into the outbox (for a staff role, or for `member`'s own login)."""
    msg = invitation_email(mail_from=settings.mail_from, to=inv.email, coalition=coal.name,
                           inviter=by.display_name or by.email, role=inv.role,
                           url=_link(settings, f"/c/{coal.slug}/staff/invite/{token}", mail_lang),
                           max_age=settings.staff_invitation_max_age, lang=mail_lang,
                           member=member.name if member is not None else None)
    return _queue(db, settings, msg, inv.email, coal, "invitation")


def _people(request: Request, db, coal, user, status: int = 200, **ctx) -> HTMLResponse:
    ctx.setdefault("form", {"email": "", "role": "editor", "mail_lang": lang_of(request)})
    orgs = {o.id: o for o in members_of(db, coal.id)}
    return page(request, "staff/people.html", coal, user, status, members=team.members(db, coal.id),
                invitations=team.pending_invitations(db, coal.id), roles=ROLES, orgs=orgs, **ctx)


def _error(lang: str, exc, **values) -> str:
    return translator(lang)(f"admin.error.{exc.code}", problem=exc.problem, **values)


@router.get("/people", response_class=HTMLResponse)
def people(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = admin(request, db, slug)
    return _people(request, db, coal, user)


@router.post("/people/invite", response_class=HTMLResponse)
def invite(slug: str, request: Request, db: SessionDep, settings: SettingsDep, background: BackgroundTasks,
           email: Short = "",
           role: Short = "editor", mail_lang: Short = "en", csrf: Csrf = ""):
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    lang = lang_of(request)
    mail_lang = mail_lang if mail_lang in LANGS else "en"
    form = {"email": email, "role": role, "mail_lang": mail_lang}
    try:
        inv, token = team.invite(db, coal, user, email, role, max_age=settings.staff_invitation_max_age)
        queued = queue_invitation(db, settings, coal, user, inv, token, mail_lang)
    except team.TeamError as exc:
        db.rollback()
        return _people(request, db, coal, user, 422, errors={exc.field: _error(lang, exc)}, form=form)
    db.commit()
    _send_queued(request, background, settings, [queued])
    return back(f"/c/{slug}/staff/people", "invited")


@router.post("/people/{user_id}/role", response_class=HTMLResponse)
def change_role(slug: str, user_id: int, request: Request, db: SessionDep, role: Short = "", csrf: Csrf = ""):
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    try:
        team.change_role(db, coal, user, user_id, role)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except team.TeamError as exc:
        db.rollback()
        return _people(request, db, coal, user, 422, errors={f"{user_id}": _error(lang_of(request), exc)})
    db.commit()
    return back(f"/c/{slug}/staff/people", "role")


@router.post("/people/{user_id}/active", response_class=HTMLResponse)
def set_active(slug: str, user_id: int, request: Request, db: SessionDep, active: Short = "", csrf: Csrf = ""):
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    on = active == "1"
    try:
        team.set_active(db, coal, user, user_id, on)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except team.TeamError as exc:
        db.rollback()
        return _people(request, db, coal, user, 422, errors={f"{user_id}": _error(lang_of(request), exc)})
    db.commit()
    return back(f"/c/{slug}/staff/people", "reactivated" if on else "deactivated")


@router.post("/people/{user_id}/reset", response_class=HTMLResponse)
def send_reset(slug: str, user_id: int, request: Request, db: SessionDep, settings: SettingsDep,
               background: BackgroundTasks,
               mail_lang: Short = "en", csrf: Csrf = ""):
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    lang = lang_of(request)
    mail_lang = mail_lang if mail_lang in LANGS else "en"
    try:
        target, token = team.send_reset(db, coal, user, user_id, max_age=settings.password_reset_max_age,
                                        per_hour=settings.password_reset_per_hour)
        queued = _queue(db, settings, reset_email(mail_from=settings.mail_from, to=target.email, coalition=coal.name,
                                                  url=_link(settings, f"/c/{coal.slug}/staff/reset/{token}", mail_lang),
                                                  max_age=settings.password_reset_max_age, lang=mail_lang),
                        target.email, coal, "password_reset")
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except team.TeamError as exc:
        db.rollback()
        return _people(request, db, coal, user, 422, errors={f"{user_id}": _error(lang, exc)})
    db.commit()
    _send_queued(request, background, settings, [queued])
    return back(f"/c/{slug}/staff/people", "reset")


@router.post("/people/invitations/{invitation_id}/revoke")
def revoke_invitation(slug: str, invitation_id: int, request: Request, db: SessionDep, csrf: Csrf = "",
                      back_to: Short = ""):
    """Revoke a pending invitation; back to the members page when the button was there."""
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    try:
        team.revoke_invitation(db, coal, user, invitation_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    db.commit()
    return back(f"/c/{slug}/staff/{'members' if back_to == 'members' else 'people'}", "revoked")


# --- accepting an invitation (no login: the link is the credential) --------------------------

def _no_referrer(resp):
    resp.headers["Referrer-Policy"] = "no-referrer"   # the token is in the address
    return resp


def _accept_page(request: Request, db, coal, inv, token: str, status: int = 200, **ctx) -> HTMLResponse:
    return _no_referrer(render(request, "staff/accept.html", {
        "coalition": coal, "invitation": inv, "member": team.invited_member(db, inv), "token": token,
        "csrf": csrf_token(request), "errors": {}, "name": "", **ctx}, status_code=status))


@router.get("/invite/{token}", response_class=HTMLResponse)
def accept_form(slug: str, token: str, request: Request, db: SessionDep) -> HTMLResponse:
    """The join form (opening the link changes nothing: mail scanners open links)."""
    coal = coalition_or_404(db, slug)
    inv = team.invitation(db, coal.id, token)
    return _accept_page(request, db, coal, inv, token, 200 if inv else 400)


@router.post("/invite/{token}", response_class=HTMLResponse)
def accept(slug: str, token: str, request: Request, db: SessionDep, settings: SettingsDep,
           display_name: Short = "", new_password: Password = "", new_password_again: Password = "",
           csrf: Csrf = "", lang: Annotated[str, Form(max_length=8)] = ""):
    check_csrf(request, csrf)
    lang = lang_of(request, lang)
    coal = coalition_or_404(db, slug)
    inv = team.invitation(db, coal.id, token)
    if inv is None:
        return _accept_page(request, db, coal, None, token, 400)
    t = translator(lang)
    if new_password != new_password_again:
        return _accept_page(request, db, coal, inv, token, 422, name=display_name,
                            errors={"new_password_again": t("account.mismatch")})
    try:
        user = team.accept(db, coal, token, display_name, new_password)
    except team.TeamError as exc:
        db.rollback()
        key = f"account.{exc.code}" if exc.code in ("too_short", "too_long") else f"admin.error.{exc.code}"
        return _accept_page(request, db, coal, inv, token, 422, name=display_name, errors={exc.field: t(key)})
    if user is None:
        db.rollback()
        return _accept_page(request, db, coal, None, token, 400)
    sid = accounts.start_session(db, user, settings.session_max_age,
                                 request.client.host if request.client else None)
    db.commit()
    request.session.clear()
    request.session["sid"] = sid
    home = "stances" if user.member_id is not None else ""   # a member organization's login has its own page
    return RedirectResponse(f"/c/{slug}/staff/{home}" + ("?lang=es" if lang == "es" else ""), status_code=303)


# --- the audit log ----------------------------------------------------------------------------

GROUPS = ("staff", "webhook", "data")


@router.get("/audit", response_class=HTMLResponse)
def audit_log(slug: str, request: Request, db: SessionDep, group: Annotated[str, Query(max_length=20)] = "",
              page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1) -> HTMLResponse:
    coal, user = admin(request, db, slug)
    group = group if group in GROUPS else ""
    n = max(1, min(page_no, 10_000))
    found = audit.entries(db, coal, action=f"{group}." if group else None, limit=AUDIT_PAGE,
                          offset=(n - 1) * AUDIT_PAGE)
    pages = max(1, -(-found.total // AUDIT_PAGE))
    return page(request, "staff/audit.html", coal, user, entries=found.entries, total=found.total,
                groups=GROUPS, group=group, page_no=n, pages=pages)
