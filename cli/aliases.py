"""`edtracker aliases`: tie raw voter/sponsor names to legislators (data kept across re-crawls)."""
from __future__ import annotations

import datetime as dt

import typer

from cli.common import console, print_json
from tracker.people.aliases import AliasError, add_alias, list_aliases
from tracker.db import get_engine, session_scope, upgrade
from tracker.settings import get_settings

app = typer.Typer(help="Aliases: raw names that stand for a legislator.", no_args_is_help=True)


@app.command("add")
def add_cmd(jurisdiction: str = typer.Argument(..., help="us, ca, ny, ..."),
            raw_name: str = typer.Argument(..., help='the name as printed, e.g. "Mr. Speaker"'),
            legislator_key: str = typer.Argument(..., help="e.g. ocd-person:ocd-person/<uuid>"),
            chamber: str | None = typer.Option(None, help="upper, lower or legislature; default any"),
            start: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="valid from"),
            end: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="valid until"),
            note: str | None = typer.Option(None, help="why (shown in listings)")) -> None:
    """Add an alias and re-match stored votes and sponsorships still unmatched."""
    url = get_settings().effective_database_url
    upgrade(url)
    try:
        with session_scope(get_engine(url)) as session:
            _, matched = add_alias(session, jurisdiction, raw_name, legislator_key, chamber=chamber,
                                   start_date=start.date() if start else None,
                                   end_date=end.date() if end else None, note=note)
    except AliasError as exc:
        console.print(f"[red]error[/] {exc}")
        raise typer.Exit(2) from None
    typer.echo(f"alias {raw_name!r} -> {legislator_key} ({jurisdiction}); rows matched now: {matched}")


@app.command("list")
def list_cmd(jurisdiction: str | None = typer.Argument(None),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """List aliases."""
    url = get_settings().effective_database_url
    upgrade(url)
    with session_scope(get_engine(url)) as session:
        rows = list_aliases(session, jurisdiction)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['jurisdiction']}\t{r['chamber'] or '*'}\t{r['raw_name']}\t{r['legislator_key']}\t{r['legislator']}")
