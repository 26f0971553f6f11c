"""Persistence of scores: build the auditable cells of a scorecard's items and re-add the
summaries of the legislators they touch. `recompute(item_ids=None)` rebuilds everything;
with item ids it recomputes only those items and the affected legislators, and gives the same
numbers (summaries are always re-added from the stored cells, never patched by deltas)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlmodel import Session

from tracker.models import (Bill, LegislativeSession, LegislatorRole, ManualEntry, PersonVote,
                            Position, ScoreCell, Scorecard, ScoredItem, ScoreSummary, Sponsorship,
                            VoteEvent)
from tracker.models.base import utcnow
from tracker.scoring.rules import (RoleSpan, Rule, eligible_role, preferred_from_stance, score_sponsorship,
                                   score_vote, total)
from tracker.scoring.settings import ScoringSettings

POOLED = "*"
VOTE_KINDS = ("floor_vote", "committee_vote")
SPONSOR_KINDS = ("sponsorship", "cosponsorship")
_CHUNK = 500


@dataclass
class RecomputeStats:
    items: int = 0
    cells: int = 0
    unmatched: int = 0
    legislators: int = 0
    missing: list[str] = field(default_factory=list)


def _chunks(values: list, n: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(values), n):
        yield values[i:i + n]


def load_roles(db: Session, jurisdiction: str) -> dict[int, list[RoleSpan]]:
    """Every seat held in the jurisdiction, by legislator, newest first."""
    rows = db.exec(select(LegislatorRole.legislator_id, LegislatorRole.jurisdiction_id,
                          LegislatorRole.chamber, LegislatorRole.start_date, LegislatorRole.end_date,
                          LegislatorRole.district, LegislatorRole.party)
                   .where(LegislatorRole.jurisdiction_id == jurisdiction)).all()
    roles: dict[int, list[RoleSpan]] = defaultdict(list)
    for lid, j, chamber, start, end, district, party in rows:
        roles[lid].append(RoleSpan(j, chamber, start, end, district, party))
    for spans in roles.values():
        spans.sort(key=lambda r: r.start or dt.date.min, reverse=True)
    return roles


def preferred_for(db: Session, card: Scorecard, item: ScoredItem) -> str | None:
    """Staff's preferred option, or the one following the coalition's stance on the bill."""
    if item.preferred_source != "stance":
        return item.preferred
    stance = db.exec(select(Position.stance).where(Position.coalition_id == card.coalition_id,
                                                   Position.bill_key == item.bill_key)).scalars().first()
    return preferred_from_stance(stance)


def _cell(card: Scorecard, item: ScoredItem, key: str, rule, **kw) -> dict:
    agreement = rule.agreement if kw.get("eligible") else None
    weight = item.weight
    return {"scorecard_id": card.id, "item_id": item.id, "cell_key": key, "rule": rule.rule,
            "agreement": agreement, "weight": weight,
            "points": weight * agreement if agreement is not None else 0.0,
            "session": item.session, "legislator_id": None, "vote_event_key": None, "source_url": None,
            "raw_name": None, "match_method": None, "match_confidence": None, "option": None,
            "raw_option": None, "eligible": False} | kw | {"agreement": agreement}


def vote_cells(db: Session, card: Scorecard, item: ScoredItem, s: ScoringSettings,
               roles: dict[int, list[RoleSpan]]) -> list[dict] | None:
    """Cells of a roll-call item: every recorded vote, plus absent members for floor votes."""
    ev = db.exec(select(VoteEvent.id, VoteEvent.date, VoteEvent.chamber, VoteEvent.result,
                        VoteEvent.source_url, VoteEvent.jurisdiction_id, LegislativeSession.identifier)
                 .outerjoin(LegislativeSession, LegislativeSession.id == VoteEvent.session_id)
                 .where(VoteEvent.key == item.vote_event_key)).first()
    if ev is None:
        return None
    ev_id, date, chamber, result, url, jurisdiction, session_ident = ev
    item.session = item.session or session_ident
    preferred = preferred_for(db, card, item)
    base = {"vote_event_key": item.vote_event_key, "source_url": url}
    cells, seen = [], set()
    rows = db.exec(select(PersonVote.id, PersonVote.legislator_id, PersonVote.voter_name,
                          PersonVote.option, PersonVote.raw_option, PersonVote.match_method,
                          PersonVote.match_confidence)
                   .where(PersonVote.vote_event_id == ev_id).order_by(PersonVote.id)).all()
    for pv_id, lid, name, option, raw_option, method, conf in rows:
        audit = base | {"raw_name": name, "option": option, "raw_option": raw_option,
                        "match_method": method, "match_confidence": conf}
        if lid is None:
            rule = Rule(None, "unmatched: the printed name is not matched to a legislator")
            cells.append(_cell(card, item, f"name:{pv_id}", rule, **audit))
            continue
        if lid in seen:
            rule = Rule(None, "duplicate: a second vote by the same legislator")
            cells.append(_cell(card, item, f"name:{pv_id}", rule, legislator_id=None, **audit))
            continue
        seen.add(lid)
        role = eligible_role(roles.get(lid, ()), jurisdiction, chamber, date)
        if role is None:
            rule = Rule(None, "not a member of that body on that date")
            cells.append(_cell(card, item, f"leg:{lid}", rule, legislator_id=lid, **audit))
            continue
        cells.append(_cell(card, item, f"leg:{lid}", score_vote(option, preferred, result, s),
                           legislator_id=lid, eligible=True, **audit))
    if item.kind == "floor_vote" and s.missing_from_roll == "absent":
        # Members of the body who are not on the roll at all count as absent when the scorecard
        # says so (most sources list every sitting member, so by default a missing name is a
        # vacant or not-yet-filled seat and is not scored); shown as "not recorded".
        for lid, spans in roles.items():
            if lid in seen or eligible_role(spans, jurisdiction, chamber, date) is None:
                continue
            cells.append(_cell(card, item, f"leg:{lid}", score_vote("not recorded", preferred, result, s),
                               legislator_id=lid, eligible=True, option="not recorded", **base))
    return cells


def sponsor_cells(db: Session, card: Scorecard, item: ScoredItem, s: ScoringSettings,
                  roles: dict[int, list[RoleSpan]]) -> list[dict] | None:
    """Cells of a sponsorship or cosponsorship item of a bill."""
    bill = db.exec(select(Bill.id, Bill.introduced_date, Bill.origin_chamber, Bill.source_url,
                          Bill.jurisdiction_id, LegislativeSession.identifier)
                   .join(LegislativeSession, LegislativeSession.id == Bill.session_id)
                   .where(Bill.key == item.bill_key)).first()
    if bill is None:
        return None
    bill_id, introduced, chamber, url, jurisdiction, session_ident = bill
    item.session = item.session or session_ident
    preferred = preferred_for(db, card, item)
    want_primary = item.kind == "sponsorship"
    rows = db.exec(select(Sponsorship.id, Sponsorship.legislator_id, Sponsorship.name,
                          Sponsorship.primary, Sponsorship.withdrawn_date, Sponsorship.match_method,
                          Sponsorship.match_confidence, Sponsorship.date)
                   .where(Sponsorship.bill_id == bill_id).order_by(Sponsorship.position)).all()
    cells, seen = [], set()
    for sp_id, lid, name, primary, withdrawn, method, conf, date in rows:
        if bool(primary) != want_primary:
            continue
        status = "withdrawn" if withdrawn else "sponsored"
        audit = {"source_url": url, "raw_name": name, "option": status, "match_method": method,
                 "match_confidence": conf}
        if lid is None:
            rule = Rule(None, "unmatched: the printed name is not matched to a legislator")
            cells.append(_cell(card, item, f"name:sp{sp_id}", rule, **audit))
            continue
        if lid in seen:
            continue
        seen.add(lid)
        on = date or introduced
        role = eligible_role(roles.get(lid, ()), jurisdiction, None, on) if on else (roles.get(lid) or [None])[0]
        rule = score_sponsorship(status, preferred, s) if role else \
            Rule(None, "not a member of the legislature on the sponsorship date")
        cells.append(_cell(card, item, f"leg:{lid}", rule, legislator_id=lid, eligible=role is not None,
                           **audit))
    if s.sponsorship_mode == "scored" and introduced:
        for lid, spans in roles.items():
            if lid not in seen and eligible_role(spans, jurisdiction, chamber, introduced):
                cells.append(_cell(card, item, f"leg:{lid}", score_sponsorship(None, preferred, s),
                                   legislator_id=lid, eligible=True, option="not a sponsor", source_url=url))
    return cells


def manual_cells(db: Session, card: Scorecard, item: ScoredItem) -> list[dict]:
    rows = db.exec(select(ManualEntry.legislator_id, ManualEntry.points, ManualEntry.rationale)
                   .where(ManualEntry.item_id == item.id)).all()
    out = []
    for lid, points, rationale in rows:
        rule = Rule(max(0.0, min(1.0, points)), f"manual: {rationale}")
        out.append(_cell(card, item, f"leg:{lid}", rule, legislator_id=lid, eligible=True,
                         option="manual"))
    return out


def _insert_cells(db: Session, cells: list[dict]) -> None:
    # Core inserts (executemany) on the table: the ORM's bulk path is several times slower here.
    conn = db.connection()
    for chunk in _chunks(cells, 5000):
        conn.execute(insert(ScoreCell.__table__), chunk)


def resummarize(db: Session, card: Scorecard, s: ScoringSettings, roles: dict[int, list[RoleSpan]],
                legislator_ids: set[int] | None) -> int:
    """Re-add the summaries of `legislator_ids` (None = everyone) from the stored cells."""
    counted = and_(ScoreCell.eligible, ScoreCell.agreement.is_not(None))
    manual = ScoredItem.kind == "manual"
    q = (select(ScoreCell.legislator_id, ScoreCell.session,
                func.sum(case((counted, ScoreCell.points), else_=0.0)),
                func.sum(case((counted, ScoreCell.weight), else_=0.0)),
                func.sum(case((counted, 1), else_=0)),
                func.sum(case((ScoreCell.eligible, 1), else_=0)),
                func.sum(case((and_(counted, manual), ScoreCell.points), else_=0.0)),
                func.sum(case((and_(counted, manual), ScoreCell.weight), else_=0.0)))
         .join(ScoredItem, ScoredItem.id == ScoreCell.item_id)
         .where(ScoreCell.scorecard_id == card.id, ScoreCell.legislator_id.is_not(None))
         .group_by(ScoreCell.legislator_id, ScoreCell.session))
    rows = []
    if legislator_ids is None:
        db.execute(delete(ScoreSummary).where(ScoreSummary.scorecard_id == card.id))
        rows = db.exec(q).all()
    else:
        ids = sorted(legislator_ids)
        for chunk in _chunks(ids):
            db.execute(delete(ScoreSummary).where(ScoreSummary.scorecard_id == card.id,
                                                  ScoreSummary.legislator_id.in_(chunk)))
            rows.extend(db.exec(q.where(ScoreCell.legislator_id.in_(chunk))).all())
    sums: dict[tuple[int, str], list] = defaultdict(lambda: [0.0, 0.0, 0, 0, 0.0, 0.0])
    for lid, session, *vals in rows:
        keys = [(lid, session or "")] + ([(lid, POOLED)] if s.lifetime else [])
        for key in keys:
            acc = sums[key]
            for i, v in enumerate(vals):
                acc[i] += v or 0
    now = utcnow()
    out = []
    for (lid, session), (earned, possible, n, eligible, m_earned, m_possible) in sums.items():
        if eligible == 0:
            continue
        earned, possible = round(earned, 9), round(possible, 9)
        t = total(earned, possible, int(n), s)
        role = (roles.get(lid) or [None])[0]
        out.append({"scorecard_id": card.id, "legislator_id": lid, "session": session,
                    "earned": earned, "possible": possible, "counted": int(n), "eligible": int(eligible),
                    "manual_earned": round(m_earned, 9), "manual_possible": round(m_possible, 9),
                    "score": t.score, "grade": t.grade, "computed_at": now,
                    "chamber": role.chamber if role else None,
                    "district": role.district if role else None,
                    "party": role.party if role else None})
    conn = db.connection()
    for chunk in _chunks(out, 5000):
        conn.execute(insert(ScoreSummary.__table__), chunk)
    return len(out)


def recompute(db: Session, scorecard_id: int, item_ids: Iterable[int] | None = None) -> RecomputeStats:
    """Rebuild the cells of the scorecard's items (all, or `item_ids`) and the summaries they
    touch; bump the scorecard's version. The caller commits."""
    card = db.get(Scorecard, scorecard_id)
    if card is None:
        raise LookupError(f"no scorecard with id {scorecard_id}")
    s = ScoringSettings.from_dict(card.settings)
    q = select(ScoredItem).where(ScoredItem.scorecard_id == card.id)
    full = item_ids is None
    if not full:
        item_ids = list(item_ids)
        q = q.where(ScoredItem.id.in_(item_ids or [-1]))
    items = db.exec(q.order_by(ScoredItem.position, ScoredItem.id)).scalars().all()
    roles = load_roles(db, card.jurisdiction_id)
    stats = RecomputeStats(items=len(items))
    affected: set[int] = set()
    if full:
        db.execute(delete(ScoreCell).where(ScoreCell.scorecard_id == card.id))
    else:
        for chunk in _chunks([i.id for i in items]):
            affected.update(lid for (lid,) in db.execute(
                select(ScoreCell.legislator_id).where(ScoreCell.item_id.in_(chunk),
                                                      ScoreCell.legislator_id.is_not(None))).all())
            db.execute(delete(ScoreCell).where(ScoreCell.item_id.in_(chunk)))
    for item in items:
        if item.kind in VOTE_KINDS:
            cells = vote_cells(db, card, item, s, roles)
        elif item.kind in SPONSOR_KINDS:
            cells = sponsor_cells(db, card, item, s, roles)
        else:
            cells = manual_cells(db, card, item)
        if cells is None:  # the roll call or bill has not been imported yet
            stats.missing.append(item.slug)
            continue
        stats.cells += len(cells)
        stats.unmatched += sum(1 for c in cells if c["cell_key"].startswith("name:"))
        affected.update(c["legislator_id"] for c in cells if c["legislator_id"] is not None)
        _insert_cells(db, cells)
    stats.legislators = resummarize(db, card, s, roles, None if full else affected)
    card.version = (card.version or 0) + 1
    card.updated_at = utcnow()
    db.add(card)
    return stats


