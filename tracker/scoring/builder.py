"""The scorecard builder's service layer (issue 17): what the staff pages and the JSON API both
call to create, edit, publish and delete scorecards and their items. Every change is written to
`scorecard_change` (who, when, what) in the caller's transaction; problems raise `FieldError`
naming the field, so a form shows the message next to it and the API answers 422."""
from __future__ import annotations

import re

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from tracker.models import (Bill, Coalition, Jurisdiction, ManualEntry, Position, ScoreCell, Scorecard,
                            ScorecardChange, ScoreDirty, ScoredItem, ScoreSummary, VoteEvent)
from tracker.models.base import utcnow
from tracker.scoring import engine, service
from tracker.scoring.settings import ScoringSettings
from tracker.scoring.rules import preferred_from_stance

LANGUAGES = ("en", "es")
CHAMBERS = ("lower", "upper", "legislature")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_TEXT = 10_000


class FieldError(ValueError):
    """Bad input for one field: the pages show `message` next to `field`, the API answers 422."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def log(db: Session, card: Scorecard, action: str, by: str | None, item_id: int | None = None,
        **detail) -> None:
    """One line of the scorecard's change log."""
    db.add(ScorecardChange(coalition_id=card.coalition_id, scorecard_id=card.id, scorecard_slug=card.slug,
                           item_id=item_id, action=action, by=by, at=utcnow(),
                           detail={k: v for k, v in detail.items() if v is not None}))


def changes(db: Session, card: Scorecard, limit: int = 200) -> list[ScorecardChange]:
    return list(db.execute(select(ScorecardChange).where(ScorecardChange.scorecard_id == card.id)
                           .order_by(ScorecardChange.id.desc()).limit(limit)).scalars())


def _text(field: str, value, required: bool = False, max_len: int = MAX_TEXT) -> str | None:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        raise FieldError(field, "this field is required")
    if len(value) > max_len:
        raise FieldError(field, f"at most {max_len} characters")
    return value or None


def _subset(field: str, values, allowed: tuple[str, ...]) -> list[str]:
    out = []
    for v in values or []:
        v = str(v).strip().lower()
        if not v:
            continue
        if v not in allowed:
            raise FieldError(field, f"{v!r} is not one of {', '.join(allowed)}")
        if v not in out:
            out.append(v)
    return out


def _sessions(values) -> list[str]:
    out = []
    for v in values or []:
        v = str(v).strip()
        if v and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", v):
            raise FieldError("sessions", f"{v!r} is not a session identifier (like 2025 or 20252026)")
        if v and v not in out:
            out.append(v)
    return out


def _settings(changes: dict | None, base: dict | None = None) -> dict:
    try:
        return ScoringSettings.from_dict({**ScoringSettings.from_dict(base).to_dict(), **(changes or {})}).to_dict()
    except (ValueError, TypeError, OverflowError) as exc:
        # The settings' messages start with the field's name ("partial_credit must be ...").
        first = re.split(r"[\s:]", str(exc), maxsplit=1)[0]
        raise FieldError(first if first in ScoringSettings.__dataclass_fields__ else "settings", str(exc)) from None


# --- scorecards ----------------------------------------------------------------------------------


