"""Cells of roll-call items and sums of cells in set-based form (issue 19): a national recompute
writes about 1.5 million cells, so they are made by INSERT ... SELECT, never row by row in Python.

The rules stay in `tracker.scoring.rules`: they are evaluated in Python once per (item, option)
into a small temporary rule table, and the database joins every recorded vote with it. Who was a
member of the voting body on the day (`rules.eligible_role`) is the same test written in SQL.
Every cell keeps its audit columns (printed name, match, option, rule, agreement, weight); the
rule words are stored once (`tracker.scoring.ruletext`) and the temporary rule table carries their
ids, so a cell row is a few numbers and short texts (issue 19: narrow cells).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from tracker.models import LegislativeSession, PersonVote, ScoreCell, Scorecard, ScoredItem, VoteEvent
from tracker.scoring.cells import CELL_COLUMNS, NOT_MEMBER, UNMATCHED, preferred_for
from tracker.scoring.rules import score_vote
from tracker.scoring.ruletext import rule_ids
from tracker.scoring.settings import ScoringSettings
from tracker.store.keyed import key_filters
from tracker.store.statements import run_batch
from tracker.vocab import VOTE_OPTIONS

POOLED = "*"
ABSENT_OPTION = "not recorded"
_CHUNK = 500
_ITEMS, _RULES = "score_tmp_item", "score_tmp_rule"
_COLS = ", ".join(CELL_COLUMNS)
# rules.eligible_role in SQL: a role in the scorecard's jurisdiction (and the vote's), in the
# vote's chamber (a vote without chamber, or a "legislature" chamber on either side, accepts any),
# started by the vote's date and not yet ended (the end date is exclusive). `{j}` is the
# jurisdiction column as written: `lr.jurisdiction_id || ''` keeps SQLite, which has no statistics
# on the temporary tables, from looking up 740 roles by jurisdiction when one legislator's will do.
_MEMBER = ("{j} = ? AND lr.jurisdiction_id = ve.jurisdiction_id"
           " AND (ve.chamber IS NULL OR ve.chamber = '' OR lr.chamber = ve.chamber"
           " OR ve.chamber = 'legislature' OR lr.chamber = 'legislature')"
           " AND (lr.start_date IS NULL OR ve.date >= lr.start_date)"
           " AND (lr.end_date IS NULL OR ve.date < lr.end_date)")


def _chunks(values: list, n: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(values), n):
        yield values[i:i + n]


def run_sql(conn: Connection, sql: str, params=()):
    """Run SQL written with ? placeholders on any dialect (executemany for a list of tuples)."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    return conn.exec_driver_sql(sql, params if isinstance(params, list) else tuple(params))


def _temp_tables(conn: Connection) -> None:
    """Empty work tables. On PostgreSQL they are emptied at every commit and kept by the connection
    (made once per connection: creating them in every transaction cost about 1 ms each); a pooler
    that hands the connection to another client hands over empty tables."""
    tail = " ON COMMIT DELETE ROWS" if conn.dialect.name == "postgresql" else ""
    run_batch(conn, [f"CREATE TEMP TABLE IF NOT EXISTS {_ITEMS} (item_id INTEGER PRIMARY KEY, event_id INTEGER"
                     f" NOT NULL, weight FLOAT NOT NULL, absent BOOLEAN NOT NULL){tail}",
                     f"CREATE TEMP TABLE IF NOT EXISTS {_RULES} (item_id INTEGER NOT NULL, option VARCHAR NOT NULL,"
                     f" rule_id INTEGER NOT NULL, agreement FLOAT, PRIMARY KEY (item_id, option)){tail}",
                     f"DELETE FROM {_ITEMS}", f"DELETE FROM {_RULES}"])


def _plan_with_statistics(conn: Connection) -> None:
    """PostgreSQL: statistics of the filled work tables, and no JIT for the rest of the transaction.

    Without statistics the planner guessed 1,810 items and merge-joined them with the whole votes
    index (1.6 M rows read for one scorecard's 148,000); with them it reads each item's votes, but
    its estimate then passes `jit_above_cost` and compiling took 0.36 s of a 1.3 s statement, to
    save nothing (EXPLAIN ANALYZE, 2026-12-04). `SET LOCAL` ends with the transaction."""
    run_batch(conn, [f"ANALYZE {_ITEMS}", f"ANALYZE {_RULES}", "SET LOCAL jit = off"])


