"""Member organizations of a coalition: creating them (their people are invited by email, see
tracker.coalitions.team), their own stances, and the matrix of the coalition's and every
member's stance across bills."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from tracker.coalitions.csvout import to_csv
from tracker.coalitions.positions import PositionError
from tracker.models import Bill, MemberOrganization, MemberStance, Position, StaffUser
from tracker.vocab import MEMBER_ROLE

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# Stances pulling the same way; a member on the other side of the coalition is "against" it.
LEANING = {"support": 1, "support_if_amended": 1, "oppose": -1, "oppose_unless_amended": -1}


def members(db: Session, coalition_id: int) -> list[MemberOrganization]:
    return list(db.execute(select(MemberOrganization).where(MemberOrganization.coalition_id == coalition_id)
                           .order_by(MemberOrganization.name, MemberOrganization.slug)).scalars())


def create_member(db: Session, coalition_id: int, *, name: str, slug: str, website: str | None = None) -> MemberOrganization:
    """A new member organization; PositionError names the field that is wrong or taken."""
    name, slug, website = name.strip(), slug.strip().lower(), (website or "").strip() or None
    if not name or len(name) > 200:
        raise PositionError("name", "a name has 1 to 200 characters")
    if not SLUG.match(slug):
        raise PositionError("slug", "a short name has lowercase letters, digits and hyphens (up to 63)")
    if website and (not re.match(r"^https?://[^\s]+$", website) or len(website) > 500):
        raise PositionError("website", "a website is an http:// or https:// address")
    taken = db.execute(select(MemberOrganization.id).where(MemberOrganization.coalition_id == coalition_id,
                                                           MemberOrganization.slug == slug)).first()
    if taken:
        raise PositionError("slug", f"{slug!r} is already a member of this coalition", "slug_taken")
    org = MemberOrganization(coalition_id=coalition_id, slug=slug, name=name, website=website)
    db.add(org)
    db.flush()
    return org


def member_of(db: Session, user: StaffUser | None) -> MemberOrganization | None:
    """The organization a member login acts for (None for staff and for anyone else)."""
    if user is None or user.role != MEMBER_ROLE or user.member_id is None:
        return None
    org = db.get(MemberOrganization, user.member_id)
    return org if org is not None and org.coalition_id == user.coalition_id else None


@dataclass
class MemberRow:
    bill_key: str
    title: str | None
    coalition_stance: str | None     # public positions only: a member never sees a private one
    stance: str | None
    note: str | None


def member_view(db: Session, member: MemberOrganization) -> list[MemberRow]:
    """What a member's page lists: the bills with a public coalition position and the bills the
    member has a stance on; only the coalition's public stances and the member's own notes."""
    public = dict(db.execute(select(Position.bill_key, Position.stance)
                             .where(Position.coalition_id == member.coalition_id, Position.public.is_(True))).all())
    own = {s.bill_key: s for s in db.execute(select(MemberStance).where(MemberStance.member_id == member.id)).scalars()}
    keys = sorted(set(public) | set(own))
    titles = dict(db.execute(select(Bill.key, Bill.title).where(Bill.key.in_(keys or [""]))).all())
    return [MemberRow(k, titles.get(k), public.get(k), own[k].stance if k in own else None,
                      own[k].note if k in own else None) for k in keys]


@dataclass
class Cell:
    stance: str | None
    note: str | None = None
    differs: bool = False            # the member's stance is not the coalition's
    against: bool = False            # ... and pulls the other way (support vs oppose)
    public: bool | None = None       # the coalition's cell: is its position public


@dataclass
class MatrixRow:
    bill_key: str
    title: str | None
    coalition: Cell
    cells: list[Cell] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return sum(c.differs for c in self.cells)


@dataclass
class Matrix:
    members: list[MemberOrganization]
    rows: list[MatrixRow]


def matrix(db: Session, coalition_id: int) -> Matrix:
    """The coalition's stance (public and private: staff only) and every member's, per bill."""
    orgs = members(db, coalition_id)
    pos = {p.bill_key: p for p in db.execute(select(Position).where(Position.coalition_id == coalition_id)).scalars()}
    stances: dict[tuple[str, int], MemberStance] = {
        (s.bill_key, s.member_id): s
        for s in db.execute(select(MemberStance).where(MemberStance.coalition_id == coalition_id)).scalars()}
    keys = sorted(set(pos) | {k for k, _ in stances})
    titles = dict(db.execute(select(Bill.key, Bill.title).where(Bill.key.in_(keys or [""]))).all())
    rows = []
    for k in keys:
        own = pos[k].stance if k in pos else None
        row = MatrixRow(k, titles.get(k), Cell(own, pos[k].rationale if k in pos else None,
                                                       public=pos[k].public if k in pos else None))
        for org in orgs:
            s = stances.get((k, org.id))
            if s is None:
                row.cells.append(Cell(None))
                continue
            differs = own is not None and s.stance != own
            against = differs and LEANING.get(s.stance, 0) * LEANING.get(own, 0) < 0
            row.cells.append(Cell(s.stance, s.note, differs, against))
        rows.append(row)
    return Matrix(orgs, rows)


def matrix_csv(m: Matrix) -> str:
    """One row per bill: the coalition's stance, then each member's stance and whether it differs."""
    header = ["bill_key", "title", "coalition", "coalition_public"]
    for org in m.members:
        header += [org.slug, f"{org.slug}_differs"]
    header.append("disagreements")
    rows = []
    for r in m.rows:
        line = [r.bill_key, r.title, r.coalition.stance, r.coalition.public]
        for c in r.cells:
            line += [c.stance, ("against" if c.against else "differs") if c.differs else ""]
        rows.append(line + [r.disagreements])
    return to_csv(header, rows)
