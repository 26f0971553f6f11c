"""`edtracker alerts`: dispatch immediate alerts, send digests, show delivery status."""
from __future__ import annotations

import typer

from cli.common import print_json
from tracker.db import get_engine, upgrade
from tracker.settings import get_settings

app = typer.Typer(help="Alerts: dispatch, digests, delivery status.", no_args_is_help=True)


def _ready() -> None:
    upgrade(get_settings().effective_database_url)


@app.command("dispatch")
def dispatch_cmd() -> None:
    """Plan immediate alerts from new change events and send everything due."""
    from tracker.alerts.jobs import dispatch

    _ready()
    print_json(dispatch())


@app.command("digest")
def digest_cmd(frequency: str = typer.Option("daily", help="daily or weekly"),
               force: bool = typer.Option(False, help="send now, whatever each subscriber's chosen time")) -> None:
    """Plan the digests due at each subscriber's local time and send them."""
    from tracker.alerts.jobs import digests

    if frequency not in ("daily", "weekly"):
        typer.echo(f"error: --frequency must be daily or weekly, not {frequency!r}", err=True)
        raise typer.Exit(2)
    _ready()
    print_json(digests(frequencies=(frequency,), force=force))


@app.command("status")
def status_cmd() -> None:
    """Delivery counts by channel and state, recent failures, bounced addresses, disabled webhooks."""
    from tracker.alerts.jobs import status

    _ready()
    print_json(status(get_engine(get_settings().effective_database_url)))
