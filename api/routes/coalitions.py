"""Coalition API under /api/coalitions/{slug}: search, issue areas, positions, the tag review queue
(per-coalition keys)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.coalition_deps import CallerDep, require
from api.deps import IdPath, KeyPath, Limit, Offset, SearchText, SessionDep, SessionText, SettingsDep, Text
from tracker.coalitions.positions import set_position
from tracker.models import Bill, BillTag, IssueArea, MemberOrganization, MemberStance, Position
from tracker.scoring.dirty import process_quietly
from tracker.search.query import SORTS, SearchParams, search_page
from tracker.tagging.store import set_tag_status
from tracker.bills.views import Page
from tracker.vocab import STANCES

router = APIRouter(prefix="/api/coalitions/{slug}", tags=["coalitions"])


class PositionOut(BaseModel):
    bill_key: str
    stance: str
    rationale: str | None = None
    priority: int = 0
    public: bool
    set_by: str | None = None
    set_at: dt.datetime | None = None
    member_stances: dict[str, str] = {}


class PositionIn(BaseModel):
    stance: Literal[tuple(STANCES)]  # type: ignore[valid-type]
    rationale: str | None = Field(default=None, max_length=10_000)
    priority: int = Field(default=0, ge=-1000, le=1000)
    public: bool = False


class TagOut(BaseModel):
    id: int
    bill_key: str
    bill_title: str
    issue_area: str
    status: str
    score: float
    explanation: list[dict]


class TagDecision(BaseModel):
    status: Literal["confirmed", "rejected", "suggested"]


class AreaOut(BaseModel):
    slug: str
    name: str
    parent: str | None = None
    description: str | None = None


@router.get("/issue-areas", response_model=list[AreaOut], summary="The coalition's issue areas")
def issue_areas(caller: CallerDep, db: SessionDep) -> list[AreaOut]:
    rows = db.execute(select(IssueArea).where(IssueArea.coalition_id == caller.coalition.id)
                      .order_by(IssueArea.position)).scalars()
    return [AreaOut(slug=a.slug, name=a.name, parent=a.parent_slug, description=a.description) for a in rows]


@router.get("/search", response_model=Page, summary="Search bills with the coalition's tags and positions")
def search(caller: CallerDep, db: SessionDep, settings: SettingsDep,
           q: SearchText = None, jurisdiction: Text = None, session: SessionText = None,
           stage: Text = None, issue_area: Text = None, stance: Text = None,
           sponsor: Text = None, committee: Text = None,
           updated_since: dt.date | None = None,
           sort: Annotated[str, Query(max_length=32, description=", ".join(SORTS))] = "relevance",
           limit: Limit = 25, offset: Offset = 0) -> Page:
    """Full-text search with this coalition's issue areas and (public, or all with a key) stances."""
    limit = min(limit, settings.page_size_max)
    p = SearchParams(q=q, jurisdiction=jurisdiction, session=session, stage=stage, issue_area=issue_area,
                     stance=stance, sponsor=sponsor, committee=committee, updated_since=updated_since,
                     sort=sort, limit=limit, offset=offset)
    page = search_page(db, p, coalition_id=caller.coalition.id, public_only=not caller.can("viewer"),
                       tag_statuses=("suggested", "confirmed") if caller.can("viewer") else ("confirmed",))
    return Page(total=page.total, total_is_estimate=page.total_is_estimate, limit=limit, offset=offset,
                items=page.items)


def _position_out(db, coalition_id: int, positions: list[Position]) -> list[PositionOut]:
    keys = [p.bill_key for p in positions]
    stances: dict[str, dict[str, str]] = {}
    if keys:
        for s, slug in db.execute(select(MemberStance, MemberOrganization.slug)
                                  .join(MemberOrganization, MemberStance.member_id == MemberOrganization.id)
                                  .where(MemberStance.coalition_id == coalition_id,
                                         MemberStance.bill_key.in_(keys))):
            stances.setdefault(s.bill_key, {})[slug] = s.stance
    return [PositionOut(**p.model_dump(), member_stances=stances.get(p.bill_key, {})) for p in positions]


@router.get("/positions", response_model=list[PositionOut], summary="The coalition's positions")
def positions(caller: CallerDep, db: SessionDep) -> list[PositionOut]:
    """Public positions; with a key of this coalition, the private ones and member stances too."""
    query = select(Position).where(Position.coalition_id == caller.coalition.id)
    if not caller.can("viewer"):
        query = query.where(Position.public.is_(True))
    out = _position_out(db, caller.coalition.id, list(db.execute(query.order_by(Position.bill_key)).scalars()))
    if not caller.can("viewer"):
        for p in out:
            p.member_stances = {}
    return out


@router.put("/positions/{bill_key}", response_model=PositionOut, summary="Set a position")
def put_position(bill_key: KeyPath, body: PositionIn, caller: CallerDep, db: SessionDep) -> PositionOut:
    """Set the coalition's position on a bill (editor or admin key); changes are kept as history."""
    require(caller, "editor")
    pos, _ = set_position(db, caller.coalition.id, bill_key, stance=body.stance, rationale=body.rationale,
                          priority=body.priority, public=body.public, by=caller.who)
    db.commit()
    process_quietly(db.get_bind())  # the scores that follow the stance, right away
    return _position_out(db, caller.coalition.id, [pos])[0]


@router.get("/tags", response_model=list[TagOut], summary="The tag review queue")
def tags(caller: CallerDep, db: SessionDep, status: Annotated[str, Query(max_length=32)] = "suggested",
         limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[TagOut]:
    """The review queue (viewer key or better)."""
    require(caller, "viewer")
    rows = db.execute(select(BillTag, Bill.key, Bill.title, IssueArea.slug)
                      .join(Bill, BillTag.bill_id == Bill.id).join(IssueArea, BillTag.issue_area_id == IssueArea.id)
                      .where(BillTag.coalition_id == caller.coalition.id, BillTag.status == status)
                      .order_by(BillTag.score.desc(), Bill.key).limit(limit)).all()
    return [TagOut(id=t.id, bill_key=k, bill_title=title, issue_area=area, status=t.status, score=t.score,
                   explanation=t.explanation or []) for t, k, title, area in rows]


@router.post("/tags/{tag_id}", response_model=TagOut, summary="Confirm or reject a tag")
def decide_tag(tag_id: IdPath, body: TagDecision, caller: CallerDep, db: SessionDep) -> TagOut:
    """Confirm or reject a suggested tag (editor key or better)."""
    require(caller, "editor")
    tag = db.get(BillTag, tag_id)
    if tag is None or tag.coalition_id != caller.coalition.id:
        raise HTTPException(404, f"no tag {tag_id} in this coalition")
    set_tag_status(db, tag, body.status, caller.who or "api")
    db.commit()
    bill = db.get(Bill, tag.bill_id)
    area = db.get(IssueArea, tag.issue_area_id)
    return TagOut(id=tag.id, bill_key=bill.key, bill_title=bill.title, issue_area=area.slug, status=tag.status,
                  score=tag.score, explanation=tag.explanation or [])
