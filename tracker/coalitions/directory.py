"""The public directory: every listed coalition with its published scorecards.

A coalition is listed unless its file says `settings: {listed: false}` (its pages stay reachable
by address). Draft scorecards (not published) never show.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import Coalition, Position, Scorecard


@dataclass
class Listed:
    slug: str
    name: str
    description: str | None
    website: str | None
    scorecards: list[Scorecard] = field(default_factory=list)
    public_positions: int = 0


def is_listed(coalition: Coalition) -> bool:
    return (coalition.settings or {}).get("listed", True) is not False


def listed_coalitions(db: Session) -> list[Listed]:
    """Listed coalitions by name, each with its published scorecards (by title) and the number of
    its public positions."""
    coalitions = [c for c in db.execute(select(Coalition).order_by(Coalition.name, Coalition.slug)).scalars()
                  if is_listed(c)]
    if not coalitions:
        return []
    ids = [c.id for c in coalitions]
    cards: dict[int, list[Scorecard]] = {}
    for card in db.execute(select(Scorecard).where(Scorecard.coalition_id.in_(ids),
                                                   Scorecard.published_at.is_not(None))
                           .order_by(Scorecard.title, Scorecard.slug)).scalars():
        cards.setdefault(card.coalition_id, []).append(card)
    positions = dict(db.execute(select(Position.coalition_id, func.count())
                                .where(Position.coalition_id.in_(ids), Position.public.is_(True))
                                .group_by(Position.coalition_id)).all())
    return [Listed(slug=c.slug, name=c.name, description=c.description, website=c.website,
                   scorecards=cards.get(c.id, []), public_positions=positions.get(c.id, 0))
            for c in coalitions]
