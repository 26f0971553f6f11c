"""What a methodology change would do before it is saved: the scorecard is rescored with the new
settings inside the caller's transaction, the scores are compared, and everything is rolled back."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Legislator, Scorecard, ScoreSummary
from tracker.scoring import engine
from tracker.scoring.builder import _settings
from tracker.scoring.views import default_session


@dataclass
class Change:
    legislator_id: int
    key: str
    name: str
    chamber: str | None
    district: str | None
    before: float | None
    after: float | None
    grade_before: str | None
    grade_after: str | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 3)


def _scores(db: Session, card: Scorecard, session: str) -> dict[int, tuple]:
    rows = db.execute(select(ScoreSummary.legislator_id, ScoreSummary.score, ScoreSummary.grade,
                             ScoreSummary.chamber, ScoreSummary.district, Legislator.name, Legislator.key)
                      .join(Legislator, Legislator.id == ScoreSummary.legislator_id)
                      .where(ScoreSummary.scorecard_id == card.id, ScoreSummary.session == session)).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def preview(db: Session, card: Scorecard, settings_changes: dict) -> tuple[dict, list[Change], int]:
    """(the validated new settings, the legislators whose score or grade changes, how many are
    scored). The session is rolled back: call it on a session with nothing else pending."""
    new = _settings(settings_changes, card.settings)
    session = default_session(card)
    db.rollback()
    card = db.get(Scorecard, card.id)
    before = _scores(db, card, session)
    try:
        card.settings = new
        db.add(card)
        db.flush()
        engine.recompute(db, card.id)
        after = _scores(db, card, default_session(card))
    finally:
        db.rollback()
    out = []
    for lid in sorted(set(before) | set(after)):
        b = before.get(lid, (None, None, None, None, None, None))
        a = after.get(lid, (None, None, None, None, None, None))
        if (b[0], b[1]) != (a[0], a[1]):
            name, key = (a[4] or b[4]), (a[5] or b[5])
            out.append(Change(lid, key, name, a[2] or b[2], a[3] or b[3], b[0], a[0], b[1], a[1]))
    out.sort(key=lambda c: (-(abs(c.delta) if c.delta is not None else 1000), c.name))
    return new, out, len(before)