def items_for_vote(db: Session, vote_event_key: str) -> dict[int, list[int]]:
    """Scored items (by scorecard) that a changed roll call feeds."""
    rows = db.execute(select(ScoredItem.scorecard_id, ScoredItem.id)
                      .where(ScoredItem.vote_event_key == vote_event_key)).all()
    out: dict[int, list[int]] = defaultdict(list)
    for card_id, item_id in rows:
        out[card_id].append(item_id)
    return out


def items_for_position(db: Session, coalition_id: int, bill_key: str) -> dict[int, list[int]]:
    """Scored items whose preferred option follows the coalition's stance on `bill_key`."""
    rows = db.execute(select(ScoredItem.scorecard_id, ScoredItem.id)
                      .join(Scorecard, Scorecard.id == ScoredItem.scorecard_id)
                      .where(Scorecard.coalition_id == coalition_id, ScoredItem.bill_key == bill_key,
                             or_(ScoredItem.preferred_source == "stance", ScoredItem.preferred.is_(None)))).all()
    out: dict[int, list[int]] = defaultdict(list)
    for card_id, item_id in rows:
        out[card_id].append(item_id)
    return out


def refresh(db: Session, targets: dict[int, list[int]]) -> dict[int, RecomputeStats]:
    """Incrementally recompute the given items of each scorecard."""
    return {card_id: recompute(db, card_id, ids) for card_id, ids in targets.items()}
