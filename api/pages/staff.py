"""Staff pages of a coalition: tag review queue, positions, settings (CSRF-protected; login and
passwords are in staff_auth, the scorecard builder in staff_builder)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from api.deps import SessionDep
from api.pages import positions as positions_page
from api.pages.common import check_csrf, coalition_or_404, csrf_token, render, session_account, templates
from tracker.coalitions.auth import role_allows
from tracker.coalitions.schema import CoalitionSettings
from tracker.models import Bill, BillTag, IssueArea, Scorecard, ScoredItem
from tracker.scoring.dirty import process_quietly
from tracker.scoring.builder import log
from tracker.scoring.service import set_preferred
from tracker.tagging.store import set_tag_status

router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)


def _need(request: Request, db, slug: str, role: str = "viewer"):
    coal = coalition_or_404(db, slug)
    user = session_account(request, db, coal)   # a member organization's login gets a 403 here
    if user is None:
        raise HTTPException(303, headers={"Location": f"/c/{slug}/staff/login"})
    if not role_allows(user.role, role):
        raise HTTPException(403, f"this needs the {role} role; you are {user.role}")
    return coal, user


@router.get("/", response_class=HTMLResponse)
def queue(slug: str, request: Request, db: SessionDep, status: str = "suggested") -> HTMLResponse:
    """Suggested tags, best score first, each with the rule explanation and one-click decisions."""
    coal, user = _need(request, db, slug)
    rows = db.execute(select(BillTag, Bill.key, Bill.title, IssueArea.name)
                      .join(Bill, BillTag.bill_id == Bill.id).join(IssueArea, BillTag.issue_area_id == IssueArea.id)
                      .where(BillTag.coalition_id == coal.id, BillTag.status == status)
                      .order_by(BillTag.score.desc(), Bill.key).limit(200)).all()
    return render(request, "staff_queue.html", {
        "coalition": coal, "user": user, "rows": rows, "status": status, "csrf": csrf_token(request),
        "can_edit": role_allows(user.role, "editor"), "welcome": request.query_params.get("welcome") == "1"})


@router.post("/tags/{tag_id}")
def decide(slug: str, tag_id: int, request: Request, db: SessionDep, decision: Annotated[str, Form()],
           csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    tag = db.get(BillTag, tag_id)
    if tag is None or tag.coalition_id != coal.id:
        raise HTTPException(404, f"no tag {tag_id} in this coalition")
    if decision not in ("confirmed", "rejected", "suggested"):
        raise HTTPException(422, "decision must be confirmed, rejected or suggested")
    set_tag_status(db, tag, decision, user.email)
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/", status_code=303)


@router.post("/bills/{key}/position")
def save_position(slug: str, key: str, request: Request, db: SessionDep, stance: Annotated[str, Form()] = "",
                  rationale: Annotated[str, Form(max_length=8000)] = "", priority: Annotated[str, Form()] = "0",
                  public: Annotated[str | None, Form()] = None, csrf: Annotated[str, Form()] = ""):
    """The bill page's position form: back to the bill page, or the position page with the
    problem next to the field (tracker.coalitions.positions.set_position does the work)."""
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    if db.execute(select(Bill.id).where(Bill.key == key)).first() is None:
        raise HTTPException(404, f"no bill {key!r}")
    return positions_page.save(request, db, coal, user, key, stance, rationale, priority, public,
                               back=f"/c/{slug}/bills/{key}")


@router.post("/scorecards/items/{item_id}/preferred")
def item_preferred(slug: str, item_id: int, request: Request, db: SessionDep,
                   preferred: Annotated[str, Form()], csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    item = db.get(ScoredItem, item_id)
    card = db.get(Scorecard, item.scorecard_id) if item else None
    if card is None or card.coalition_id != coal.id:
        raise HTTPException(404, f"no scored item {item_id} in this coalition")
    try:
        set_preferred(db, item, preferred, by=user.email)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    log(db, card, "item_updated", user.email, item.id, label=item.label, preferred=preferred)
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/scorecards", status_code=303)


@router.get("/settings", response_class=HTMLResponse)
def settings_form(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = _need(request, db, slug, "admin")
    return templates.TemplateResponse(request, "staff_settings.html", {
        "coalition": coal, "user": user, "csrf": csrf_token(request), "error": None,
        "origins": "\n".join((coal.settings or {}).get("embed_origins", []))})


@router.post("/settings", response_class=HTMLResponse)
def save_settings(slug: str, request: Request, db: SessionDep, name: Annotated[str, Form()],
                  description: Annotated[str, Form()] = "", embed_origins: Annotated[str, Form()] = "",
                  csrf: Annotated[str, Form()] = ""):
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "admin")
    origins = [o.strip() for o in embed_origins.splitlines() if o.strip()]
    try:
        CoalitionSettings(embed_origins=origins)
    except ValueError as exc:
        return templates.TemplateResponse(request, "staff_settings.html", {
            "coalition": coal, "user": user, "csrf": csrf_token(request), "error": str(exc),
            "origins": embed_origins}, status_code=422)
    coal.name, coal.description = name.strip() or coal.name, description.strip() or None
    coal.settings = {**(coal.settings or {}), "embed_origins": origins}
    db.add(coal)
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/settings", status_code=303)
