"""`edtracker tag`: run the tagging rules over the stored bills."""
from __future__ import annotations

from typing import Optional

import typer

from cli.common import print_json
from tracker.db import get_engine, upgrade
from tracker.settings import get_settings
from tracker.tagging.store import retag, retag_all


def tag_cmd(coalition: Optional[str] = typer.Option(
                None, "--coalition", "-c",
                help="coalition slug; default: the default taxonomy, then every loaded coalition"),
            as_json: bool = typer.Option(False, "--json")) -> None:
    """Tag every stored bill with issue areas (suggested until staff confirm or reject)."""
    url = get_settings().effective_database_url
    upgrade(url)
    engine = get_engine(url)
    try:
        runs = [retag(engine, coalition=coalition)] if coalition else retag_all(engine)
    except LookupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if as_json:
        print_json([r.as_dict() for r in runs])
        return
    for r in runs:
        typer.echo(f"{r.coalition or 'default taxonomy'}: {r.bills} bills, {r.inserted} new tags, "
                   f"{r.updated} updated, {r.removed} removed, {r.kept_decisions} staff decisions kept "
                   f"({r.seconds}s)")
