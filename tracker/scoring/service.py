"""Editing scorecards: create one, add items and manual entries, change settings. Each change
recomputes only what it affects (a settings change affects every cell)."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Coalition, ManualEntry, Scorecard, ScoredItem, VoteEvent
from tracker.models.base import utcnow
from tracker.scoring import engine
from tracker.scoring.settings import ScoringSettings

ITEM_KINDS = ("floor_vote", "committee_vote", "sponsorship", "cosponsorship", "manual")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def create_scorecard(db: Session, *, coalition: str, slug: str, jurisdiction: str, title: str,
                     chambers: list[str] | None = None, sessions: list[str] | None = None,
                     methodology: str | None = None, settings: dict | None = None,
                     publish: bool = False) -> Scorecard:
    """A new scorecard of the coalition (by slug); settings are validated."""
    co = db.exec(select(Coalition).where(Coalition.slug == coalition)).scalars().first()
    if co is None:
        raise LookupError(f"no coalition {coalition!r}")
    if not _SLUG.match(slug):
        raise ValueError(f"slug {slug!r}: use lowercase letters, digits and dashes")
    card = Scorecard(coalition_id=co.id, slug=slug, jurisdiction_id=jurisdiction.lower(), title=title,
                     chambers=chambers or [], sessions=sessions or [], methodology=methodology,
                     settings=ScoringSettings.from_dict(settings).to_dict(),
                     published_at=utcnow() if publish else None)
    db.add(card)
    db.flush()
    return card


def get_scorecard(db: Session, coalition: str, slug: str) -> Scorecard | None:
    return db.exec(select(Scorecard).join(Coalition, Coalition.id == Scorecard.coalition_id)
                   .where(Coalition.slug == coalition, Scorecard.slug == slug)).scalars().first()


def add_item(db: Session, card: Scorecard, *, kind: str, vote_event_key: str | None = None,
             bill_key: str | None = None, preferred: str | None = None, weight: float = 1.0,
             label: str | None = None, description: str | None = None, rationale: str | None = None,
             notice_text: str | None = None, notice_published_at: dt.datetime | None = None,
             chosen_by: str | None = None, slug: str | None = None, session: str | None = None,
             recompute: bool = True) -> ScoredItem:
    """Add a scored item. A passage vote without a preferred option follows the coalition's
    stance on the bill; motions and amendments need one from staff; manual items a rationale."""
    if kind not in ITEM_KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(ITEM_KINDS)}")
    if preferred not in (None, "yes", "no"):
        raise ValueError(f"preferred {preferred!r} must be yes or no")
    if weight <= 0:
        raise ValueError("weight must be positive")
    source = "staff"
    if kind in engine.VOTE_KINDS:
        if not vote_event_key:
            raise ValueError(f"a {kind} item needs a vote event key")
        ev = db.exec(select(VoteEvent).where(VoteEvent.key == vote_event_key)).scalars().first()
        if ev is not None:
            bill_key = bill_key or ev.bill_key
            label = label or ev.motion_text
        if preferred is None:
            is_passage = ev is not None and "passage" in (ev.motion_classification or [])
            if not (is_passage and bill_key):
                raise ValueError(f"{vote_event_key}: give the preferred option (yes or no); only "
                                 f"passage votes of a known bill follow the coalition's stance")
            source = "stance"
    elif kind in engine.SPONSOR_KINDS:
        if not bill_key:
            raise ValueError(f"a {kind} item needs a bill key")
        if preferred is None:
            source = "stance"
    else:
        if not (rationale and rationale.strip()):
            raise ValueError("a manual item needs a written rationale")
        # A manual item belongs to the scorecard's session when it has only one.
        session = session or (card.sessions[0] if len(card.sessions or []) == 1 else None)
    item = ScoredItem(scorecard_id=card.id, kind=kind, vote_event_key=vote_event_key, bill_key=bill_key,
                      preferred=preferred, preferred_source=source, weight=weight,
                      label=label or bill_key or vote_event_key or "manual item",
                      description=description, rationale=rationale, notice_text=notice_text,
                      notice_published_at=notice_published_at, chosen_by=chosen_by, session=session,
                      slug=slug or vote_event_key or f"{kind}-{bill_key or utcnow().strftime('%Y%m%d%H%M%S%f')}")
    db.add(item)
    db.flush()
    if recompute:
        engine.recompute(db, card.id, [item.id])
    return item


def add_manual_entry(db: Session, item: ScoredItem, legislator_id: int, points: float,
                     rationale: str) -> ManualEntry:
    """A legislator's result on a manual item; always with a rationale."""
    if item.kind != "manual":
        raise ValueError(f"item {item.slug!r} is a {item.kind} item, not manual")
    if not (rationale and rationale.strip()):
        raise ValueError("a manual entry needs a written rationale")
    if not 0 <= points <= 1:
        raise ValueError("points must be between 0 and 1")
    entry = ManualEntry(item_id=item.id, legislator_id=legislator_id, points=points, rationale=rationale)
    db.add(entry)
    db.flush()
    engine.recompute(db, item.scorecard_id, [item.id])
    return entry


def set_preferred(db: Session, item: ScoredItem, preferred: str, by: str | None = None) -> ScoredItem:
    """Give an item its own preferred option (it stops following the stance) and rescore it.
    The option is public like every score: staff choose it knowingly, never a private stance."""
    if item.kind == "manual":
        raise ValueError(f"item {item.slug!r} is a manual item: it has entries, not a preferred option")
    if preferred not in ("yes", "no"):
        raise ValueError(f"preferred {preferred!r} must be yes or no")
    item.preferred, item.preferred_source = preferred, "staff"
    item.chosen_by = by or item.chosen_by
    db.add(item)
    db.flush()
    engine.recompute(db, item.scorecard_id, [item.id])
    return item


def update_settings(db: Session, card: Scorecard, changes: dict) -> Scorecard:
    """Change methodology settings (validated) and recompute the whole scorecard."""
    merged = ScoringSettings.from_dict(card.settings).to_dict() | changes
    card.settings = ScoringSettings.from_dict(merged).to_dict()
    db.add(card)
    db.flush()
    engine.recompute(db, card.id)
    return card


def on_vote_changed(db: Session, vote_event_key: str) -> dict:
    """Call after a roll call is imported or corrected: recompute only the items it feeds."""
    return engine.refresh(db, engine.items_for_vote(db, vote_event_key))


def on_position_changed(db: Session, coalition_id: int, bill_key: str) -> dict:
    """Call after a coalition's stance on a bill changes: recompute the items that follow it."""
    return engine.refresh(db, engine.items_for_position(db, coalition_id, bill_key))
