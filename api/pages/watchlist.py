"""The coalition's watchlist page, and bill lists and search results as CSV (keeping the page's
filters; a public file shows public positions only)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SessionDep
from api.pages.common import check_csrf, coalition_or_404, search_params, staff_user
from api.pages.workspace import csv_response, field_errors, need, page
from tracker.coalitions.positions import PositionError
from tracker.coalitions.watchlist import staff_owners, unwatch, watch, watchlist, watchlist_csv
from tracker.search.export import bills_csv
from tracker.vocab import WATCH_STATUSES

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Form(max_length=500)]
Text = Annotated[str, Form(max_length=8000)]
PREFIX = "/c/{slug}/staff"


def _page(request, db, coal, user, status=200, **ctx):
    flt = request.query_params.get("status")
    return page(request, "ws_watchlist.html", coal, user, status, rows=watchlist(db, coal.id, flt),
                owners=staff_owners(db, coal.id), statuses=WATCH_STATUSES,
                status_filter=flt if flt in WATCH_STATUSES else None, **ctx)


@router.get(PREFIX + "/watchlist", response_class=HTMLResponse)
def watchlist_page(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = need(request, db, slug)
    return _page(request, db, coal, user, saved=request.query_params.get("saved"))


@router.get(PREFIX + "/watchlist.csv")
def watchlist_export(slug: str, request: Request, db: SessionDep) -> Response:
    coal, _ = need(request, db, slug)
    return csv_response(watchlist_csv(watchlist(db, coal.id, request.query_params.get("status"))),
                        f"{coal.slug}-watchlist.csv")


def _owner(raw: str) -> int | None | str:
    raw = raw.strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else raw


@router.post(PREFIX + "/watchlist", response_class=HTMLResponse)
def save_item(slug: str, request: Request, db: SessionDep, bill_key: Short = "", status: Short = "watching",
              owner: Short = "", note: Text = "", remove: Short = "", csrf: Short = ""):
    """Add a bill or change its item (status, owner, note); `remove` takes it off the list."""
    check_csrf(request, csrf)
    coal, user = need(request, db, slug, "editor")
    key = bill_key.strip()
    if remove:
        unwatch(db, coal.id, key)
        db.commit()
        return RedirectResponse(f"/c/{slug}/staff/watchlist", status_code=303)
    owner_id = _owner(owner)
    try:
        if isinstance(owner_id, str):
            raise PositionError("owner", f"no staff member {owner_id!r}")
        watch(db, coal.id, key, status=status, note=note, owner_id=owner_id, actor=user.email)
    except PositionError as exc:
        db.rollback()
        return _page(request, db, coal, user, 422, errors=field_errors(exc), error_key=key,
                     form={"bill_key": bill_key, "status": status, "owner": owner, "note": note})
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/watchlist?saved={key}#w-{key}", status_code=303)


# --- CSV of bill lists ---------------------------------------------------------------------------

def _csv_name(prefix: str, request: Request) -> str:
    return prefix + ("-filtered" if any(k not in ("lang", "page") for k in request.query_params) else "") + ".csv"


@router.get("/search.csv")
def search_export(request: Request, db: SessionDep) -> Response:
    """The bills `/search` lists with the same filters, every page of them (up to a limit)."""
    text, _, _ = bills_csv(db, search_params(request))
    return csv_response(text, _csv_name("bills", request))


@router.get("/c/{slug}/bills.csv")
def coalition_export(slug: str, request: Request, db: SessionDep) -> Response:
    """The coalition's bill list with its filters; its public positions (staff: all of them)."""
    coal = coalition_or_404(db, slug)
    user = staff_user(request, db, coal)
    statuses = ("suggested", "confirmed") if user else ("confirmed",)
    text, _, _ = bills_csv(db, search_params(request, page_size=25), coalition_id=coal.id,
                           public_only=user is None, tag_statuses=statuses)
    return csv_response(text, _csv_name(f"{coal.slug}-bills", request))
