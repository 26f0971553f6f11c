"""Issue 19: the pass after an import that tries unmatched sponsors and votes again reads
nothing when the store holds no legislator (a first import into a new store), and that skip
loses nothing: the full pass would have changed no row."""
from __future__ import annotations

from sqlalchemy import event, text
from sqlmodel import Session

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.ingest import Ingestor
from tracker.people.matching import resolve_pending
from tracker.people.pending import rematch_unmatched

ROWS = ("SELECT 's', id, legislator_id, match_method, match_confidence FROM sponsorship UNION ALL "
        "SELECT 'v', id, legislator_id, match_method, match_confidence FROM person_vote ORDER BY 1, 2")


def test_no_legislators_no_pass_and_nothing_lost(engine):
    folder = real_fixture("billstatus")
    report = Ingestor(engine).ingest(iter_records(plan([folder])), keep_results=False)
    assert report.counts["insert"] >= 13 and not report.counts.get("error")
    with engine.connect() as conn:
        before = conn.execute(text(ROWS)).all()
    assert sum(1 for r in before if r[0] == "s" and r[2] is None) > 100  # many rows left unmatched

    statements = []

    def seen(_conn, _cursor, statement, *_rest):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert resolve_pending(engine) == 0
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and "legislator" in statements[0].lower()

    with Session(engine) as session:  # what the skipped pass would have done: nothing
        assert rematch_unmatched(session) == 0
        session.commit()
    with engine.connect() as conn:
        assert conn.execute(text(ROWS)).all() == before
