from __future__ import annotations

import signal

import typer
from sqlmodel import Session

from cli.common import print_json
from tracker.db import get_engine, upgrade
from tracker.ops.runs import job_status
from tracker.settings import get_settings


def scheduler_cmd() -> None:
    """Run the scheduler (leader or standby) until SIGTERM."""
    import scheduler

    upgrade(get_settings().effective_database_url)
    scheduler.serve()


def run_cmd(job_id: str = typer.Argument(..., help="a job id from `edtracker jobs`")) -> None:
    """Run one job now (skipped if it is already running somewhere)."""
    import scheduler

    upgrade(get_settings().effective_database_url)
    # SIGTERM stops a running crawl cleanly and marks the run interrupted (as under `scheduler`).
    signal.signal(signal.SIGTERM, scheduler._on_sigterm)
    try:
        outcome = scheduler.run_job(job_id)
    except KeyError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{job_id}: {outcome}")
    if outcome not in ("success", "skipped"):
        raise typer.Exit(1)


def jobs_cmd(as_json: bool = typer.Option(False, "--json")) -> None:
    """The job table with each job's schedule and latest run."""
    import scheduler

    table = scheduler.job_table()
    with Session(get_engine()) as db:
        status = {s["job_id"]: s for s in job_status(db, sorted(table), recent=1)}
    rows = [{"job_id": j.id, "kind": j.kind, "target": j.target, "trigger": j.trigger,
             "in_session": j.in_session, "state": status[j.id]["state"], "last_run": status[j.id]["last_run"],
             "consecutive_failures": status[j.id]["consecutive_failures"],
             "flagged": status[j.id]["flagged"], "stale": status[j.id]["stale"],
             "reason": status[j.id]["reason"]} for j in table.values()]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        last = r["last_run"] or {}
        note = ""
        if r["flagged"]:
            note = f"  FLAGGED: {r['consecutive_failures']} failed or stale runs in a row"
        elif r["consecutive_failures"]:
            note = f"  {r['state'].upper()} ({r['consecutive_failures']} in a row)"
        if r["reason"]:
            note += f": {r['reason'][:120]}"
        typer.echo(f"{r['job_id']:<28} {r['trigger']:<26} {last.get('outcome', 'never run'):<12} "
                   f"{last.get('started_at') or ''}{note}")
