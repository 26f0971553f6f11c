"""`edtracker scorecard`: create scorecards, add items, recompute, show and export."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer
from sqlalchemy import select
from sqlmodel import Session

from cli.common import print_json
from tracker.bills.attribution import scorecard_credits, with_credit_column
from tracker.db import get_engine
from tracker.scoring.builder import log
from tracker.scoring import engine as scoring_engine
from tracker.models import ScoredItem
from tracker.scoring import attention, dirty, export, service, views
from tracker.scoring.methodology import note_warnings

app = typer.Typer(help="Legislator scorecards: methodology, items, scores.", no_args_is_help=True)


def _card(db: Session, ref: str):
    coalition, _, slug = ref.partition("/")
    card = service.get_scorecard(db, coalition, slug) if slug else None
    if card is None:
        typer.echo(f"no scorecard {ref!r} (give it as COALITION/SLUG)", err=True)
        raise typer.Exit(1)
    return card


def _fail(err: Exception) -> None:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(2)


@app.command("create")
def create_cmd(ref: str = typer.Argument(..., help="COALITION/SLUG"),
               jurisdiction: str = typer.Option(..., "--jurisdiction", "-j"),
               title: str = typer.Option(...),
               chamber: list[str] = typer.Option([], "--chamber", help="upper, lower (repeat)"),
               session: list[str] = typer.Option([], "--session", help="session identifier (repeat)"),
               methodology: Optional[Path] = typer.Option(
                   None, help="the coalition's own note (a text file): context shown apart; the rules are "
                              "written from --settings"),
               settings: str = typer.Option("{}", help="methodology settings as JSON"),
               publish: bool = typer.Option(False)) -> None:
    """Create a scorecard for a coalition."""
    coalition, _, slug = ref.partition("/")
    with Session(get_engine()) as db:
        try:
            card = service.create_scorecard(
                db, coalition=coalition, slug=slug, jurisdiction=jurisdiction, title=title,
                chambers=chamber, sessions=session, settings=json.loads(settings), publish=publish,
                methodology=methodology.read_text() if methodology else None)
        except (LookupError, ValueError) as err:
            _fail(err)
        log(db, card, "created", "cli", title=title, jurisdiction=jurisdiction)
        db.commit()
        typer.echo(f"created scorecard {coalition}/{card.slug} (id {card.id})")
        _warn_note(card.methodology)


def _warn_note(note: str | None) -> None:
    """A note that states rules would read as one: the page shows the rules from the settings."""
    words = note_warnings(note)
    if words:
        typer.echo(f"warning: the methodology note reads like a scoring rule ({', '.join(words)}); the page "
                   f"shows it as the coalition's own note, and the rules written from the settings "
                   f"(--settings) are what the scores follow", err=True)


@app.command("add-item")
def add_item_cmd(ref: str = typer.Argument(..., help="COALITION/SLUG"),
                 kind: str = typer.Option("floor_vote", help=", ".join(service.ITEM_KINDS)),
                 vote: Optional[str] = typer.Option(None, help="vote event key"),
                 bill: Optional[str] = typer.Option(None, help="bill key"),
                 preferred: Optional[str] = typer.Option(None, help="yes or no (default: the stance)"),
                 weight: float = typer.Option(1.0), label: Optional[str] = typer.Option(None),
                 rationale: Optional[str] = typer.Option(None),
                 notice: Optional[str] = typer.Option(None, help="text of the 'will be scored' notice"),
                 notice_at: Optional[dt.datetime] = typer.Option(None, help="when the notice was published"),
                 by: Optional[str] = typer.Option(None, help="who chose the item")) -> None:
    """Add a roll call, a (co)sponsorship or a manual item to a scorecard and score it."""
    with Session(get_engine()) as db:
        card = _card(db, ref)
        try:
            item = service.add_item(db, card, kind=kind, vote_event_key=vote, bill_key=bill,
                                    preferred=preferred, weight=weight, label=label, rationale=rationale,
                                    notice_text=notice, notice_published_at=notice_at, chosen_by=by)
        except ValueError as err:
            _fail(err)
        log(db, card, "item_added", by or "cli", item.id, kind=item.kind, label=item.label,
            vote_event_key=item.vote_event_key, bill_key=item.bill_key, preferred=item.preferred, weight=item.weight)
        db.commit()
        typer.echo(f"added {item.kind} {item.slug} (preferred {item.preferred or 'from the stance'}, "
                   f"weight {item.weight:g})")


@app.command("recompute")
def recompute_cmd(ref: str = typer.Argument(..., help="COALITION/SLUG"),
                  vote: Optional[str] = typer.Option(None, help="only the items fed by this roll call"),
                  as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute a scorecard (all items, or those of one roll call)."""
    with Session(get_engine()) as db:
        card = _card(db, ref)
        ids = None
        if vote:
            ids = scoring_engine.items_for_vote(db, vote).get(card.id, [])
        stats = scoring_engine.recompute(db, card.id, ids)
        db.commit()
    out = {"items": stats.items, "cells": stats.cells, "unmatched": stats.unmatched,
           "summaries": stats.legislators, "missing": stats.missing}
    if as_json:
        print_json(out)
    else:
        typer.echo(", ".join(f"{k} {v}" for k, v in out.items()))