def _events(conn: Connection, keys: list[str]) -> dict[str, tuple]:
    """(id, result, session identifier, number of recorded votes) of each roll call by key. The
    count (an index-only read) tells whether every vote got its cell."""
    votes = (select(func.count()).select_from(PersonVote).where(PersonVote.vote_event_id == VoteEvent.id)
             .scalar_subquery())
    out = {}
    for cond in key_filters(conn, VoteEvent.key, keys):
        for key, *ev in conn.execute(
                select(VoteEvent.key, VoteEvent.id, VoteEvent.result, LegislativeSession.identifier, votes)
                .outerjoin(LegislativeSession, LegislativeSession.id == VoteEvent.session_id)
                .where(cond)).all():
            out[key] = tuple(ev)
    return out


def _rules(conn: Connection, items: list[tuple], options: Iterable[str], s: ScoringSettings,
           extra: tuple[str, ...] = ()) -> tuple[list[tuple], dict[str, int]]:
    """(item id, option, rule id, agreement) for every option of every item, one rules call
    per distinct (option, preferred, outcome); and the ids of the rule words, those of `extra`
    included (looked up in the same query)."""
    memo: dict = {}
    rows = []
    for item_id, preferred, result in items:
        for option in options:
            rule = memo.get((option, preferred, result))
            if rule is None:
                rule = memo[(option, preferred, result)] = score_vote(option, preferred, result, s)
            rows.append((item_id, option, rule.rule, rule.agreement))
    ids = rule_ids(conn, [*extra, *(r[2] for r in rows)])
    return [(item_id, option, ids[words], agreement) for item_id, option, words, agreement in rows], ids


def _insert_votes(conn: Connection, card: Scorecard, not_member: int, only_options: list[str] | None = None) -> int:
    """Cells of matched votes; eligibility decides between the item's rule and "not a member"."""
    extra = f" AND pv.option IN ({', '.join('?' for _ in only_options)})" if only_options else ""
    # INSERT first: the sqlite3 module reports a row count only for statements starting with it.
    sql = f"""INSERT INTO score_cell ({_COLS})
WITH v AS MATERIALIZED (
      SELECT i.item_id, i.weight, pv.legislator_id, pv.voter_name, pv.match_method, pv.match_confidence,
             pv.option, pv.raw_option, r.rule_id, r.agreement,
             EXISTS (SELECT 1 FROM legislator_role lr
                     WHERE lr.legislator_id = pv.legislator_id AND {_MEMBER.format(j="lr.jurisdiction_id || ''")}) AS el
      FROM {_ITEMS} i CROSS JOIN person_vote pv CROSS JOIN {_RULES} r CROSS JOIN vote_event ve
      WHERE pv.vote_event_id = i.event_id AND r.item_id = i.item_id AND r.option = pv.option
        AND ve.id = i.event_id AND pv.legislator_id IS NOT NULL{extra})
SELECT ?, item_id, legislator_id, legislator_id, voter_name, match_method, match_confidence, option, raw_option,
       CASE WHEN el THEN rule_id ELSE ? END, CASE WHEN el THEN agreement END, weight,
       CASE WHEN el AND agreement IS NOT NULL THEN weight * agreement ELSE 0.0 END, el
FROM v"""
    # MATERIALIZED: the membership test runs once per vote (inlined, both engines would repeat it
    # for each of the four uses of `el`). CROSS JOIN fixes SQLite's join order (items, their
    # votes, then one rule lookup per vote); PostgreSQL plans it as any inner join.
    # No duplicate-vote case here: person_vote is unique on (vote_event_id, legislator_id).
    return run_sql(conn, sql, (card.jurisdiction_id, *(only_options or ()), card.id, not_member)).rowcount


def _insert_unmatched(conn: Connection, card: Scorecard, unmatched: int) -> int:
    """Printed names not matched to a legislator: kept, never counted."""
    sql = f"""INSERT INTO score_cell ({_COLS})
SELECT ?, i.item_id, -pv.id, NULL, pv.voter_name, pv.match_method, pv.match_confidence, pv.option, pv.raw_option,
       ?, NULL, i.weight, 0.0, (1 = 0)
FROM {_ITEMS} i CROSS JOIN person_vote pv
WHERE pv.vote_event_id = i.event_id AND pv.legislator_id IS NULL"""
    return run_sql(conn, sql, (card.id, unmatched)).rowcount


