"""JSON and CSV for a scorecard and a legislator, and the open export format."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.deps import SessionDep
from api.scorecards import load
from api.scorecards.render import CACHE_CONTROL, etag_for, http_date, not_modified
from tracker.bills.attribution import scorecard_credits, with_credit_column
from tracker.scoring import export, views

router = APIRouter(prefix="/api/scorecards", tags=["scorecards"])
Fmt = Annotated[str, Query(pattern="^(json|csv)$", description="json or csv")]
Filter = Annotated[str | None, Query(max_length=200)]


def _respond(request, card, body, media_type, filename=None):
    etag = etag_for(card, request, media_type)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Access-Control-Allow-Origin": "*"}
    if http_date(card):
        headers["Last-Modified"] = http_date(card)
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if not_modified(request, etag, card):
        return Response(status_code=304, headers=headers)
    if media_type == "application/json":
        return JSONResponse(body, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/{coalition}/{slug}")
def scorecard_table(coalition: str, slug: str, request: Request, db: SessionDep, format: Fmt = "json",
                    session: Filter = None, chamber: Filter = None, party: Filter = None,
                    district: Filter = None, grade: Filter = None, q: Filter = None,
                    sort: Annotated[str, Query(max_length=32)] = "name",
                    dir: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc"):
    """The scorecard table (filter, search and sort as on the page); `format=csv` for CSV."""
    _, card = load.published_card(db, coalition, slug)
    session = session or views.default_session(card)
    rows = views.table(db, card, session=session, chamber=chamber, party=party, district=district,
                       grade=grade, q=q, sort=sort, desc=dir == "desc")
    if format == "csv":
        ids = views.identifiers(db, [r.legislator_id for r in rows])
        return _respond(request, card, with_credit_column(export.table_csv(rows, ids, session),
                                                          scorecard_credits(db, card.id)),
                        "text/csv; charset=utf-8", f"{coalition}-{slug}.csv")
    body = {"scorecard": export._clean(views.header(db, card)), "session": session,
            "rows": [views.row_dict(r) for r in rows],
            "unmatched": len(views.cells(db, card, unmatched=True)),
            "attribution": scorecard_credits(db, card.id)}
    return _respond(request, card, body, "application/json")


@router.get("/{coalition}/{slug}/export")
def scorecard_export(coalition: str, slug: str, request: Request, db: SessionDep):
    """The whole scorecard in the open format (docs/scorecard-format.md)."""
    _, card = load.published_card(db, coalition, slug)
    return _respond(request, card, export.document(db, card), "application/json")


@router.get("/{coalition}/{slug}/legislators/{key:path}")
def scorecard_legislator(coalition: str, slug: str, key: str, request: Request, db: SessionDep,
                         format: Fmt = "json"):
    """One legislator: scores per session and every scored item with its audit trail."""
    _, card = load.published_card(db, coalition, slug)
    leg = load.legislator_by_key(db, key)
    detail = views.legislator(db, card, leg.id)
    if detail is None:
        return JSONResponse({"detail": f"{key} is not scored on {coalition}/{slug}"}, status_code=404)
    if format == "csv":
        return _respond(request, card, with_credit_column(export.legislator_csv(detail),
                                                          scorecard_credits(db, card.id)),
                        "text/csv; charset=utf-8", f"{coalition}-{slug}-{leg.id}.csv")
    return _respond(request, card, export._clean(detail) | {
        "summaries": detail["summaries"],
        "votes": [_item_cell(x) for x in detail["votes"]],
        "manual": [_item_cell(x) for x in detail["manual"]],
        "attribution": scorecard_credits(db, card.id)}, "application/json")


def _item_cell(x: dict) -> dict:
    return {"item": export._clean(x["item"]), "cell": export._clean(x["cell"])}
