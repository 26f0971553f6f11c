"""Pages anyone may read about the data: the crawl status (`/status`) and data quality
(`/quality`). Both show only what the JSON API publishes (no hosts, no secrets, no coalition data)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.pages.common import render
from tracker.ops import budget
from tracker.ops.public import public_job_status
from tracker.people.quality import quality_report
from tracker.search.options import session_options

router = APIRouter(include_in_schema=False)
NAMES_SHOWN = 25


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, db: SessionDep):
    settings = request.app.state.settings
    jobs = public_job_status(db, settings)
    return render(request, "status.html", {"jobs": jobs, "flagged": [j for j in jobs if j["flagged"]],
                                           "budgets": budget.usage(db.get_bind(), settings)})


@router.get("/quality", response_class=HTMLResponse)
def quality_page(request: Request, db: SessionDep):
    """Data quality (API clients asking /quality get the JSON of /api/quality)."""
    jurisdiction = (request.query_params.get("jurisdiction") or "").strip()[:20] or None
    session = (request.query_params.get("session") or "").strip()[:40] or None
    if session and ":" in session:      # the select names one jurisdiction's session: "ky:2025"
        jurisdiction, session = session.split(":", 1)
    report = quality_report(db, jurisdiction=jurisdiction, session_identifier=session, names_limit=NAMES_SHOWN)
    report.sort(key=lambda e: (e["jurisdiction"] != "us", e["jurisdiction"]))   # Congress first
    sessions = session_options(db)
    return render(request, "quality.html", {
        "report": report, "jurisdiction": jurisdiction, "session": session,
        "selected": f"{jurisdiction}:{session}" if jurisdiction and session else None,
        "jurisdictions": list(sessions), "sessions": sessions, "names_shown": NAMES_SHOWN})
