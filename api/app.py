"""The FastAPI application factory."""
from __future__ import annotations

from fastapi import FastAPI

from api.routes import bills, health, quality
from tracker.db import get_engine
from tracker.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    app = FastAPI(title="edtracker", version="0.1.0",
                  description="Education bills, votes and legislator scorecards for advocacy coalitions.")
    app.state.settings = settings
    app.state.engine = get_engine(settings.effective_database_url)
    app.include_router(health.router)
    app.include_router(bills.router)
    app.include_router(quality.router)
    return app