@app.command("show")
def show_cmd(ref: str = typer.Argument(..., help="COALITION/SLUG"),
             session: Optional[str] = typer.Option(None, help="session, or * for lifetime"),
             chamber: Optional[str] = typer.Option(None), as_json: bool = typer.Option(False, "--json")) -> None:
    """Show the scorecard table."""
    with Session(get_engine()) as db:
        card = _card(db, ref)
        rows = views.table(db, card, session=session, chamber=chamber, sort="score", desc=True)
        unmatched = views.cells(db, card, unmatched=True)
        title = card.title
        unscored = attention.needing_preferred(db, card.coalition_id, card.id)
        note = card.methodology
    if as_json:
        print_json({"rows": [views.row_dict(r) for r in rows], "unmatched": len(unmatched),
                    "needs_preferred": [{k: a[k] for k in ("slug", "bill_key", "reason", "problem")}
                                        for a in unscored]})
        return
    typer.echo(title)
    for r in rows:
        score = "N/A" if r.score is None else f"{r.score:g}"
        typer.echo(f"  {r.name:<32} {r.party or '':<12} {r.chamber or '':<6} {r.district or '':<8} "
                   f"{score:>6} {r.grade or ''}")
    typer.echo(f"{len(rows)} legislators; {len(unmatched)} unmatched votes")
    _warn_note(note)
    for a in unscored:
        typer.echo(f"warning: item {a['slug']} is not scored: {a['problem']} "
                   f"(edtracker scorecard set-preferred {ref} {a['slug']} --preferred yes|no)", err=True)


@app.command("set-preferred")
def set_preferred_cmd(ref: str = typer.Argument(..., help="COALITION/SLUG"),
                      item: str = typer.Argument(..., help="the item's slug (see `show`)"),
                      preferred: str = typer.Option(..., help="yes or no"),
                      by: Optional[str] = typer.Option(None, help="who decided")) -> None:
    """Give an item its own preferred option instead of following the coalition's stance."""
    with Session(get_engine()) as db:
        card = _card(db, ref)
        row = db.execute(select(ScoredItem).where(ScoredItem.scorecard_id == card.id,
                                                  ScoredItem.slug == item)).scalars().first()
        if row is None:
            _fail(LookupError(f"no item {item!r} on {ref}"))
        try:
            service.set_preferred(db, row, preferred, by=by)
        except ValueError as err:
            _fail(err)
        log(db, card, "item_updated", by or "cli", row.id, label=row.label, preferred=preferred)
        db.commit()
    typer.echo(f"{item}: preferred {preferred} (set by staff, published with the scorecard)")


@app.command("export")
def export_cmd(ref: str = typer.Argument(..., help="COALITION/SLUG"),
               fmt: str = typer.Option("json", "--format", help="json (the open format) or csv"),
               out: Optional[Path] = typer.Option(None, "--out", "-o")) -> None:
    """Export the whole scorecard (docs/scorecard-format.md) or its table as CSV."""
    with Session(get_engine()) as db:
        card = _card(db, ref)
        if not dirty.ensure_fresh(get_engine(), card.id):  # never export scores with queued changes
            _fail(RuntimeError("the scores are being updated by another process; try again"))
        db.expire_all()
        if fmt == "csv":
            rows = views.table(db, card)
            text = with_credit_column(export.table_csv(
                rows, views.identifiers(db, [r.legislator_id for r in rows]), views.default_session(card)),
                scorecard_credits(db, card.id))
        else:
            text = json.dumps(export.document(db, card), indent=2, ensure_ascii=False, default=str) + "\n"
    if out:
        out.write_text(text)
    else:
        typer.echo(text, nl=False)
