"""Issue 19: the hooks called for every ingested bill and roll call (search document, change
events) read only what they use: no full bill row (its JSON columns decoded) per record."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import event
from sqlmodel import Session, select

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.alerts.events import derive_events
from tracker.contract import BillIn, VoteEventIn
from tracker.ingest import Ingestor
from tracker.models import Bill, BillSearchDoc, ChangeEvent
from tracker.search.index import index_bills


def _stored(engine):
    folder = real_fixture("legiscan-ms-xml", "ms-2014")
    records = [r for r in iter_records(plan([folder])) if not hasattr(r, "problem")]
    Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(records)
    return records


class Statements:
    def __init__(self, engine):
        self.engine, self.seen = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self.seen

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, _conn, _cursor, statement, _params, _ctx, _many):
        self.seen.append(" ".join(statement.split()))


def test_search_document_of_a_loaded_bill_reads_no_bill_row(engine):
    _stored(engine)
    with Session(engine) as session:
        bill = session.exec(select(Bill).order_by(Bill.id)).first()
        session.exec(select(BillSearchDoc).where(BillSearchDoc.bill_id == bill.id)).one()
        bill.summary = "A changed summary"
        with Statements(engine) as seen:
            assert index_bills(session, [bill.id]) == 1
        assert not [s for s in seen if s.startswith("SELECT") and " FROM bill " in s + " "], seen
        assert session.exec(select(BillSearchDoc).where(BillSearchDoc.bill_id == bill.id)).one().summary \
            == "A changed summary"


def test_events_of_a_new_bill_and_roll_call_decode_no_json_column(engine):
    records = _stored(engine)
    bill = next(r for r in records if isinstance(r, BillIn))
    vote = next(r for r in records if isinstance(r, VoteEventIn))
    with Session(engine) as session:
        session.exec(select(ChangeEvent)).all()
        for row in session.exec(select(ChangeEvent)).all():
            session.delete(row)
        session.flush()
        with Statements(engine) as seen:
            derive_events(session, bill, "insert", {})
            derive_events(session, vote, "insert", {})
        selects = [s for s in seen if s.startswith("SELECT")]
        assert selects and not [s for s in selects if "bill.titles" in s or "vote_event.counts" in s
                                or "sponsorship.person_ids" in s], selects
        kinds = sorted(e.kind for e in session.exec(select(ChangeEvent)).all())
        assert kinds == ["new_bill", "roll_call"]


def test_linking_a_roll_call_reads_only_link_columns(engine):
    from tracker.bills.links import link_vote

    records = _stored(engine)
    vote = next(r for r in records if isinstance(r, VoteEventIn))
    with Session(engine) as session:
        with Statements(engine) as seen:
            bill_key, _position = link_vote(session, vote)
        assert bill_key == vote.bill_key
        assert seen and not [s for s in seen if "vote_event.counts" in s or "bill_action.classification" in s
                             or "bill.titles" in s], seen
