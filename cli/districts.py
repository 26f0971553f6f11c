"""`edtracker districts`: school districts and who represents them."""
from __future__ import annotations

import typer
from sqlmodel import Session

from cli.common import print_json
from cli.errors import EXIT_FAILED, EXIT_USAGE
from tracker.db import get_engine
from tracker.people.directory import FilterError
from tracker.schools.service import UnknownDistrict, detail, search

app = typer.Typer(help="School districts (NCES LEAID) and their representatives.", no_args_is_help=True)
_LEVEL = {"us_senate": "U.S. Senate", "us_house": "U.S. House", "state_upper": "State senate",
          "state_lower": "State house"}


@app.command("show")
def show_cmd(leaid: str = typer.Argument(..., help="NCES LEAID, 7 digits (e.g. 2102990)"),
             as_json: bool = typer.Option(False, "--json", help="print the district as JSON")) -> None:
    """A school district, the legislators whose districts hold part of it (with the part's share
    of its land area) and education bills naming it. Exit 1 when no such district is stored."""
    try:
        with Session(get_engine()) as db:
            d = detail(db, leaid)
    except FilterError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except UnknownDistrict:
        typer.echo(f"error: no school district with LEAID {leaid} is stored; import the OCD list or an NCES "
                   "relationship file (`edtracker import`)", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if as_json:
        print_json(d.model_dump(mode="json"))
        return
    s = d.district
    typer.echo(f"{s.name} ({s.state.upper()}, LEAID {s.leaid}){'  ' + s.ocd_id if s.ocd_id else ''}")
    if d.boundaries:
        typer.echo(f"boundaries: {', '.join(d.boundaries)}")
    for r in d.representation:
        where = f"{r.state.upper()}-{r.district}" if r.district else r.state.upper()
        share = f"{r.share * 100:5.1f}%" if r.share is not None else "   — "
        names = ", ".join(f"{m.name} ({m.party or '?'})" for m in r.members) or (
            "no current member stored" if r.tracked else "chamber not tracked")
        typer.echo(f"  {_LEVEL[r.level]:<13} {where:<8} {share}  {names}")
    for o in d.other_states:
        typer.echo(f"  also in {o.state.upper()}: {o.name} (LEAID {o.leaid})")
    for b in d.bills:
        typer.echo(f"  bill {b.key}: {b.title[:80]}")
