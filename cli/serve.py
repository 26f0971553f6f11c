from __future__ import annotations

from typing import Optional

import typer

from tracker.db import upgrade
from tracker.settings import get_settings


def serve_cmd(host: Optional[str] = typer.Option(None, help="default: EDTRACKER_API_HOST"),
              port: Optional[int] = typer.Option(None, help="default: EDTRACKER_API_PORT"),
              workers: int = typer.Option(1, min=1)) -> None:
    """Upgrade the schema, then serve the API and pages."""
    import uvicorn

    settings = get_settings()
    upgrade(settings.effective_database_url)
    host, port = host or settings.api_host, port or settings.api_port
    typer.echo(f"edtracker on http://{host}:{port}/ (pages; the JSON API under /api/, docs at /docs)")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=settings.log_level.lower())