def create(db: Session, coalition: Coalition, *, slug: str, title: str, jurisdiction: str,
           chambers=(), sessions=(), languages=("en", "es"), methodology: str | None = None,
           settings: dict | None = None, by: str | None = None) -> Scorecard:
    """A new, unpublished scorecard of the coalition."""
    slug = (slug or "").strip().lower()
    if not _SLUG.match(slug):
        raise FieldError("slug", "use 1 to 64 lowercase letters, digits and dashes")
    if db.execute(select(Scorecard.id).where(Scorecard.coalition_id == coalition.id, Scorecard.slug == slug)).first():
        raise FieldError("slug", f"the coalition already has a scorecard {slug!r}")
    title = _text("title", title, required=True, max_len=300)
    jurisdiction = (jurisdiction or "").strip().lower()
    if not jurisdiction or db.get(Jurisdiction, jurisdiction) is None:
        raise FieldError("jurisdiction", f"no jurisdiction {jurisdiction!r}")
    langs = _subset("languages", languages, LANGUAGES)
    if not langs:
        raise FieldError("languages", "choose at least one language")
    card = service.create_scorecard(db, coalition=coalition.slug, slug=slug, jurisdiction=jurisdiction,
                                    title=title, chambers=_subset("chambers", chambers, CHAMBERS),
                                    sessions=_sessions(sessions),
                                    methodology=_text("methodology", methodology), settings=_settings(settings))
    card.languages = langs
    db.add(card)
    db.flush()
    log(db, card, "created", by, title=title, jurisdiction=jurisdiction)
    return card


def update(db: Session, card: Scorecard, changes: dict, by: str | None = None) -> Scorecard:
    """Change the title, chambers, sessions, languages, methodology note or settings."""
    new: dict = {}
    if "title" in changes:
        new["title"] = _text("title", changes["title"], required=True, max_len=300)
    if "chambers" in changes:
        new["chambers"] = _subset("chambers", changes["chambers"], CHAMBERS)
    if "sessions" in changes:
        new["sessions"] = _sessions(changes["sessions"])
    if "languages" in changes:
        new["languages"] = _subset("languages", changes["languages"], LANGUAGES)
        if not new["languages"]:
            raise FieldError("languages", "choose at least one language")
    if "methodology" in changes:
        new["methodology"] = _text("methodology", changes["methodology"])
    done = {k: v for k, v in new.items() if getattr(card, k) != v}   # only what really changes is logged
    for k, v in done.items():
        setattr(card, k, v)
    rescore = False
    if changes.get("settings") is not None:
        new = _settings(changes["settings"], card.settings)
        diff = {k: v for k, v in new.items() if ScoringSettings.from_dict(card.settings).to_dict().get(k) != v}
        if diff:
            card.settings = new
            done["settings"] = diff
            rescore = True
    card.updated_at = utcnow()
    card.version = (card.version or 0) + 1
    db.add(card)
    db.flush()
    if rescore or "sessions" in done or "chambers" in done:
        engine.recompute(db, card.id)
    if done:
        log(db, card, "settings" if set(done) == {"settings"} else "updated", by, **done)
    return card


def set_published(db: Session, card: Scorecard, published: bool, by: str | None = None) -> Scorecard:
    if published and card.published_at is None:
        card.published_at = utcnow()
        log(db, card, "published", by)
    elif not published and card.published_at is not None:
        card.published_at = None
        log(db, card, "unpublished", by)
    card.version = (card.version or 0) + 1
    db.add(card)
    db.flush()
    return card


def delete_card(db: Session, card: Scorecard, by: str | None = None) -> None:
    """Delete the scorecard and everything derived from it; the change log stays."""
    log(db, card, "deleted", by, title=card.title)
    ids = list(db.execute(select(ScoredItem.id).where(ScoredItem.scorecard_id == card.id)).scalars())
    db.execute(delete(ScoreCell).where(ScoreCell.scorecard_id == card.id))
    db.execute(delete(ScoreSummary).where(ScoreSummary.scorecard_id == card.id))
    db.execute(delete(ScoreDirty).where(ScoreDirty.scorecard_id == card.id))
    if ids:
        db.execute(delete(ManualEntry).where(ManualEntry.item_id.in_(ids)))
    db.execute(delete(ScoredItem).where(ScoredItem.scorecard_id == card.id))
    db.delete(card)
    db.flush()


# --- items ---------------------------------------------------------------------------------------


def _weight(value) -> float:
    try:
        w = float(value)
    except (TypeError, ValueError):
        raise FieldError("weight", f"{value!r} is not a number") from None
    if not 0 < w <= 100:
        raise FieldError("weight", "the weight must be more than 0 and at most 100")
    return w


