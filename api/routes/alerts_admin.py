"""Staff view of alert deliveries: status API (API key) and page (staff login), per coalition."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.coalition_deps import CallerDep, require
from api.deps import SessionDep
from api.pages.staff_admin import admin, page
from tracker.alerts.jobs import status

router = APIRouter(tags=["alerts"])


@router.get("/api/coalitions/{slug}/alerts/status", summary="Alert deliveries of a coalition")
def alerts_status(caller: CallerDep, request: Request) -> dict:
    """Deliveries of the alerts made through this coalition: counts, failures, bounces (viewer role)."""
    require(caller, "viewer")
    return status(request.app.state.engine, coalition_id=caller.coalition.id)


@router.get("/c/{slug}/staff/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    """Deliveries, failures, bounces and disabled webhooks of this coalition (admins)."""
    coal, user = admin(request, db, slug)
    data = status(request.app.state.engine, coalition_id=coal.id, failures=50)
    return page(request, "alerts/staff.html", coal, user, data=data)
