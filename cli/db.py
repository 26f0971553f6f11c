from __future__ import annotations

import typer

from cli.errors import safe_url
from tracker.db import upgrade
from tracker.settings import get_settings

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd(revision: str = typer.Argument("head", help="Alembic revision")) -> None:
    """Create or migrate the database schema (SQLite by default, or EDTRACKER_DATABASE_URL)."""
    url = get_settings().effective_database_url
    upgrade(url, revision)
    typer.echo(f"database at {safe_url(url)} is at {revision}")
