"""`edtracker demo`: the whole service on one machine with no network.

Creates the SQLite database, starts a local mirror of the sources (scrapers/demo), runs the real
spiders against it as recorded scheduler jobs, loads a sample coalition and scorecard, tags and
scores, then starts the scheduler (a subprocess, jobs pointed at the mirror) and serves the pages
and API. Running it again reuses what exists: crawls find nothing new, nothing is duplicated.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Optional

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.common import console
from tracker.db import get_engine, upgrade
from tracker.settings import get_settings


def _configure(base_url: str) -> dict[str, str]:
    """Point every source at the mirror and replace the job table by the demo's (this process and
    every child: crawls, scheduler, API)."""
    from scrapers.demo.sample import mirror_settings
    from scrapers.demo.setup import DEMO_AS_OF, demo_jobs

    settings = get_settings()
    env = {**mirror_settings(base_url),
           "EDTRACKER_DATABASE_URL": settings.effective_database_url,
           "EDTRACKER_DATA_DIR": str(settings.data_dir.resolve()),
           "EDTRACKER_DEFAULT_JOBS": "false",
           "EDTRACKER_POLITE_CRAWLING": "false",
           # the set-up's crawls are what the person is waiting for: not behind other work
           "EDTRACKER_CRAWL_NICENESS": os.environ.get("EDTRACKER_CRAWL_NICENESS", "0"),
           # the sample is of the 119th Congress and NY's 2025-2026 session: shown as of a day
           # inside both, it does not empty itself (no member current, every pending bill dead)
           # once they end
           "EDTRACKER_AS_OF": os.environ.get("EDTRACKER_AS_OF") or DEMO_AS_OF,
           "EDTRACKER_EXTRA_JOBS": json.dumps(demo_jobs(base_url))}
    os.environ.update(env)
    get_settings.cache_clear()
    return env


def _crawl_row(job_id: str) -> dict:
    from sqlmodel import Session, select

    from tracker.models import JobRun

    with Session(get_engine()) as db:
        run = db.exec(select(JobRun).where(JobRun.job_id == job_id, JobRun.outcome != "skipped")
                      .order_by(JobRun.id.desc())).first()
    if run is None:
        return {"job": job_id, "outcome": "never run"}
    return {"job": job_id, "outcome": run.outcome, "inserted": run.inserted, "updated": run.updated,
            "unchanged": run.unchanged, "errors": run.errors, "message": run.message}


def _prepare(progress: Progress) -> list[dict]:
    """Load the coalition, crawl (each crawl job re-tags and re-scores after it, as scheduled),
    then create the scorecard; one progress line per step."""
    import scheduler
    from scrapers.demo.setup import available_crawls, load_demo_coalition, load_demo_scorecard

    engine = get_engine()
    crawls = [f"demo-{name}" for name, _ in available_crawls()]
    total = progress.add_task("demo", total=len(crawls) + 2)
    rows = []
    progress.update(total, description="loading the sample coalition")
    slug, counts = load_demo_coalition(engine)
    rows.append({"job": f"coalition {slug}", "outcome": "loaded",
                 "message": " ".join(f"{k}={v}" for k, v in counts.items() if v) or "no changes"})
    progress.advance(total)

    for job_id in crawls:
        progress.update(total, description=f"crawling the mirror: {job_id.removeprefix('demo-')}, then tag and score")
        scheduler.run_job(job_id)
        rows.append(_crawl_row(job_id))
        progress.advance(total)

    progress.update(total, description="scoring the sample scorecard")
    try:
        score = load_demo_scorecard(engine)
        rows.append({"job": f"scorecard {score['scorecard']}", "outcome": "scored", "inserted": score["items_added"],
                     "message": f"{score['cells']} cells" + (f", missing {score['missing']}" if score["missing"] else "")})
    except ImportError as exc:
        rows.append({"job": "scorecard", "outcome": "not available", "message": str(exc)})
    rows.append(_crawl_row("demo-tag"))
    progress.advance(total)
    progress.update(total, description="ready")
    return rows


def _print_summary(rows: list[dict]) -> None:
    table = Table(title="edtracker demo", show_lines=False)
    for col in ("step", "outcome", "new", "updated", "unchanged", "note"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["job"], str(r["outcome"]), str(r.get("inserted", "")), str(r.get("updated", "")),
                      str(r.get("unchanged", "")), (r.get("message") or "")[:120])
    console.print(table)


def _where_to_look(base: str) -> dict[str, list[str]]:
    """What to open first: the pages a person reads, then the JSON API for programs."""
    import yaml

    from scrapers.demo.cast import BILLS, bill_key
    from scrapers.demo.setup import COALITION_SLUG, SCORECARD_FILE

    bill = bill_key(BILLS[4])
    card = yaml.safe_load(SCORECARD_FILE.read_text(encoding="utf-8"))["slug"]
    pages = [f"{base}/  (home: what moved this week, hearings, coalitions, alerts)",
             f"{base}/bill/{bill}  (a bill that became law: timeline, actions, roll calls)",
             f"{base}/c/{COALITION_SLUG}/scorecards/{card}  (the sample coalition's legislator scorecard)",
             f"{base}/legislators  (every legislator, with filters)",
             f"{base}/search?q=school+meals  (search with filters: issue area, jurisdiction, stage, ...)",
             f"{base}/alerts/signup  (get alerts by email or feed)",
             f"{base}/coalitions  (coalitions and their scorecards)",
             f"{base}/find  (your legislators by street address, or by state and district)",
             f"{base}/hearings  (upcoming hearings, with an iCalendar feed)",
             f"{base}/status  (every crawl and what it stored)"]
    api = [f"{base}/docs  (the API, interactive; OpenAPI at {base}/openapi.json)",
           f"{base}/api/bills  (bills as JSON)", f"{base}/api/bills/{bill}",
           f"{base}/api/search?q=school+meals", f"{base}/api/activity  (what moved this week)",
           f"{base}/api/coalitions/{COALITION_SLUG}/positions  (public positions)",
           f"{base}/api/scorecards/{COALITION_SLUG}/{card}  (the scorecard as JSON; ?format=csv)",
           f"{base}/api/status/jobs", f"{base}/api/quality"]
    return {"Pages": pages, "API (JSON)": api}


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _exit_on_signal(signum, frame) -> None:  # noqa: ANN001
    raise SystemExit(0)


def demo_cmd(port: int = typer.Option(8000, help="port of the pages and API"),
             mirror_port: int = typer.Option(
                 8765, help="port of the local source mirror (0: any free port). Keep it the same between "
                 "runs: records remember the URL they came from, so a new port reads as an update"),
             serve: bool = typer.Option(True, "--serve/--no-serve",
                                        help="--no-serve: prepare the data, print the summary and stop"),
             as_json: bool = typer.Option(False, "--json", help="print the summary as JSON on stdout")) -> None:
    """Run the whole service against a local mirror of the sources, with sample data (no network)."""
    from scrapers.demo.mirror import start_mirror

    settings = get_settings()
    if serve and not _port_free(settings.api_host, port):
        typer.echo(f"error: port {port} on {settings.api_host} is in use; pick another with --port", err=True)
        raise typer.Exit(2)
    try:
        mirror = start_mirror(port=mirror_port)
    except OSError as exc:
        typer.echo(f"error: cannot serve the source mirror on port {mirror_port} ({exc}); "
                   "pick another with --mirror-port", err=True)
        raise typer.Exit(2) from None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    console.print(f"database: {settings.effective_database_url.split('@')[-1]}")
    upgrade(settings.effective_database_url)
    scheduler_proc: Optional[subprocess.Popen] = None
    try:
        env = _configure(mirror.base_url)
        console.print(f"source mirror: {mirror.base_url} (sample data, no network)")
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=False) as progress:
            rows = _prepare(progress)
        if as_json:
            sys.stdout.write(json.dumps(rows, default=str) + "\n")
            sys.stdout.flush()
        _print_summary(rows)
        if not serve:
            return
        # uvicorn re-raises the signal that stopped it once it has shut down: turn SIGTERM into an
        # exit so the scheduler and the mirror are stopped below instead of left running.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        scheduler_proc = subprocess.Popen([sys.executable, "-m", "cli", "scheduler"], env={**os.environ, **env})
        base = f"http://{settings.api_host}:{port}"
        console.print(f"\n[bold]edtracker is running at {base}[/]  (scheduler pid {scheduler_proc.pid}; Ctrl-C stops)")
        for section, lines in _where_to_look(base).items():
            console.print(f"{section}:")
            for line in lines:
                console.print(f"  {line}", highlight=False, soft_wrap=True)
        import uvicorn

        uvicorn.run("api.app:serve_app", factory=True, host=settings.api_host, port=port,
                    log_level="warning")
    finally:
        if scheduler_proc is not None and scheduler_proc.poll() is None:
            scheduler_proc.send_signal(signal.SIGTERM)
            try:
                scheduler_proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                scheduler_proc.kill()
        mirror.shutdown()
        mirror.server_close()
