"""The choices a search form offers: jurisdictions and sessions that have bills, issue areas."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlmodel import Session

from tracker.models import Bill, IssueArea, LegislativeSession
from tracker.tagging.rules import default_taxonomy


@dataclass
class SessionOption:
    value: str          # "ky:2025": one jurisdiction's session
    identifier: str
    name: str


@dataclass
class Area:
    slug: str
    name: str
    parent: str | None = None


def jurisdiction_order(ids) -> list[str]:
    """Congress first, then the states by postal code."""
    return sorted(set(ids), key=lambda j: (j != "us", j))


def session_options(db: Session) -> dict[str, list[SessionOption]]:
    """Jurisdiction id -> its sessions that have bills, newest first (Congress first)."""
    # One index probe per session (a short table), not a pass over every bill.
    with_bills = exists().where(Bill.session_id == LegislativeSession.id)
    out: dict[str, list[SessionOption]] = {}
    for s in db.execute(select(LegislativeSession).where(with_bills)
                        .order_by(LegislativeSession.jurisdiction_id, LegislativeSession.start_date.desc(),
                                  LegislativeSession.identifier.desc())).scalars():
        out.setdefault(s.jurisdiction_id, []).append(
            SessionOption(value=f"{s.jurisdiction_id}:{s.identifier}", identifier=s.identifier, name=s.name))
    return {j: out[j] for j in jurisdiction_order(out)}


def issue_areas(db: Session, coalition_id: int | None = None) -> list[Area]:
    """The issue areas a search can filter on: the coalition's, or the default taxonomy's (as
    stored by tagging; from the taxonomy file when tagging has not run yet)."""
    cond = IssueArea.coalition_id.is_(None) if coalition_id is None else IssueArea.coalition_id == coalition_id
    stored = [Area(a.slug, a.name, a.parent_slug)
              for a in db.execute(select(IssueArea).where(cond).order_by(IssueArea.position)).scalars()]
    if stored or coalition_id is not None:
        return stored
    return [Area(a["slug"], a["name"], a.get("parent")) for a in default_taxonomy()["areas"]]
