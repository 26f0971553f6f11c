from __future__ import annotations

from typing import Optional

import typer
from sqlmodel import Session

from cli.common import print_json
from tracker.db import get_engine
from tracker.bills.queries import bill_detail, list_bills
from tracker.tagging.views import ALL as ALL_TAGS
from tracker.vocab import STAGE_LABELS

app = typer.Typer(help="Look at stored bills.", no_args_is_help=True)


@app.command("list")
def list_cmd(jurisdiction: Optional[str] = typer.Option(None, "--jurisdiction", "-j"),
             session: Optional[str] = typer.Option(None, "--session", "-s"),
             stage: Optional[str] = typer.Option(None, help=", ".join(STAGE_LABELS)),
             limit: int = typer.Option(50, min=1), offset: int = typer.Option(0, min=0),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """List bills, most recently active first."""
    if stage and stage not in STAGE_LABELS:
        raise typer.BadParameter(f"unknown stage {stage!r}; expected one of {', '.join(STAGE_LABELS)}")
    with Session(get_engine()) as db:
        total, items = list_bills(db, jurisdiction=jurisdiction, session=session, stage=stage,
                                  limit=limit, offset=offset, tag_coalition=ALL_TAGS)
    if as_json:
        print_json({"total": total, "items": [i.model_dump(mode="json") for i in items]})
        return
    for b in items:
        typer.echo(f"{b.key:<24} {STAGE_LABELS[b.stage]:<22} {b.latest_action_date or '':<10}  {b.title[:70]}")
    typer.echo(f"{len(items)} of {total} bills")


@app.command("show")
def show_cmd(key: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one bill with its actions, sponsors and votes."""
    with Session(get_engine()) as db:
        detail = bill_detail(db, key, tag_coalition=ALL_TAGS)
    if detail is None:
        typer.echo(f"no bill {key!r}", err=True)
        raise typer.Exit(1)
    if as_json:
        print_json(detail.model_dump(mode="json"))
        return
    typer.echo(f"{detail.identifier} ({detail.key}) - {STAGE_LABELS[detail.stage]}")
    typer.echo(detail.title)
    for s in detail.sponsors:
        typer.echo(f"  {'sponsor' if s.primary else 'cosponsor'}: {s.name}"
                   + (f" (withdrawn {s.withdrawn_date})" if s.withdrawn_date else ""))
    for a in detail.actions:
        typer.echo(f"  {a.date} [{a.actor}] {a.description}  {','.join(a.classification)}")
    for v in detail.votes:
        counts = ", ".join(f"{k} {n}" for k, n in v.counts.items())
        typer.echo(f"  vote {v.date} {v.motion_text}: {v.result} ({counts})")


def _runs_text(runs) -> str:
    """Runs as terminal text: deletions `[-old-]`, insertions `{+new+}` (no colour needed)."""
    return "".join(r.text if r.kind == "same" else (f"[-{r.text}-]" if r.kind == "del" else f"{{+{r.text}+}}")
                   for r in runs)


def _where(s) -> str:
    return " / ".join([*s.path, *(x for x in (s.num, s.heading) if x)]) or "(untitled)"


def _text_view(as_json: bool, load, *args):
    """The view `load(db, *args)` builds, or None once printed as JSON (`--json`); a bill or
    version that is not stored ends the command with its message and status 1."""
    from tracker.bills.texts import TextNotFound

    with Session(get_engine()) as db:
        try:
            view = load(db, *args)
        except TextNotFound as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1)
    if as_json:
        print_json(view.model_dump(mode="json"))
        return None
    return view


@app.command("text")
def text_cmd(key: str, version: Optional[str] = typer.Option(None, "--version", "-v",
                                                             help="version code (bills show --json lists them)"),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Print one version of a bill's text (the latest by default), section by section."""
    from tracker.bills.texts import bill_text
    view = _text_view(as_json, bill_text, key, version)
    if view is None:
        return
    v = view.version
    typer.echo(f"{key} {v.code}: {v.name or ''} {v.date or ''}".rstrip())
    for s in view.sections:
        typer.echo(f"\n== {_where(s)}")
        typer.echo(_runs_text(s.runs))


@app.command("diff")
def diff_cmd(key: str, old: str, new: str, as_json: bool = typer.Option(False, "--json"),
             all_sections: bool = typer.Option(False, "--all", help="print unchanged sections too")) -> None:
    """Redline from version OLD to version NEW: deletions [-...-], insertions {+...+}."""
    from tracker.bills.texts import bill_diff
    view = _text_view(as_json, bill_diff, key, old, new)
    if view is None:
        return
    c = view.counts
    typer.echo(f"{key} {view.old.code} -> {view.new.code}: {c['changed']} changed, {c['added']} added, "
               f"{c['removed']} removed, {c['same']} unchanged sections")
    for s in view.sections:
        if s.status == "same" and not all_sections:
            continue
        typer.echo(f"\n== [{s.status}] {_where(s)}")
        typer.echo(_runs_text(s.runs))


def _usd(n: int | None) -> str:
    return "—" if n is None else f"${n:,}"


@app.command("money")
def money_cmd(key: str, version: Optional[str] = typer.Option(None, "--version", "-v"),
              compare: Optional[str] = typer.Option(None, "--compare", "-c",
                                                    help="an older version: show each line item's change"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Dollar amounts in a version's text, with heading path, fiscal year and availability."""
    from tracker.bills.texts import bill_money
    view = _text_view(as_json, bill_money, key, version, compare)
    if view is None:
        return
    if view.compared_with:
        typer.echo(f"{key} {view.compared_with.code} -> {view.version.code}")
        for c in view.changes:
            if c.status == "same":
                continue
            pct = f" ({c.percent:+.1f}%)" if c.percent is not None else ""
            typer.echo(f"  {c.status:<8} {_usd(c.old):>16} -> {_usd(c.new):<16}{pct}  "
                       f"{' / '.join([*c.path, c.heading or ''])} [{c.kind}]")
        return
    typer.echo(f"{key} {view.version.code}: {len(view.items)} amounts, appropriations total {_usd(view.total)}")
    for i in view.items:
        indent = "    " if i.kind == "part" else "  "
        extra = ", ".join(x for x in (f"FY{i.fiscal_year}" if i.fiscal_year else "", i.availability or "",
                                      ",".join(i.areas)) if x)
        typer.echo(f"{indent}{_usd(i.dollars):>16}  {' / '.join([*i.path, i.heading or ''])} [{i.kind}]"
                   + (f"  ({extra})" if extra else ""))