def _preferred(value) -> str | None:
    value = (value or "").strip().lower() or None
    if value not in (None, "yes", "no"):
        raise FieldError("preferred", "choose yes, no, or follow the coalition's public position")
    return value


def add(db: Session, card: Scorecard, *, kind: str, vote_event_key: str | None = None,
        bill_key: str | None = None, preferred: str | None = None, weight=1.0, label: str | None = None,
        rationale: str | None = None, by: str | None = None) -> ScoredItem:
    """Add a roll call (floor or committee), a (co)sponsorship or a manual item to the scorecard."""
    if kind not in service.ITEM_KINDS:
        raise FieldError("kind", f"choose one of {', '.join(service.ITEM_KINDS)}")
    preferred, weight = _preferred(preferred), _weight(weight)
    label, rationale = _text("label", label, max_len=300), _text("rationale", rationale)
    vote_event_key, bill_key = (vote_event_key or "").strip() or None, (bill_key or "").strip() or None
    if kind in engine.VOTE_KINDS:
        ev = db.execute(select(VoteEvent).where(VoteEvent.key == (vote_event_key or ""))).scalars().first()
        if ev is None:
            raise FieldError("vote_event_key", f"no roll call {vote_event_key!r} (announce an upcoming vote "
                                               "with a notice instead)")
        if ev.jurisdiction_id != card.jurisdiction_id:
            raise FieldError("vote_event_key", f"roll call {vote_event_key} is in {ev.jurisdiction_id}, "
                                               f"the scorecard in {card.jurisdiction_id}")
        slug = vote_event_key
    elif kind in engine.SPONSOR_KINDS:
        if not bill_key or db.execute(select(Bill.id).where(Bill.key == bill_key)).first() is None:
            raise FieldError("bill_key", f"no bill {bill_key!r}")
        slug = f"{kind}-{bill_key}"
    else:
        if not rationale:
            raise FieldError("rationale", "a manual item needs a written rationale")
        if not label:
            raise FieldError("label", "a manual item needs a label")
        slug = None
    if slug and db.execute(select(ScoredItem.id).where(ScoredItem.scorecard_id == card.id,
                                                       ScoredItem.slug == slug)).first():
        raise FieldError("vote_event_key" if kind in engine.VOTE_KINDS else "bill_key",
                         "this is already on the scorecard")
    try:
        item = service.add_item(db, card, kind=kind, vote_event_key=vote_event_key, bill_key=bill_key,
                                preferred=preferred, weight=weight, label=label, rationale=rationale,
                                chosen_by=by, slug=slug)
    except ValueError as exc:
        raise FieldError("preferred" if "preferred" in str(exc) else "kind", str(exc)) from None
    item.position = item.id
    db.add(item)
    log(db, card, "item_added", by, item.id, kind=kind, label=item.label, vote_event_key=vote_event_key,
        bill_key=item.bill_key, preferred=preferred or "follows the public position", weight=weight)
    db.flush()
    return item


def get_item(db: Session, card: Scorecard, item_id: int) -> ScoredItem | None:
    item = db.get(ScoredItem, item_id)
    return item if item is not None and item.scorecard_id == card.id else None


