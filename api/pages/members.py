"""Member organizations in the workspace: staff create them (and admins invite their people by
email), a member organization's login sets its own stances, and staff see the matrix of
everyone's stances."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep
from api.i18n import LANGS
from api.pages.common import check_csrf, coalition_or_404, csrf_token, render, session_account
from api.pages.i18n import lang_of
from api.pages.staff_people import queue_invitation, send_queued
from api.pages.workspace import csv_response, field_errors, need, page
from tracker.coalitions import team
from tracker.coalitions.members import create_member, matrix, matrix_csv, member_of, member_view, members
from tracker.coalitions.positions import PositionError, set_member_stance
from tracker.models import Bill, MemberOrganization, StaffUser
from tracker.vocab import MEMBER_ROLE

router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)
Short = Annotated[str, Form(max_length=500)]
Text = Annotated[str, Form(max_length=8000)]
DONE = ("invited", "revoked")
WS_ERRORS = {"email": "ws.err.email", "already_staff": "ws.err.email_taken"}


def _members_page(request, db, coal, user, status=200, **ctx):
    logins: dict[int, list[str]] = {}
    for u in db.execute(select(StaffUser).where(StaffUser.coalition_id == coal.id, StaffUser.role == MEMBER_ROLE)
                        .order_by(StaffUser.email)).scalars():
        logins.setdefault(u.member_id, []).append((u.email, u.active))
    invitations: dict[int, list] = {}
    for inv in team.pending_invitations(db, coal.id):
        if inv.member_id is not None:
            invitations.setdefault(inv.member_id, []).append(inv)
    done = request.query_params.get("done")
    ctx.setdefault("form", {"mail_lang": lang_of(request)})
    return page(request, "ws_members.html", coal, user, status, orgs=members(db, coal.id), logins=logins,
                invitations=invitations, done=done if done in DONE else None, **ctx)


@router.get("/members", response_class=HTMLResponse)
def members_page(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = need(request, db, slug)
    return _members_page(request, db, coal, user, added=request.query_params.get("added"))


@router.post("/members", response_class=HTMLResponse)
def add_member(slug: str, request: Request, db: SessionDep, name: Short = "", member_slug: Short = "",
               website: Short = "", csrf: Short = ""):
    check_csrf(request, csrf)
    coal, user = need(request, db, slug, "editor")
    try:
        org = create_member(db, coal.id, name=name, slug=member_slug, website=website)
    except PositionError as exc:
        db.rollback()
        errors = field_errors(exc)
        errors = {("member_slug" if k == "slug" else k): v for k, v in errors.items()}
        return _members_page(request, db, coal, user, 422, errors=errors,
                             form={"name": name, "member_slug": member_slug, "website": website})
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/members?added={org.slug}", status_code=303)


@router.post("/members/{member_id}/invite", response_class=HTMLResponse)
def invite_person(slug: str, member_id: int, request: Request, db: SessionDep, settings: SettingsDep,
                  background: BackgroundTasks, email: Short = "", mail_lang: Short = "en", csrf: Short = ""):
    """An admin invites someone by email to be a member organization's login (its own stances only)."""
    check_csrf(request, csrf)
    coal, user = need(request, db, slug, "admin")
    org = db.get(MemberOrganization, member_id)
    if org is None or org.coalition_id != coal.id:
        raise HTTPException(404, f"no member organization {member_id} in this coalition")
    mail_lang = mail_lang if mail_lang in LANGS else "en"
    try:
        inv, token = team.invite(db, coal, user, email, MEMBER_ROLE, member=org,
                                 max_age=settings.staff_invitation_max_age)
        queued = queue_invitation(db, settings, coal, user, inv, token, mail_lang, member=org)
    except team.TeamError as exc:
        db.rollback()
        return _members_page(request, db, coal, user, 422, errors={"email": WS_ERRORS.get(exc.code, "ws.err.email")},
                             error_org=org.id, form={"email": email, "mail_lang": mail_lang})
    db.commit()
    send_queued(request, background, settings, [queued])
    return RedirectResponse(f"/c/{slug}/staff/members?done=invited", status_code=303)


# --- a member organization's own page -----------------------------------------------------------

def _member(request: Request, db, slug: str):
    coal = coalition_or_404(db, slug)
    user = session_account(request, db, coal)
    if user is None:
        raise HTTPException(303, headers={"Location": f"/c/{slug}/staff/login"})
    org = member_of(db, user)
    if org is None:
        # Staff have the matrix; this page is for a member organization's login.
        raise HTTPException(303, headers={"Location": f"/c/{slug}/staff/matrix"})
    return coal, user, org


def _stances_page(request, db, coal, user, org, status=200, **ctx):
    return render(request, "ws_stances.html", {
        "coalition": coal, "user": user, "org": org, "csrf": csrf_token(request), "rows": member_view(db, org),
        "errors": {}, "form": {}, "saved": request.query_params.get("saved"), **ctx}, status_code=status)


@router.get("/stances", response_class=HTMLResponse)
def stances_page(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user, org = _member(request, db, slug)
    return _stances_page(request, db, coal, user, org)


@router.post("/stances", response_class=HTMLResponse)
def save_stance(slug: str, request: Request, db: SessionDep, bill_key: Short = "", stance: Short = "",
                note: Text = "", csrf: Short = ""):
    """A member organization sets its own stance on a bill (only its own: the login says which)."""
    check_csrf(request, csrf)
    coal, user, org = _member(request, db, slug)
    key = bill_key.strip()
    try:
        if not key or db.execute(select(Bill.id).where(Bill.key == key)).first() is None:
            raise PositionError("bill_key", f"no bill {key!r}")
        set_member_stance(db, coal.id, org.id, key, stance=stance, note=note, by=user.email)
    except PositionError as exc:
        db.rollback()
        return _stances_page(request, db, coal, user, org, 422, errors=field_errors(exc),
                             form={"bill_key": bill_key, "stance": stance, "note": note})
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/stances?saved={key}", status_code=303)


# --- the matrix ---------------------------------------------------------------------------------

@router.get("/matrix", response_class=HTMLResponse)
def matrix_page(slug: str, request: Request, db: SessionDep, only: str | None = None) -> HTMLResponse:
    """The coalition's and every member's stance across bills; disagreements marked in words."""
    coal, user = need(request, db, slug)
    m = matrix(db, coal.id)
    rows = [r for r in m.rows if r.disagreements] if only == "disagreements" else m.rows
    return page(request, "ws_matrix.html", coal, user, m=m, rows=rows, only=only == "disagreements",
                n_disagree=sum(1 for r in m.rows if r.disagreements))


@router.get("/matrix.csv")
def matrix_export(slug: str, request: Request, db: SessionDep) -> Response:
    coal, _ = need(request, db, slug)
    return csv_response(matrix_csv(matrix(db, coal.id)), f"{coal.slug}-stance-matrix.csv")
