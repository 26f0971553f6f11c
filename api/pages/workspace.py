"""Shared by the coalition workspace pages (positions, members, matrix, watchlist): who may
come in, CSV answers and form errors next to their fields."""
from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import Response

from api.pages.common import coalition_or_404, csrf_token, render, session_account
from tracker.coalitions.auth import role_allows
from tracker.coalitions.positions import PositionError


def need(request: Request, db, slug: str, role: str = "viewer"):
    """(coalition, staff account) with at least `role`: to the login without an account, 403 for
    a weaker role or a member organization's login."""
    coal = coalition_or_404(db, slug)
    user = session_account(request, db, coal)
    if user is None:
        raise HTTPException(303, headers={"Location": f"/c/{slug}/staff/login"})
    if not role_allows(user.role, role):
        raise HTTPException(403, f"this needs the {role} role; you are {user.role}")
    return coal, user


def page(request: Request, template: str, coal, user, status: int = 200, **ctx):
    return render(request, template, {"coalition": coal, "user": user, "csrf": csrf_token(request),
                                      "can_edit": role_allows(user.role, "editor"),
                                      "is_admin": role_allows(user.role, "admin"),
                                      "errors": {}, "form": {}, **ctx}, status_code=status)


def field_errors(exc: PositionError) -> dict[str, str]:
    """{field: catalog key} for the template to show next to the field."""
    return {exc.field: f"ws.err.{exc.code}"}


def csv_response(text: str, filename: str) -> Response:
    # A BOM so spreadsheet programs read UTF-8 names (Peña, Muñoz) right.
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


def parse_priority(raw: str) -> int | str:
    """The form's priority as a number, or the raw text (set_position then names the field)."""
    try:
        return int(raw.strip() or "0")
    except ValueError:
        return raw