def update_item(db: Session, item: ScoredItem, changes: dict, by: str | None = None) -> ScoredItem:
    """Change an item's preferred option ("" = follow the public position), weight, label or rationale."""
    card = db.get(Scorecard, item.scorecard_id)
    done: dict = {}
    if "preferred" in changes:
        pref = _preferred(changes["preferred"])
        if item.kind == "manual":
            if pref is not None:
                raise FieldError("preferred", "a manual item has entries, not a preferred option")
        elif pref is None:
            is_passage = item.kind in engine.SPONSOR_KINDS or _is_passage(db, item.vote_event_key)
            if not (is_passage and item.bill_key):
                raise FieldError("preferred", "only passage votes and sponsorships can follow the coalition's "
                                              "position; choose yes or no")
            if item.preferred_source != "stance":
                item.preferred, item.preferred_source = None, "stance"
                done["preferred"] = "follows the public position"
        elif pref != item.preferred or item.preferred_source != "staff":
            item.preferred, item.preferred_source = pref, "staff"
            done["preferred"] = pref
    if "weight" in changes and changes["weight"] is not None:
        w = _weight(changes["weight"])
        if w != item.weight:
            item.weight = done["weight"] = w
    if "label" in changes and changes["label"] is not None:
        label = _text("label", changes["label"], required=True, max_len=300)
        if label != item.label:
            item.label = done["label"] = label
    if "rationale" in changes:
        rationale = _text("rationale", changes["rationale"])
        if item.kind == "manual" and not rationale:
            raise FieldError("rationale", "a manual item needs a written rationale")
        if rationale != item.rationale:
            item.rationale = done["rationale"] = rationale
    if done:
        item.chosen_by, item.chosen_at = by or item.chosen_by, utcnow()
        db.add(item)
        db.flush()
        engine.recompute(db, card.id, [item.id])
        log(db, card, "item_updated", by, item.id, label=item.label, **done)
    return item


def _is_passage(db: Session, vote_event_key: str | None) -> bool:
    ev = db.execute(select(VoteEvent.motion_classification).where(VoteEvent.key == (vote_event_key or ""))).first()
    return ev is not None and "passage" in (ev[0] or [])


def remove_item(db: Session, item: ScoredItem, by: str | None = None) -> None:
    """Remove an item and its cells; the summaries are rebuilt without it."""
    card = db.get(Scorecard, item.scorecard_id)
    log(db, card, "item_removed", by, item.id, label=item.label, kind=item.kind,
        vote_event_key=item.vote_event_key, bill_key=item.bill_key)
    db.execute(delete(ScoreCell).where(ScoreCell.item_id == item.id))
    db.execute(delete(ManualEntry).where(ManualEntry.item_id == item.id))
    db.execute(delete(ScoreDirty).where(ScoreDirty.item_id == item.id))
    db.delete(item)
    db.flush()
    engine.recompute(db, card.id)


# --- finding what to score -----------------------------------------------------------------------


def find_bills(db: Session, card: Scorecard, q: str, limit: int = 20) -> list[Bill]:
    """Bills of the scorecard's jurisdiction whose key, number or title contains `q`."""
    q = (q or "").strip()[:200]
    if not q:
        return []
    like = f"%{q.lower()}%"
    from sqlalchemy import func
    return list(db.execute(select(Bill).where(Bill.jurisdiction_id == card.jurisdiction_id,
                                              or_(func.lower(Bill.key).like(like),
                                                  func.lower(Bill.identifier).like(like),
                                                  func.lower(Bill.normalized_identifier).like(
                                                      like.replace(" ", "").replace(".", "")),
                                                  func.lower(Bill.title).like(like)))
                           .order_by(Bill.key).limit(limit)).scalars())


def roll_calls(db: Session, bill_key: str) -> list[VoteEvent]:
    """The bill's roll calls, floor and committee, oldest first."""
    return list(db.execute(select(VoteEvent).where(VoteEvent.bill_key == bill_key)
                           .order_by(VoteEvent.date, VoteEvent.key)).scalars())


def default_preferred(db: Session, card: Scorecard, bill_key: str | None) -> str | None:
    """What the coalition's *public* position on the bill asks of a passage vote (yes/no), or None."""
    if not bill_key:
        return None
    stance = db.execute(select(Position.stance).where(Position.coalition_id == card.coalition_id,
                                                      Position.bill_key == bill_key,
                                                      Position.public.is_(True))).scalars().first()
    return preferred_from_stance(stance)
