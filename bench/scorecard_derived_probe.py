"""Probe for issue 19's schema decision: what a full recompute would cost if roll-call cells were
not stored at all (summaries aggregated straight from votes x rule table x membership test, the
same SQL as `tracker/scoring/setcells.py` without the INSERT). Reads only; rolls back.

    .venv/bin/python bench/scorecard_recompute.py --url URL   # builds the national set in URL
    .venv/bin/python bench/scorecard_derived_probe.py URL
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402
from tracker.db import get_engine  # noqa: E402
from tracker.models import Scorecard, ScoredItem  # noqa: E402
from tracker.scoring import setcells as sc  # noqa: E402
from tracker.scoring.cells import preferred_for  # noqa: E402
from tracker.scoring.settings import ScoringSettings  # noqa: E402
from tracker.vocab import VOTE_OPTIONS  # noqa: E402

AGG = f"""WITH v AS MATERIALIZED (
  SELECT si.session, pv.legislator_id, r.agreement, i.weight,
         EXISTS (SELECT 1 FROM legislator_role lr WHERE lr.legislator_id = pv.legislator_id
                 AND {sc._MEMBER.format(j="lr.jurisdiction_id || ''")}) AS el
  FROM {sc._ITEMS} i CROSS JOIN person_vote pv CROSS JOIN {sc._RULES} r CROSS JOIN vote_event ve
  CROSS JOIN scored_item si
  WHERE pv.vote_event_id = i.event_id AND r.item_id = i.item_id AND r.option = pv.option
    AND ve.id = i.event_id AND si.id = i.item_id AND pv.legislator_id IS NOT NULL)
SELECT legislator_id, COALESCE(session, ''),
  SUM(CASE WHEN el AND agreement IS NOT NULL THEN weight * agreement ELSE 0.0 END),
  SUM(CASE WHEN el AND agreement IS NOT NULL THEN weight ELSE 0.0 END),
  SUM(CASE WHEN el AND agreement IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN el THEN 1 ELSE 0 END)
FROM v GROUP BY legislator_id, COALESCE(session, '')"""
# The membership test as an outer join instead of EXISTS: a planner's hash join, but exact only
# while no legislator holds two overlapping seats of the body (true of the synthetic set).
JOINED = f"""SELECT pv.legislator_id, COALESCE(si.session, ''),
  SUM(CASE WHEN lr.id IS NOT NULL AND r.agreement IS NOT NULL THEN i.weight * r.agreement ELSE 0.0 END),
  SUM(CASE WHEN lr.id IS NOT NULL AND r.agreement IS NOT NULL THEN i.weight ELSE 0.0 END),
  SUM(CASE WHEN lr.id IS NOT NULL AND r.agreement IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN lr.id IS NOT NULL THEN 1 ELSE 0 END)
FROM {sc._ITEMS} i JOIN vote_event ve ON ve.id = i.event_id JOIN scored_item si ON si.id = i.item_id
JOIN person_vote pv ON pv.vote_event_id = i.event_id
JOIN {sc._RULES} r ON r.item_id = i.item_id AND r.option = pv.option
LEFT JOIN legislator_role lr ON lr.legislator_id = pv.legislator_id AND {sc._MEMBER.format(j="lr.jurisdiction_id || ''")}
WHERE pv.legislator_id IS NOT NULL
GROUP BY pv.legislator_id, COALESCE(si.session, '')"""


def probe(url: str, sql: str) -> tuple[float, int]:
    """Seconds and (legislator, session) keys of the summaries of every scorecard by `sql`."""
    eng = get_engine(url)
    total, rows = 0.0, 0
    with Session(eng) as db:
        for card in db.execute(select(Scorecard)).scalars().all():
            s = ScoringSettings.from_dict(card.settings)
            items = db.execute(select(ScoredItem).where(ScoredItem.scorecard_id == card.id)).scalars().all()
            conn = db.connection()
            t0 = time.perf_counter()
            events = sc._events(conn, [i.vote_event_key for i in items])
            irows, ritems = [], []
            for it in items:
                ev_id, result, ident = events[it.vote_event_key]
                it.session = it.session or ident
                irows.append((it.id, ev_id, float(it.weight), False))
                ritems.append((it.id, preferred_for(db, card, it), result))
            sc._temp_tables(conn)
            db.flush()  # the items' sessions, read in SQL
            sc.run_sql(conn, f"INSERT INTO {sc._ITEMS} VALUES (?, ?, ?, ?)", irows)
            sc.run_sql(conn, f"INSERT INTO {sc._RULES} VALUES (?, ?, ?, ?)",
                       sc._rules(conn, ritems, sorted(VOTE_OPTIONS), s))
            rows += len(sc.run_sql(conn, sql, (card.jurisdiction_id,)).all())
            total += time.perf_counter() - t0
        db.rollback()
    return total, rows


if __name__ == "__main__":
    for name, sql in (("EXISTS", AGG), ("outer join", JOINED)):
        secs, keys = probe(sys.argv[1], sql)
        print(f"derived probe ({name} membership): summaries of {keys} (legislator, session) keys "
              f"straight from the votes in {secs:.2f} s")
