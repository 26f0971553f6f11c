"""`edtracker legislators`: look at stored legislators and committee members."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import typer
from sqlmodel import Session

from cli.common import print_json
from tracker.db import get_engine
from tracker.people.queries import list_legislators

app = typer.Typer(help="Look at stored legislators.", no_args_is_help=True)


@app.command("list")
def list_cmd(jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", "-j", help="us, ca, ..."),
             chamber: Optional[str] = typer.Option(None, help="upper, lower or legislature"),
             committee: Optional[str] = typer.Option(None, help="committee key (us-SSHR) or thomas id (SSHR)"),
             on: Optional[str] = typer.Option(None, help="serving on this date (YYYY-MM-DD), default today"),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """List legislators serving now (or on a date), by chamber and committee."""
    if chamber and chamber not in ("upper", "lower", "legislature"):
        raise typer.BadParameter(f"unknown chamber {chamber!r}; expected upper, lower or legislature")
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"--on {on!r} is not a date (YYYY-MM-DD)") from None
    with Session(get_engine()) as db:
        rows = list_legislators(db, jurisdiction=jurisdiction, chamber=chamber, committee=committee,
                                current_on=day)
    if as_json:
        print_json([r.model_dump() for r in rows])
        return
    for r in rows:
        seat = r.division_id.rsplit("/", 1)[-1] if r.division_id else ""
        extra = f"  [{r.committee_role}]" if r.committee_role else ""
        typer.echo(f"{r.key:<20} {r.name:<32} {r.party or '':<12} {r.chamber or '':<6} {seat}{extra}")
    typer.echo(f"{len(rows)} legislators")
