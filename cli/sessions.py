"""`edtracker sessions`: the session calendars, and the sweep that marks bills dead at adjournment."""
from __future__ import annotations

from typing import Optional

import typer
from sqlmodel import Session, select

from cli.common import print_json, today_option
from tracker.db import get_engine, upgrade
from tracker.models import LegislativeSession
from tracker.settings import get_settings

app = typer.Typer(help="Legislative sessions: calendars, sine die, bills dead at adjournment.",
                  no_args_is_help=True)


@app.command("list")
def list_cmd(jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", "-j"),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Stored sessions with their dates, where the dates come from and whether they adjourned."""
    with Session(get_engine()) as db:
        query = select(LegislativeSession).order_by(LegislativeSession.jurisdiction_id,
                                                    LegislativeSession.identifier)
        if jurisdiction:
            query = query.where(LegislativeSession.jurisdiction_id == jurisdiction)
        rows = [s.model_dump(mode="json", exclude={"id", "reported"}) for s in db.exec(query).all()]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        end = r["sine_die_date"] or r["end_date"] or "?"
        state = "adjourned" if r["adjourned"] else ""
        typer.echo(f"{r['jurisdiction_id']:<3} {r['identifier']:<10} {r['start_date'] or '?':<10} -> {end:<10} "
                   f"{r['dates_source']:<10} {'carry-over' if r['carry_over'] else '':<10} {state}")
    typer.echo(f"{len(rows)} sessions")


@app.command("sweep")
def sweep_cmd(today: Optional[str] = typer.Option(None, help="pretend today is this date (YYYY-MM-DD)"),
              jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", "-j"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Mark dead the bills still pending when their session ended (the scheduler runs it daily)."""
    from tracker.bills.adjournment import sweep

    upgrade(get_settings().effective_database_url)
    report = sweep(get_engine(), today=today_option(today), jurisdiction=jurisdiction)
    if as_json:
        print_json(report.as_dict())
        return
    for b in report.bills:
        typer.echo(f"{b['key']:<28} {b['old_stage']:<18} -> dead {b['date'] or '(date not published)'}"
                   f"{' (house-of-origin deadline)' if b['reason'] == 'origin-deadline' else ''}")
    typer.echo(f"{report.died} bill(s) died at adjournment; {report.sessions} session(s) checked, "
               f"{report.refreshed} updated from the calendars")
