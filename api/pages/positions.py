"""The positions page of a coalition's workspace: every position (public and private), setting
and changing them, each one's full history, CSV of both. Staff only; editors change."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from api.deps import SessionDep
from api.pages.common import check_csrf
from api.pages.workspace import csv_response, field_errors, need, page, parse_priority
from tracker.coalitions.positions import (PositionError, history_csv, position_history, positions,
                                          positions_csv, set_position)
from tracker.models import Bill, Position
from tracker.scoring.dirty import process_quietly

router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)
Text = Annotated[str, Form(max_length=8000)]
Short = Annotated[str, Form(max_length=200)]


@router.get("/positions", response_class=HTMLResponse)
def positions_page(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = need(request, db, slug)
    return page(request, "ws_positions.html", coal, user, rows=positions(db, coal),
                recent=position_history(db, coal)[:20])


@router.get("/positions.csv")
def positions_export(slug: str, request: Request, db: SessionDep) -> Response:
    coal, _ = need(request, db, slug)
    return csv_response(positions_csv(positions(db, coal)), f"{coal.slug}-positions.csv")


@router.get("/positions/history.csv")
def history_export(slug: str, request: Request, db: SessionDep, bill: str | None = None) -> Response:
    """Every change of every position (or of one bill's, with `?bill=`), newest first."""
    coal, _ = need(request, db, slug)
    name = f"{coal.slug}-position-history" + (f"-{bill}" if bill else "") + ".csv"
    return csv_response(history_csv(position_history(db, coal, (bill or None) and bill[:200])), name)


def _position(db, coal, key: str):
    return db.execute(select(Position).where(Position.coalition_id == coal.id,
                                             Position.bill_key == key)).scalar_one_or_none()


def _bill_title(db, key: str) -> str | None:
    return db.execute(select(Bill.title).where(Bill.key == key)).scalar_one_or_none()


@router.get("/positions/{key}", response_class=HTMLResponse)
def position_page(slug: str, key: str, request: Request, db: SessionDep) -> HTMLResponse:
    """One bill's position: the form to change it and every change, who and when, from what to what."""
    coal, user = need(request, db, slug)
    pos, title = _position(db, coal, key), _bill_title(db, key)
    history = position_history(db, coal, key)
    status = 200 if (pos or title or history) else 404
    return page(request, "ws_position.html", coal, user, status, key=key, title=title, position=pos,
                history=history, saved=request.query_params.get("saved") == "1")


def save(request: Request, db, coal, user, key: str, stance: str, rationale: str, priority: str,
         public: str | None, back: str | None = None):
    """Set a position from a form: the bill must exist; on bad input the one-bill page again with
    the message next to the field (422); else back to `back` or that page."""
    values = {"bill_key": key, "stance": stance, "rationale": rationale, "priority": priority,
              "public": public is not None}
    try:
        if not key.strip() or _bill_title(db, key.strip()) is None:
            raise PositionError("bill_key", f"no bill {key!r}")
        key = key.strip()
        set_position(db, coal, key, stance, public is not None, rationale, parse_priority(priority), user.email)
    except PositionError as exc:
        db.rollback()
        target = key.strip() if exc.field != "bill_key" else ""
        template = "ws_position.html" if target else "ws_positions.html"
        ctx = ({"key": target, "title": _bill_title(db, target), "position": _position(db, coal, target),
                "history": position_history(db, coal, target), "saved": False} if target else
               {"rows": positions(db, coal), "recent": position_history(db, coal)[:20]})
        return page(request, template, coal, user, 422, errors=field_errors(exc), form=values, **ctx)
    db.commit()
    process_quietly(db.get_bind())  # the scores that follow the stance, right away
    return RedirectResponse(back or f"/c/{coal.slug}/staff/positions/{key}?saved=1", status_code=303)


@router.post("/positions", response_class=HTMLResponse)
def save_position(slug: str, request: Request, db: SessionDep, bill_key: Short = "", stance: Short = "",
                  rationale: Text = "", priority: Short = "0", public: Annotated[str | None, Form()] = None,
                  csrf: Short = ""):
    check_csrf(request, csrf)
    coal, user = need(request, db, slug, "editor")
    return save(request, db, coal, user, bill_key, stance, rationale, priority, public)