def _insert_absent(conn: Connection, card: Scorecard) -> int:
    """Members of the body missing from a floor roll call, when the scorecard counts them absent."""
    sql = f"""INSERT INTO score_cell ({_COLS})
SELECT DISTINCT ?, i.item_id, lr.legislator_id, lr.legislator_id, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
       CAST(NULL AS FLOAT), ?, CAST(NULL AS VARCHAR), r.rule_id, r.agreement, i.weight,
       CASE WHEN r.agreement IS NOT NULL THEN i.weight * r.agreement ELSE 0.0 END, (1 = 1)
FROM {_ITEMS} i JOIN vote_event ve ON ve.id = i.event_id
JOIN {_RULES} r ON r.item_id = i.item_id AND r.option = ?
JOIN legislator_role lr ON {_MEMBER.format(j="lr.jurisdiction_id")}
WHERE i.absent AND NOT EXISTS (SELECT 1 FROM person_vote pv
                               WHERE pv.vote_event_id = i.event_id AND pv.legislator_id = lr.legislator_id)"""
    return run_sql(conn, sql, (card.id, ABSENT_OPTION, ABSENT_OPTION, card.jurisdiction_id)).rowcount


def write_vote_cells(db: Session, card: Scorecard, items: list[ScoredItem], s: ScoringSettings,
                     missing: set[str]) -> tuple[int, int]:
    """Write the cells of roll-call items in a few statements; returns (cells, unmatched).
    Items whose roll call is not imported yet are added to `missing`; sets items' sessions."""
    if not items:
        return 0, 0
    conn = db.connection()
    events = _events(conn, [i.vote_event_key for i in items])
    item_rows, rule_items, votes = [], [], 0
    for item in items:
        ev = events.get(item.vote_event_key)
        if ev is None:
            missing.add(item.slug)
            continue
        ev_id, result, ident, count = ev
        votes += count
        item.session = item.session or ident
        absent = item.kind == "floor_vote" and s.missing_from_roll == "absent"
        item_rows.append((item.id, ev_id, float(item.weight), absent))
        rule_items.append((item.id, preferred_for(db, card, item), result))
    if not item_rows:
        return 0, 0
    _temp_tables(conn)
    known = sorted(VOTE_OPTIONS | {ABSENT_OPTION})
    run_sql(conn, f"INSERT INTO {_ITEMS} VALUES (?, ?, ?, ?)", item_rows)
    rules, fixed = _rules(conn, rule_items, known, s, (NOT_MEMBER.rule, UNMATCHED.rule))
    run_sql(conn, f"INSERT INTO {_RULES} VALUES (?, ?, ?, ?)", rules)
    if conn.dialect.name == "postgresql":
        _plan_with_statistics(conn)
    cells = _insert_votes(conn, card, fixed[NOT_MEMBER.rule])
    unmatched = _insert_unmatched(conn, card, fixed[UNMATCHED.rule])
    # Every vote has its cell unless its option is outside the vocabulary (written by hand).
    if cells + unmatched < votes:  # rare, so the odd options are looked up only then
        odd = sorted(o for o in run_sql(conn, f"SELECT DISTINCT pv.option FROM {_ITEMS} i CROSS JOIN person_vote pv"
                                           " WHERE pv.vote_event_id = i.event_id").scalars() if o not in known)
        if odd:
            run_sql(conn, f"INSERT INTO {_RULES} VALUES (?, ?, ?, ?)", _rules(conn, rule_items, odd, s)[0])
            cells += _insert_votes(conn, card, fixed[NOT_MEMBER.rule], odd)
    if s.missing_from_roll == "absent":
        cells += _insert_absent(conn, card)
    if conn.dialect.name != "postgresql":  # PostgreSQL empties them at the commit
        run_batch(conn, [f"DELETE FROM {_ITEMS}", f"DELETE FROM {_RULES}"])
    return cells + unmatched, unmatched


