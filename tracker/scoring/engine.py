"""Persistence of scores: build the auditable cells of a scorecard's items (`tracker.scoring.cells`)
and keep the summaries of the legislators they touch.

`recompute(item_ids=None)` rebuilds every cell and summary from scratch (the reference);
with item ids it rebuilds only those items' cells and moves the summaries of the legislators
they touch by the difference between their old and new cells (a delta, so an update costs the
changed items, not every cell of every touched legislator). Both give the same numbers: sums are
rounded to 9 decimals, far below any score's rounding, so the order of additions never shows.
Roll-call cells are written set-based by `tracker.scoring.setcells` (INSERT ... SELECT) and the
sums come from one GROUP BY over the stored cells; the few (co)sponsorship and manual cells are
built in Python and written with executemany (SQLite) or COPY (PostgreSQL). Cells are narrow
(issue 19): the session of a sum is the item's, the rule words an id (`tracker.scoring.ruletext`).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from tracker.models import (LegislatorRole, Position, ScoreCell, Scorecard, ScoredItem,  # noqa: F401
                            ScoreSummary)
from tracker.models.base import utcnow
from tracker.store.keyed import delete_keys, key_filters, update_rows
from tracker.store.rows import insert_rows
from tracker.scoring.cells import CELL_COLUMNS, RULE_AT, manual_cells, sponsor_cells
from tracker.scoring.setcells import POOLED, cell_sums, delete_cells, drop_cells, run_sql, write_vote_cells  # noqa: F401 - POOLED re-exported
from tracker.scoring.rules import RoleSpan, total
from tracker.scoring.ruletext import rule_ids
from tracker.scoring.settings import ScoringSettings

VOTE_KINDS = ("floor_vote", "committee_vote")
SPONSOR_KINDS = ("sponsorship", "cosponsorship")
# Per (legislator, session): earned, possible, counted, eligible, manual earned, manual possible.
_ZERO = (0.0, 0.0, 0, 0, 0.0, 0.0)


@dataclass
class RecomputeStats:
    items: int = 0
    cells: int = 0
    unmatched: int = 0
    legislators: int = 0
    missing: list[str] = field(default_factory=list)


def load_roles(db: Session, jurisdiction: str) -> dict[int, list[RoleSpan]]:
    """Every seat held in the jurisdiction, by legislator, newest first."""
    rows = db.connection().execute(select(LegislatorRole.legislator_id, LegislatorRole.jurisdiction_id,
                             LegislatorRole.chamber, LegislatorRole.start_date, LegislatorRole.end_date,
                             LegislatorRole.district, LegislatorRole.party)
                      .where(LegislatorRole.jurisdiction_id == jurisdiction)).all()
    roles: dict[int, list[RoleSpan]] = defaultdict(list)
    for lid, j, chamber, start, end, district, party in rows:
        roles[lid].append(RoleSpan(j, chamber, start, end, district, party))
    for spans in roles.values():
        spans.sort(key=lambda r: r.start or dt.date.min, reverse=True)
    return roles


def seats(db: Session, jurisdiction: str) -> dict[int, tuple]:
    """(chamber, district, party) of each legislator's newest seat in the jurisdiction, as a
    summary shows it: `load_roles`' first span, without building every span (issue 19: one roll
    call's update needs only this)."""
    R = LegislatorRole
    rows = db.connection().execute(
        select(R.legislator_id, R.chamber, R.district, R.party).where(R.jurisdiction_id == jurisdiction)
        # oldest first, so the newest is the one kept; among equal starts the lowest id (as
        # load_roles' stable sort of rows read in id order)
        .order_by(R.start_date.is_not(None), R.start_date, R.id.desc())).all()
    return {lid: (chamber, district, party) for lid, chamber, district, party in rows}


# --- writing cells ---------------------------------------------------------------------------


def write_cells(db: Session, cells: list[tuple]) -> None:
    """Insert cell tuples (rule words at `RULE_AT`, stored as their id)."""
    if not cells:
        return
    ids = rule_ids(db.connection(), (c[RULE_AT] for c in cells))
    insert_rows(db.connection(), ScoreCell.__table__, CELL_COLUMNS,
                [(*c[:RULE_AT], ids[c[RULE_AT]], *c[RULE_AT + 1:]) for c in cells])


# --- summaries -------------------------------------------------------------------------------


SUMMARY_COLUMNS = ("scorecard_id", "legislator_id", "session", "earned", "possible", "counted", "eligible",
                   "manual_earned", "manual_possible", "score", "grade", "computed_at", "chamber", "district",
                   "party")


