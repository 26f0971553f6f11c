from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(db: SessionDep) -> dict[str, str]:
    """Liveness and database reachability."""
    db.exec(text("SELECT 1"))
    return {"status": "ok"}
