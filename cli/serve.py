from __future__ import annotations

import importlib.util
from typing import Optional

import typer

from tracker.db import upgrade
from tracker.settings import get_settings


def fast_stack() -> dict[str, str]:
    """uvicorn's C HTTP parser (httptools) and event loop (uvloop) when installed (both are
    dependencies; uvloop does not exist on Windows), else its pure-Python ones."""
    have = lambda name: importlib.util.find_spec(name) is not None  # noqa: E731
    return {"http": "httptools" if have("httptools") else "h11", "loop": "uvloop" if have("uvloop") else "asyncio"}


def serve_cmd(host: Optional[str] = typer.Option(None, help="default: EDTRACKER_API_HOST"),
              port: Optional[int] = typer.Option(None, help="default: EDTRACKER_API_PORT"),
              workers: int = typer.Option(1, min=1, help="worker processes (stateless; see docs/deploy.md)")) -> None:
    """Upgrade the schema, then serve the API and pages."""
    import uvicorn

    settings = get_settings()
    upgrade(settings.effective_database_url)
    host, port = host or settings.api_host, port or settings.api_port
    stack = fast_stack()
    typer.echo(f"edtracker on http://{host}:{port}/ (pages; the JSON API under /api/, docs at /docs); "
               f"{workers} worker(s), {stack['http']} on {stack['loop']}")
    uvicorn.run("api.app:serve_app", factory=True, host=host, port=port, workers=workers,
                log_level=settings.log_level.lower(), access_log=False, **stack)
