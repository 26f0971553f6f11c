"""The scorecard builder's JSON API (issue 17) under /api/coalitions/{slug}: create, read, change,
publish and delete a coalition's scorecards and their items, and read a position's history. Reads
need a key of the coalition (viewer or better: unpublished scorecards are private), writes an
editor or admin key. The staff pages call the same service (`tracker.scoring.builder`)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.coalition_deps import CallerDep, require
from api.deps import IdPath, KeyPath, SessionDep
from tracker.coalitions.positions import history
from tracker.models import Scorecard, ScoredItem
from tracker.scoring import builder, notices
from tracker.scoring.service import ITEM_KINDS

router = APIRouter(prefix="/api/coalitions/{slug}", tags=["coalitions"])
CardPath = Annotated[str, Path(max_length=64, description="scorecard slug")]
Lang = Literal["en", "es"]
Chamber = Literal["lower", "upper", "legislature"]
SessionId = Annotated[str, Field(max_length=64)]


class ItemOut(BaseModel):
    id: int
    slug: str
    kind: str
    label: str
    vote_event_key: str | None = None
    bill_key: str | None = None
    preferred: str | None = Field(None, description="yes or no; null when it follows the public position")
    follows_position: bool
    weight: float
    rationale: str | None = None
    notice_text: str | None = None
    notice_published_at: dt.datetime | None = None
    notice_chamber: str | None = None


class ScorecardOut(BaseModel):
    slug: str
    title: str
    jurisdiction: str
    chambers: list[str]
    sessions: list[str]
    languages: list[str]
    methodology: str | None = None
    settings: dict
    published: bool
    published_at: dt.datetime | None = None
    version: int
    items: list[ItemOut]


class ScorecardIn(BaseModel):
    slug: str = Field(max_length=64, description="lowercase letters, digits and dashes")
    title: str = Field(min_length=1, max_length=300)
    jurisdiction: str = Field(max_length=8, description="us, ca, ny, ky, ...")
    chambers: list[Chamber] = Field(default_factory=list, max_length=3)
    sessions: list[SessionId] = Field(default_factory=list, max_length=20)
    languages: list[Lang] = Field(default_factory=lambda: ["en", "es"], max_length=2)
    methodology: str | None = Field(None, max_length=10_000, description="the coalition's note")
    settings: dict | None = Field(None, description="methodology settings (see docs/api-builder.md)")


class ScorecardPatch(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=300)
    chambers: list[Chamber] | None = Field(None, max_length=3)
    sessions: list[SessionId] | None = Field(None, max_length=20)
    languages: list[Lang] | None = Field(None, max_length=2)
    methodology: str | None = Field(None, max_length=10_000)
    settings: dict | None = Field(None, description="only the settings to change")


class ItemIn(BaseModel):
    kind: Literal[tuple(ITEM_KINDS)]  # type: ignore[valid-type]
    vote_event_key: str | None = Field(None, max_length=200, description="for floor_vote and committee_vote")
    bill_key: str | None = Field(None, max_length=200, description="for sponsorship and cosponsorship")
    preferred: Literal["yes", "no"] | None = Field(None, description="null: follow the bill's public position "
                                                                      "(passage votes and sponsorships)")
    weight: float = Field(1.0, gt=0, le=100)
    label: str | None = Field(None, max_length=300)
    rationale: str | None = Field(None, max_length=10_000)


class ItemPatch(BaseModel):
    preferred: Literal["yes", "no", "follow"] | None = Field(None, description="follow: the public position")
    weight: float | None = Field(None, gt=0, le=100)
    label: str | None = Field(None, min_length=1, max_length=300)
    rationale: str | None = Field(None, max_length=10_000)


class NoticeIn(BaseModel):
    bill_key: str = Field(max_length=200)
    chamber: Chamber
    kind: Literal["floor_vote", "committee_vote"] = "floor_vote"
    text: str = Field(min_length=1, max_length=2000)
    preferred: Literal["yes", "no"] | None = None
    weight: float = Field(1.0, gt=0, le=100)


class HistoryOut(BaseModel):
    previous_stance: str | None = None
    stance: str | None = None
    rationale: str | None = None
    priority: int = 0
    public: bool
    set_by: str | None = None
    set_at: dt.datetime | None = None


def _item_out(it: ScoredItem) -> ItemOut:
    return ItemOut(id=it.id, slug=it.slug, kind=it.kind, label=it.label, vote_event_key=it.vote_event_key,
                   bill_key=it.bill_key, preferred=it.preferred if it.preferred_source != "stance" else None,
                   follows_position=it.preferred_source == "stance", weight=it.weight, rationale=it.rationale,
                   notice_text=it.notice_text, notice_published_at=it.notice_published_at,
                   notice_chamber=it.notice_chamber)


def _card_out(db, card: Scorecard) -> ScorecardOut:
    items = db.execute(select(ScoredItem).where(ScoredItem.scorecard_id == card.id)
                       .order_by(ScoredItem.position, ScoredItem.id)).scalars()
    return ScorecardOut(slug=card.slug, title=card.title, jurisdiction=card.jurisdiction_id,
                        chambers=card.chambers or [], sessions=card.sessions or [],
                        languages=card.languages or [], methodology=card.methodology, settings=card.settings or {},
                        published=card.published_at is not None, published_at=card.published_at,
                        version=card.version or 0, items=[_item_out(i) for i in items])


def _invalid(exc: builder.FieldError) -> JSONResponse:
    return JSONResponse({"detail": [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]},
                        status_code=422)


def _card(db, caller, sc: str) -> Scorecard:
    card = db.execute(select(Scorecard).where(Scorecard.coalition_id == caller.coalition.id,
                                              Scorecard.slug == sc)).scalar_one_or_none()
    if card is None:
        raise HTTPException(404, f"no scorecard {sc!r} in {caller.coalition.slug}")
    return card


def _item(db, card: Scorecard, item_id: int) -> ScoredItem:
    item = builder.get_item(db, card, item_id)
    if item is None:
        raise HTTPException(404, f"no item {item_id} on {card.slug}")
    return item


ERRORS = {401: {"description": "no or unknown API key"}, 403: {"description": "the key's role is too low, "
                                                                            "or it belongs to another coalition"},
          404: {"description": "no such scorecard or item"}}


@router.post("/scorecards", response_model=ScorecardOut, status_code=201, summary="Create a scorecard",
             responses=ERRORS)
def create_scorecard(body: ScorecardIn, caller: CallerDep, db: SessionDep):
    """A new, unpublished scorecard (editor key or better)."""
    require(caller, "editor")
    try:
        card = builder.create(db, caller.coalition, by=caller.who, **body.model_dump())
    except builder.FieldError as exc:
        db.rollback()
        return _invalid(exc)
    db.commit()
    return _card_out(db, card)


@router.get("/scorecards", response_model=list[ScorecardOut], summary="The coalition's scorecards",
            responses=ERRORS)
def list_scorecards(caller: CallerDep, db: SessionDep) -> list[ScorecardOut]:
    """Every scorecard of the coalition, published or not, with its items (viewer key or better)."""
    require(caller, "viewer")
    cards = db.execute(select(Scorecard).where(Scorecard.coalition_id == caller.coalition.id)
                       .order_by(Scorecard.slug)).scalars().all()
    return [_card_out(db, c) for c in cards]


@router.get("/scorecards/{sc}", response_model=ScorecardOut, summary="A scorecard with its settings and items",
            responses=ERRORS)
def get_scorecard(sc: CardPath, caller: CallerDep, db: SessionDep):
    """Published or not (viewer key or better)."""
    require(caller, "viewer")
    return _card_out(db, _card(db, caller, sc))


@router.patch("/scorecards/{sc}", response_model=ScorecardOut, summary="Change a scorecard or its settings",
              responses=ERRORS)
def patch_scorecard(sc: CardPath, body: ScorecardPatch, caller: CallerDep, db: SessionDep):
    """Only the fields given change; a settings change rescores the whole scorecard."""
    require(caller, "editor")
    card = _card(db, caller, sc)
    try:
        builder.update(db, card, body.model_dump(exclude_unset=True), by=caller.who)
    except builder.FieldError as exc:
        db.rollback()
        return _invalid(exc)
    db.commit()
    return _card_out(db, card)


@router.delete("/scorecards/{sc}", status_code=204, summary="Delete a scorecard", responses=ERRORS)
def delete_scorecard(sc: CardPath, caller: CallerDep, db: SessionDep) -> Response:
    """The scorecard, its items and scores go; its change log stays."""
    require(caller, "editor")
    builder.delete_card(db, _card(db, caller, sc), by=caller.who)
    db.commit()
    return Response(status_code=204)


@router.post("/scorecards/{sc}/items", response_model=ItemOut, status_code=201, summary="Add a scored item",
             responses=ERRORS)
def add_item(sc: CardPath, body: ItemIn, caller: CallerDep, db: SessionDep):
    """A floor or committee roll call, a (co)sponsorship or a manual item (with a rationale)."""
    require(caller, "editor")
    card = _card(db, caller, sc)
    try:
        item = builder.add(db, card, by=caller.who, **body.model_dump())
    except builder.FieldError as exc:
        db.rollback()
        return _invalid(exc)
    db.commit()
    return _item_out(item)


@router.patch("/scorecards/{sc}/items/{item_id}", response_model=ItemOut, summary="Change a scored item",
              responses=ERRORS)
def patch_item(sc: CardPath, item_id: IdPath, body: ItemPatch, caller: CallerDep, db: SessionDep):
    """Preferred option (`follow` = the bill's public position), weight, label, rationale."""
    require(caller, "editor")
    card = _card(db, caller, sc)
    item = _item(db, card, item_id)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("preferred") == "follow":
        changes["preferred"] = ""
    try:
        builder.update_item(db, item, changes, by=caller.who)
    except builder.FieldError as exc:
        db.rollback()
        return _invalid(exc)
    db.commit()
    return _item_out(item)


@router.delete("/scorecards/{sc}/items/{item_id}", status_code=204, summary="Remove a scored item",
               responses=ERRORS)
def delete_item(sc: CardPath, item_id: IdPath, caller: CallerDep, db: SessionDep) -> Response:
    require(caller, "editor")
    card = _card(db, caller, sc)
    builder.remove_item(db, _item(db, card, item_id), by=caller.who)
    db.commit()
    return Response(status_code=204)


@router.post("/scorecards/{sc}/notices", response_model=ItemOut, status_code=201,
             summary="Announce that a vote will be scored", responses=ERRORS)
def post_notice(sc: CardPath, body: NoticeIn, caller: CallerDep, db: SessionDep):
    """A public, timestamped notice that the bill's next roll call in the chamber will be scored;
    followers are alerted, and the item attaches to the roll call when it is imported."""
    require(caller, "editor")
    card = _card(db, caller, sc)
    try:
        item = notices.post(db, card, by=caller.who, **body.model_dump())
    except builder.FieldError as exc:
        db.rollback()
        return _invalid(exc)
    db.commit()
    return _item_out(item)


@router.post("/scorecards/{sc}/publish", response_model=ScorecardOut, summary="Publish a scorecard",
             responses=ERRORS)
def publish(sc: CardPath, caller: CallerDep, db: SessionDep) -> ScorecardOut:
    require(caller, "editor")
    card = builder.set_published(db, _card(db, caller, sc), True, by=caller.who)
    db.commit()
    return _card_out(db, card)


@router.post("/scorecards/{sc}/unpublish", response_model=ScorecardOut, summary="Unpublish a scorecard",
             responses=ERRORS)
def unpublish(sc: CardPath, caller: CallerDep, db: SessionDep) -> ScorecardOut:
    require(caller, "editor")
    card = builder.set_published(db, _card(db, caller, sc), False, by=caller.who)
    db.commit()
    return _card_out(db, card)


@router.get("/positions/{bill_key}/history", response_model=list[HistoryOut],
            summary="Every change of a position", responses=ERRORS)
def position_history(bill_key: KeyPath, caller: CallerDep, db: SessionDep) -> list[HistoryOut]:
    """Who changed the coalition's position on the bill, when, from what to what (viewer key or
    better: private stances are in it)."""
    require(caller, "viewer")
    return [HistoryOut(**h.model_dump()) for h in history(db, caller.coalition.id, bill_key)]
