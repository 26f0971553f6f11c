"""The text of a bill, one version at a time, and the redline between two versions."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.pages.common import render
from tracker.bills.queries import bill_detail
from tracker.bills.texts import TextNotFound, bill_diff, bill_money, bill_text

router = APIRouter(include_in_schema=False)


def _param(request: Request, name: str) -> str | None:
    value = (request.query_params.get(name) or "").strip()
    return value[:60] or None


def _bill(db, key: str):
    detail = bill_detail(db, key)
    if detail is None:
        raise HTTPException(404, f"no bill {key!r}")
    return detail


@router.get("/bill/{key}/text", response_class=HTMLResponse)
def text_page(key: str, request: Request, db: SessionDep) -> HTMLResponse:
    detail = _bill(db, key)
    try:
        view = bill_text(db, key, _param(request, "version"))
    except TextNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    codes = [v.code for v in view.versions]
    at = codes.index(view.version.code)
    return render(request, "bill_text.html", {"bill": detail, "view": view, "diff": None,
                                              "prev_code": codes[at - 1] if at > 0 else None})


@router.get("/bill/{key}/diff", response_class=HTMLResponse)
def diff_page(key: str, request: Request, db: SessionDep) -> HTMLResponse:
    detail = _bill(db, key)
    try:
        versions = bill_text(db, key).versions
        old = _param(request, "from") or (versions[-2].code if len(versions) > 1 else None)
        new = _param(request, "to") or (versions[-1].code if versions else None)
        if old is None or new is None:
            raise TextNotFound(f"bill {key} has fewer than two stored text versions")
        view = bill_diff(db, key, old, new)
    except TextNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    show_all = request.query_params.get("all") == "1"
    return render(request, "bill_text.html", {"bill": detail, "view": view, "diff": True, "show_all": show_all})


@router.get("/bill/{key}/money", response_class=HTMLResponse)
def money_page(key: str, request: Request, db: SessionDep) -> HTMLResponse:
    detail = _bill(db, key)
    try:
        view = bill_money(db, key, _param(request, "version"), _param(request, "compare"))
    except TextNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return render(request, "bill_money.html", {"bill": detail, "view": view})
