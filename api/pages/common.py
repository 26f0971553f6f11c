"""Templates, languages, the staff session and CSRF tokens shared by the pages."""
from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from api.i18n import COOKIE, LANGS, NAMES, request_lang, translator
from api.i18n import format as fmt
from api.deps import MAX_OFFSET
from api.pages.follow import follow_link
from tracker.coalitions.accounts import session_user
from tracker.bills.provenance import source_name
from tracker.models import Coalition, StaffUser
from tracker.search.query import SORTS, SearchParams
from tracker.vocab import ROLES, STAGE_LABELS, STAGES, STANCES

# Links of the site's main menu: (path, catalog key). Pages add themselves here.
NAV = [("/", "nav.home"), ("/search", "nav.search"), ("/legislators", "nav.legislators"),
       ("/hearings", "hearings.nav"), ("/find", "find.nav"), ("/coalitions", "nav.coalitions"),
       ("/alerts/signup", "nav.alerts")]


def with_lang(request: Request, lang: str) -> str:
    """This page's address in `lang` (the switch link keeps the other query parameters)."""
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    query["lang"] = lang
    return f"{request.url.path}?{urlencode(query)}"


def site_context(request: Request) -> dict:
    """What every page template gets: the language, its messages and formatters, the menu."""
    lang = request_lang(request)
    settings = getattr(request.app.state, "settings", None)
    return {
        "lang": lang, "t": translator(lang), "LANGS": LANGS, "LANG_NAMES": NAMES,
        "lang_url": lambda code: with_lang(request, code), "NAV": NAV,
        "chamber_name": lambda j, c: fmt.chamber_name(j, c, lang),
        "party_name": lambda p: fmt.party_name(p, lang),
        "jurisdiction_name": lambda j: fmt.jurisdiction_name(j, lang),
        "stage_label": lambda s: fmt.stage_label(s, lang),
        "vote_option": lambda o: fmt.vote_option(o, lang),
        "fdate": lambda d, style="medium": fmt.format_date(d, lang, style),
        "label": lambda prefix, value: fmt.label(prefix, value, lang),
        "fwhen": lambda value, jurisdiction=None: fmt.format_when(value, jurisdiction, lang),
        "futc": lambda value: fmt.format_utc(value, lang),
        "area_name": lambda slug, name: fmt.area_name(slug, name, lang),
        "source_code_url": getattr(settings, "source_url", None) or "https://github.com/edtracker/edtracker",
    }


templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"),
                            context_processors=[site_context])
templates.env.globals.update(STAGE_LABELS=STAGE_LABELS, STANCES=STANCES, STAGES=STAGES, SORTS=SORTS,
                             source_name=source_name, follow_link=follow_link)
# The usual path of a bill, for the timeline (other end states are shown on their own).
TIMELINE = ("introduced", "in_committee", "out_of_committee", "passed_origin", "passed_second",
            "to_executive", "enacted")


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200):
    """A page in the request's language. `?lang=` also sets the language cookie, so the choice
    holds on the next pages; caches are told the page varies by language."""
    response = templates.TemplateResponse(request, name, context or {}, status_code=status_code)
    chosen = request.query_params.get("lang")
    if chosen in LANGS and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    response.headers["Vary"] = "Accept-Language, Cookie"
    response.headers["Content-Language"] = request_lang(request)
    return response


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


def session_account(request: Request, db, coalition: Coalition) -> StaffUser | None:
    """The logged-in account of this coalition, staff or member organization (a login is for one
    coalition): the cookie names a server-side session, which logout, a password change or
    deactivation ends."""
    user = session_user(db, request.session.get("sid"))
    return user if user is not None and user.coalition_id == coalition.id else None


def staff_user(request: Request, db, coalition: Coalition) -> StaffUser | None:
    """The logged-in staff member (viewer, editor or admin) of this coalition, if any. A member
    organization's login is not staff: it never sees private positions or other members' notes."""
    user = session_account(request, db, coalition)
    return user if user is not None and user.role in ROLES else None


def search_params(request: Request, page_size: int = 25) -> SearchParams:
    """SearchParams from a page's query string (blank fields ignored)."""
    # Like the API's bounds, but a page forgives: odd values fall back, long ones are cut.
    qp = {k: v.strip()[:500 if k == "q" else 200] for k, v in request.query_params.items() if v and v.strip()}
    try:
        page = min(max(1, int(qp.get("page", "1")[:12])), MAX_OFFSET // page_size + 1)
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