def _sums_sql(manual_items: set[int], cells: str, extra: str) -> str:
    """One GROUP BY of cells (`cells`: the table, or a CTE of the same columns named c)."""
    counted = "c.eligible AND c.agreement IS NOT NULL"
    manual = (f"c.item_id IN ({', '.join(str(int(i)) for i in sorted(manual_items))})" if manual_items
              else "1 = 0")
    return f"""SELECT c.legislator_id, COALESCE(si.session, ''),
       SUM(CASE WHEN {counted} THEN c.points ELSE 0.0 END), SUM(CASE WHEN {counted} THEN c.weight ELSE 0.0 END),
       SUM(CASE WHEN {counted} THEN 1 ELSE 0 END), SUM(CASE WHEN c.eligible THEN 1 ELSE 0 END),
       SUM(CASE WHEN {counted} AND {manual} THEN c.points ELSE 0.0 END),
       SUM(CASE WHEN {counted} AND {manual} THEN c.weight ELSE 0.0 END)
FROM scored_item si JOIN {cells} ON c.item_id = si.id
WHERE si.scorecard_id = ? AND c.cell_ref > 0{extra}
GROUP BY c.legislator_id, COALESCE(si.session, '')"""


def _add_sums(rows, s: ScoringSettings, sign: int, sums: dict) -> None:
    pooled = s.lifetime
    for lid, session, *vals in rows:
        vals = [sign * (v or 0) for v in vals]
        for key in ((lid, session), (lid, POOLED)) if pooled and vals[3] else ((lid, session),):
            sums[key] = [a + v for a, v in zip(sums[key], vals)]


def _new_sums(into: dict | None) -> dict:
    return into if into is not None else defaultdict(lambda: [0.0, 0.0, 0, 0, 0.0, 0.0])


def cell_sums(db: Session, card_id: int, s: ScoringSettings, manual_items: set[int],
              item_ids: list[int] | None = None, sign: int = 1, into: dict | None = None) -> dict:
    """Per (legislator, item's session) sums of the stored cells (all of the scorecard's, or of
    `item_ids`), pooled too if lifetime: earned, possible, counted, eligible, manual earned and
    possible. One GROUP BY; a key with no eligible cell is kept (so its summary is looked at)."""
    sums = _new_sums(into)
    conn = db.connection()
    pg = conn.dialect.name == "postgresql"
    if item_ids is not None and pg:
        batches = [(" AND si.id = ANY(?::INTEGER[])", (card_id, sorted(set(item_ids))))]
    elif item_ids is not None:
        batches = [(f" AND si.id IN ({', '.join('?' for _ in batch)})", (card_id, *batch))
                   for batch in _chunks(sorted(item_ids))]
    elif pg:
        # the scorecard's cells by the (item_id, cell_ref) index: joined as written, PostgreSQL
        # scanned every scorecard's cells (147 ms for 1 card of 10 against 69-106 ms)
        batches = [(" AND c.item_id = ANY(ARRAY(SELECT id FROM scored_item WHERE scorecard_id = ?))",
                    (card_id, card_id))]
    else:
        batches = [("", (card_id,))]
    for extra, params in batches:
        _add_sums(run_sql(conn, _sums_sql(manual_items, "score_cell c", extra), params).all(), s, sign, sums)
    return sums


def delete_cells(db: Session, item_ids: list[int]) -> None:
    """Delete the cells of `item_ids`, through the cells' key (item_id, cell_ref)."""
    for cond in key_filters(db.connection(), ScoreCell.item_id, item_ids):
        db.execute(delete(ScoreCell).where(cond).execution_options(synchronize_session=False))


def drop_cells(db: Session, card_id: int, s: ScoringSettings, manual_items: set[int], item_ids: list[int],
               into: dict | None = None) -> dict:
    """Delete the cells of `item_ids` and subtract their sums (the old side of a delta). On
    PostgreSQL the deleted rows are summed in the same statement (`DELETE ... RETURNING` in a
    CTE): the cells are read once, in one round trip."""
    sums = _new_sums(into)
    conn = db.connection()
    if conn.dialect.name != "postgresql":
        cell_sums(db, card_id, s, manual_items, item_ids, -1, into=sums)
        delete_cells(db, item_ids)
        return sums
    gone = ("WITH c AS (DELETE FROM score_cell WHERE item_id = ANY(?::INTEGER[])"
            " RETURNING item_id, cell_ref, legislator_id, eligible, agreement, points, weight) ")
    rows = run_sql(conn, gone + _sums_sql(manual_items, "c", ""), (sorted(set(item_ids)), card_id)).all()
    _add_sums(rows, s, -1, sums)
    return sums