class SummaryRows:
    """Summary tuples (SUMMARY_COLUMNS order) of one scorecard at one time. Score and grade are
    computed once per distinct (earned, possible, counted): members of a body often share them,
    and `total` (decimal rounding, grade bands) is most of a row's cost."""

    _NO_SEAT = (None, None, None)

    def __init__(self, card: Scorecard, s: ScoringSettings, seats: dict[int, tuple], now):
        self.card_id, self.s, self.seats, self.now = card.id, s, seats, now
        self._totals: dict[tuple, tuple] = {}

    def row(self, lid: int, session: str, vals) -> tuple | None:
        """The summary of `vals` (sums per `_ZERO`); None when no item was eligible."""
        earned, possible, n, eligible, m_earned, m_possible = vals
        if int(eligible) <= 0:
            return None
        earned, possible, n = round(earned, 9) + 0.0, round(possible, 9) + 0.0, int(n)
        key = (earned, possible, n)
        scored = self._totals.get(key)
        if scored is None:
            t = total(earned, possible, n, self.s)
            scored = self._totals[key] = (t.score, t.grade)
        return (self.card_id, lid, session, earned, possible, n, int(eligible), round(m_earned, 9) + 0.0,
                round(m_possible, 9) + 0.0, *scored, self.now, *self.seats.get(lid, self._NO_SEAT))


def _write_summaries(db: Session, rows: list[tuple]) -> None:
    """Plain tuples, no per-row parameter dicts (COPY on PostgreSQL: 1,480 rows took 44 ms by
    executemany, most of one roll call's update)."""
    insert_rows(db.connection(), ScoreSummary.__table__, SUMMARY_COLUMNS, rows)


def apply_deltas(db: Session, card: Scorecard, s: ScoringSettings, seats: dict[int, tuple],
                 deltas: dict[tuple[int, str], list]) -> int:
    """Move the touched summaries by `deltas` (existing + delta): a stored summary is updated in
    place, a new one inserted, one left with no eligible item deleted. Returns how many summaries
    were written. (In place: on PostgreSQL an update of columns no index or key covers writes no
    index entry and checks no foreign key; the delete and insert of every touched row did both.)"""
    conn = db.connection()
    current: dict[tuple[int, str], tuple] = {}
    T = ScoreSummary
    for cond in key_filters(conn, T.legislator_id, [lid for lid, _ in deltas]):
        for sid, lid, session, *vals in conn.execute(select(
                T.id, T.legislator_id, T.session, T.earned, T.possible, T.counted, T.eligible,
                T.manual_earned, T.manual_possible).where(T.scorecard_id == card.id, cond)).all():
            current[(lid, session)] = (sid, vals)
    rows, updates, inserts, gone = SummaryRows(card, s, seats, utcnow()), [], [], []
    for key, delta in deltas.items():
        sid, old = current.get(key, (None, _ZERO))
        row = rows.row(key[0], key[1], [(o or 0) + d for o, d in zip(old, delta)])
        if row is None:
            if sid is not None:
                gone.append(sid)
        elif sid is None:
            inserts.append(row)
        else:
            updates.append((sid, *row[3:]))
    delete_keys(conn, T.__table__, "id", gone)
    update_rows(conn, T.__table__, "id", SUMMARY_COLUMNS[3:], updates)
    _write_summaries(db, inserts)
    return len(updates) + len(inserts)


# --- recompute -------------------------------------------------------------------------------


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
    items = db.execute(q.order_by(ScoredItem.position, ScoredItem.id)).scalars().all()
    # the sums read only these items' cells (all of the scorecard's when full)
    manual_items = {i.id for i in items if i.kind == "manual"}
    roles = load_roles(db, card.jurisdiction_id) if any(i.kind in SPONSOR_KINDS for i in items) else {}
    seated = seats(db, card.jurisdiction_id)
    stats = RecomputeStats(items=len(items))
    ids = [i.id for i in items]
    sums = defaultdict(lambda: list(_ZERO))
    if full:
        delete_cells(db, ids)
    else:
        drop_cells(db, card.id, s, manual_items, ids, into=sums)
    missing: set[str] = set()
    stats.cells, stats.unmatched = write_vote_cells(db, card, [i for i in items if i.kind in VOTE_KINDS], s,
                                                    missing)
    for item in items:  # (co)sponsorship and manual items: few cells each, built in Python
        if item.kind in VOTE_KINDS:
            continue
        if item.kind in SPONSOR_KINDS:
            cells = sponsor_cells(db, card, item, s, roles)
        else:
            cells = manual_cells(db, card, item)
        if cells is None:  # the bill has not been imported yet
            missing.add(item.slug)
            continue
        stats.cells += len(cells)
        stats.unmatched += sum(1 for c in cells if c[3] is None)
        write_cells(db, cells)
    stats.missing = [i.slug for i in items if i.slug in missing]
    db.flush()  # the sums read the items' sessions (set while writing cells) in SQL
    if full:
        db.execute(delete(ScoreSummary).where(ScoreSummary.scorecard_id == card.id))
        summary = SummaryRows(card, s, seated, utcnow())
        rows = [r for (lid, sess), vals in cell_sums(db, card.id, s, manual_items).items()
                if (r := summary.row(lid, sess, vals)) is not None]
        _write_summaries(db, rows)
        stats.legislators = len(rows)
    else:
        cell_sums(db, card.id, s, manual_items, ids, 1, into=sums)
        stats.legislators = apply_deltas(db, card, s, seated, sums)
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
