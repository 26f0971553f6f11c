from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.common import console, print_json, today_option
from cli.errors import EXIT_FAILED, EXIT_USAGE
from scrapers.importer import iter_records, load_tables, plan
from tracker.db import get_engine, upgrade
from tracker.ingest import Ingestor
from tracker.people.matching import resolve_pending
from tracker.settings import get_settings


def import_cmd(paths: list[Path] = typer.Argument(..., help="files, folders or zip archives"),
               as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
               show_errors: int = typer.Option(20, help="how many errors to list"),
               recheck: bool = typer.Option(False, "--recheck", help=(
                   "merge every bill again even when its source record is unchanged (after a change "
                   "of EDTRACKER_SOURCE_PRECEDENCE)")),
               today: Optional[str] = typer.Option(None, help=(
                   "import as of this date (YYYY-MM-DD): a bill whose session ended before it is dead; "
                   "default today"))) -> None:
    """Import records from files in any supported format; print insert / update / noop counts.

    A file, archive or record that cannot be read or stored is reported by name and the rest
    goes on; documentation (README, .md, .txt, .pdf) and unrecognized files are skipped.

    Exit status: 0 every file and record imported; 1 some files or records failed (listed; the
    others are stored); 2 wrong arguments (a path that does not exist); 3 the database cannot be
    used (see the message); 4 unexpected error (rerun with --debug)."""
    day = today_option(today)
    url = get_settings().effective_database_url
    upgrade(url)
    try:
        import_plan = plan(paths)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    for name in import_plan.unknown:
        console.print(f"[yellow]skipped[/] {name}: no format recognizes this file")
    engine = get_engine(url)
    report = Ingestor(engine, recheck=recheck, today=day).ingest(iter_records(import_plan), keep_results=False)
    resolved = resolve_pending(engine)  # short transactions, batch by batch
    tables, table_errors = load_tables(import_plan, engine)
    summary = {**report.summary(), "unrecognized_files": len(import_plan.unknown),
               "documentation_files": len(import_plan.documentation), "resolved_later": resolved}
    errors = report.errors + table_errors
    if as_json:
        print_json({"counts": summary, "school_district_tables": tables, "errors": [e.as_dict() for e in errors]})
    else:
        typer.echo(" ".join(f"{k}={v}" for k, v in summary.items()))
        if import_plan.tables:
            typer.echo("school district tables: " + " ".join(f"{k}={v}" for k, v in tables.items()))
        for err in errors[:show_errors]:
            console.print(f"[red]error[/] {err}")
        if len(errors) > show_errors:
            console.print(f"... and {len(errors) - show_errors} more errors")
    if report.counts.get("error") or table_errors:
        raise typer.Exit(EXIT_FAILED)
