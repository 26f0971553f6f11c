"""For staff only: scored items that follow the coalition's stance but are not scored for lack of
a public one. An item's preferred option follows the stance only while the position is public
(`tracker.scoring.cells.preferred_for`); when the position is private, missing or takes no side,
the item counts for nobody until the position changes or staff give the item its own option."""
from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Position, Scorecard, ScoredItem
from tracker.scoring.rules import preferred_from_stance

REASONS = {
    "private": "the coalition's position on the bill is private, and a private stance is never scored: "
               "make the position public or give the item its own preferred option",
    "no_position": "the coalition has no position on the bill: set a public one or give the item its own "
                   "preferred option",
    "no_side": "the coalition's public position takes no side (neutral or watching), so nobody is scored "
               "on this item",
}


def _state(stance: str | None, public: bool | None) -> str | None:
    if stance is None:
        return "no_position"
    if not public:
        return "private"
    return None if preferred_from_stance(stance) else "no_side"


def _rows(db: Session, coalition_id: int, *conds):
    return db.execute(select(ScoredItem, Scorecard.slug, Scorecard.title, Position.stance, Position.public)
                      .join(Scorecard, Scorecard.id == ScoredItem.scorecard_id)
                      .outerjoin(Position, (Position.coalition_id == Scorecard.coalition_id)
                                 & (Position.bill_key == ScoredItem.bill_key))
                      .where(Scorecard.coalition_id == coalition_id, ScoredItem.preferred_source == "stance", *conds)
                      .order_by(Scorecard.slug, ScoredItem.position, ScoredItem.id)).all()


def _entry(item: ScoredItem, card_slug: str, card_title: str, stance, public) -> dict:
    state = _state(stance, public)
    return {"item_id": item.id, "scorecard": card_slug, "scorecard_title": card_title, "slug": item.slug,
            "kind": item.kind, "label": item.label, "bill_key": item.bill_key, "stance": stance,
            "public": bool(public), "scored": state is None, "reason": state,
            "problem": REASONS.get(state or "", "")}


def needing_preferred(db: Session, coalition_id: int, scorecard_id: int | None = None) -> list[dict]:
    """The coalition's stance-following items that nobody is scored on, each with the reason."""
    conds = [ScoredItem.scorecard_id == scorecard_id] if scorecard_id is not None else []
    return [e for row in _rows(db, coalition_id, *conds) if not (e := _entry(*row))["scored"]]


def following(db: Session, coalition_id: int, bill_key: str) -> list[dict]:
    """Every item of the coalition's scorecards that follows its stance on this bill."""
    return [_entry(*row) for row in _rows(db, coalition_id, ScoredItem.bill_key == bill_key)]
