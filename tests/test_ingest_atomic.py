"""A record rejected while it is stored writes nothing, whatever stops it, and the import goes
on (issue 15.3): no session, bill or child row of it stays behind."""
from __future__ import annotations

from sqlmodel import Session, select

from tests import factories as f
from tracker.contract import BillIn, build_any
from tracker.ingest import Ingestor, service
from tracker.ingest.bills import ingest_bill
from tracker.models import Bill, BillAction, LegislativeSession


def test_a_record_failing_half_way_leaves_nothing_and_the_rest_is_stored(engine, monkeypatch):
    def failing_after_writing(session, rec, today):
        outcome = ingest_bill(session, rec, today)  # the session, bill and actions are flushed
        if rec.session == "117":
            session.flush()
            raise TypeError("a reader bug surfacing late")
        return outcome
    monkeypatch.setitem(service.HANDLERS, BillIn, failing_after_writing)
    report = Ingestor(engine, bulk=False).ingest([build_any(f.bill(7, session="117")), build_any(f.bill(5))])
    (err,) = report.errors
    assert (err.record, err.source) == ("us-117-hr7", f.SRC["url"])
    assert "could not be stored: TypeError" in err.problem
    assert report.counts["insert"] == 1
    with Session(engine) as s:
        assert [b.key for b in s.exec(select(Bill)).all()] == ["us-119-hr5"]
        assert s.exec(select(LegislativeSession).where(LegislativeSession.jurisdiction_id == "us",
                                                       LegislativeSession.identifier == "117")).all() == []
        assert len(s.exec(select(BillAction)).all()) == 3
