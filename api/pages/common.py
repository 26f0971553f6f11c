"""Templates, the staff session and CSRF tokens shared by the pages."""
from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from tracker.bills.provenance import source_name
from tracker.models import Coalition, StaffUser
from tracker.search.query import SORTS, SearchParams
from tracker.vocab import STAGE_LABELS, STAGES, STANCES

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.globals.update(STAGE_LABELS=STAGE_LABELS, STANCES=STANCES, STAGES=STAGES, SORTS=SORTS,
                             source_name=source_name)
# The usual path of a bill, for the timeline (other end states are shown on their own).
TIMELINE = ("introduced", "in_committee", "out_of_committee", "passed_origin", "passed_second",
            "to_executive", "enacted")


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); forms send it back in `csrf`."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(403, "the form's CSRF token is missing or wrong; reload the page and try again")


def coalition_or_404(db, slug: str) -> Coalition:
    coal = db.execute(select(Coalition).where(Coalition.slug == slug)).scalar_one_or_none()
    if coal is None:
        raise HTTPException(404, f"no coalition {slug!r}")
    return coal


def staff_user(request: Request, db, coalition: Coalition) -> StaffUser | None:
    """The logged-in staff member of this coalition, if any (a login is for one coalition)."""
    uid = request.session.get("uid")
    if not uid or request.session.get("coalition") != coalition.slug:
        return None
    user = db.get(StaffUser, uid)
    return user if user and user.active and user.coalition_id == coalition.id else None


def search_params(request: Request, page_size: int = 25) -> SearchParams:
    """SearchParams from a page's query string (blank fields ignored)."""
    qp = {k: v.strip() for k, v in request.query_params.items() if v and v.strip()}
    try:
        page = max(1, int(qp.get("page", "1")))
    except ValueError:
        page = 1
    import datetime as dt
    since = None
    if qp.get("updated_since"):
        try:
            since = dt.date.fromisoformat(qp["updated_since"])
        except ValueError:
            since = None
    sort = qp.get("sort", "relevance")
    return SearchParams(q=qp.get("q"), jurisdiction=qp.get("jurisdiction"), session=qp.get("session"),
                        stage=qp.get("stage") if qp.get("stage") in STAGES else None,
                        issue_area=qp.get("issue_area"), stance=qp.get("stance") if qp.get("stance") in STANCES else None,
                        sponsor=qp.get("sponsor"), committee=qp.get("committee"), updated_since=since,
                        sort=sort if sort in SORTS else "relevance", limit=page_size, offset=(page - 1) * page_size)
