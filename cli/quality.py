"""`edtracker quality`: match shares, unmatched names, bills without actions, result disagreements."""
from __future__ import annotations

import typer

from cli.common import print_json
from tracker.db import get_engine, session_scope, upgrade
from tracker.people.quality import REASONS, quality_report
from tracker.settings import get_settings


def quality_cmd(jurisdiction: str | None = typer.Argument(None, help="us, ca, ny, ...; default all"),
                session: str | None = typer.Option(None, "--session", help="session identifier"),
                names: int = typer.Option(20, help="how many unmatched names to list"),
                as_json: bool = typer.Option(False, "--json", help="print the report as JSON")) -> None:
    """Per jurisdiction and session: votes and sponsorships matched, what to fix and where."""
    url = get_settings().effective_database_url
    upgrade(url)
    with session_scope(get_engine(url)) as db:
        report = quality_report(db, jurisdiction=jurisdiction, session_identifier=session,
                                names_limit=names)
    if as_json:
        print_json(report)
        return
    if not report:
        typer.echo("nothing stored for this selection")
    seen: set[str] = set()
    for r in report:
        pct = lambda x: "-" if x is None else f"{100 * x:.1f}%"  # noqa: E731
        typer.echo(f"{r['jurisdiction']} {r['session'] or '(no session)'}: "
                   f"votes matched {r['votes_matched']}/{r['votes']} ({pct(r['votes_matched_share'])}), "
                   f"sponsorships matched {r['sponsorships_matched']}/{r['sponsorships']} "
                   f"({pct(r['sponsorships_matched_share'])}), bills {r['bills']}, "
                   f"without actions {len(r['bills_without_actions'])}, "
                   f"result disagreements {len(r['result_disagreements'])}")
        for n in r["unmatched_names"]:
            typer.echo(f"  unmatched {n['name']!r}: {n['votes']} votes, {n['sponsorships']} "
                       f"sponsorships ({', '.join(n['reasons'])})")
            seen.update(n["reasons"])
        for name in r.get("people_by_seat_name_only", [])[:names]:
            typer.echo(f"  known only by seat name (no Open States or other record): {name}")
        for key in r["bills_without_actions"][:names]:
            typer.echo(f"  no actions: {key}")
        for d in r["result_disagreements"][:names]:
            typer.echo(f"  result: {d['vote_key']} record says {d['record_result']}, "
                       f"{d['source_format']} says {d['vendor_result']} ({d['motion_text']})")
    for reason in sorted(seen & REASONS.keys()):
        typer.echo(f"{reason}: {REASONS[reason]}")
