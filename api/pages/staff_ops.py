"""Operations pages of a coalition's workspace (admins): unmatched voters with one-click
aliasing, crawl runs and flagged sources; alert deliveries are in api/routes/alerts_admin."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.i18n import translator
from api.pages.common import check_csrf
from api.pages.i18n import lang_of
from api.pages.staff_admin import admin, back, page
from tracker.coalitions import audit
from tracker.ops.public import public_job_status
from tracker.people.aliases import AliasError, add_alias
from tracker.people.unmatched import unmatched_voters
from tracker.search.options import session_options

router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=128)]
Field = Annotated[str, Form(max_length=300)]
SHOWN = 50


@router.get("/operations", response_class=HTMLResponse)
def operations(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = admin(request, db, slug)
    return page(request, "staff/operations.html", coal, user)


def _quality(request: Request, db, coal, user, jurisdiction: str | None, status: int = 200, **ctx):
    return page(request, "staff/quality.html", coal, user, status, jurisdiction=jurisdiction,
                jurisdictions=list(session_options(db)),
                rows=unmatched_voters(db, jurisdiction=jurisdiction, limit=SHOWN), **ctx)


@router.get("/quality", response_class=HTMLResponse)
def quality(slug: str, request: Request, db: SessionDep,
            jurisdiction: Annotated[str, Query(max_length=20)] = "") -> HTMLResponse:
    coal, user = admin(request, db, slug)
    return _quality(request, db, coal, user, jurisdiction.strip().lower() or None)


@router.post("/quality/alias", response_class=HTMLResponse)
def same_person(slug: str, request: Request, db: SessionDep, jurisdiction: Field = "", chamber: Field = "",
                raw_name: Field = "", legislator_key: Field = "", row: Field = "", csrf: Csrf = ""):
    """Tie a printed name to a legislator (an alias) and match the stored votes again."""
    check_csrf(request, csrf)
    coal, user = admin(request, db, slug)
    t = translator(lang_of(request))
    if not legislator_key:
        return _quality(request, db, coal, user, None, 422, errors={row: t("admin.error.candidate")})
    try:
        alias, matched = add_alias(db, jurisdiction, raw_name, legislator_key, chamber=chamber or None,
                                   note=f"staff page of {coal.slug}: {user.email}")
    except AliasError as exc:
        db.rollback()
        return _quality(request, db, coal, user, None, 422, errors={row: t("admin.error.alias", problem=str(exc))})
    audit.record(db, coal, user, "data.alias_added", f"{jurisdiction}: {raw_name}",
                 {"legislator": legislator_key, "chamber": chamber or None, "matched": matched})
    db.commit()
    return back(f"/c/{slug}/staff/quality", "aliased", n=matched)


@router.get("/crawls", response_class=HTMLResponse)
def crawls(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = admin(request, db, slug)
    jobs = public_job_status(db, request.app.state.settings)
    jobs.sort(key=lambda j: (not j["flagged"], j["job_id"]))
    return page(request, "staff/crawls.html", coal, user, jobs=jobs, flagged=[j for j in jobs if j["flagged"]])
