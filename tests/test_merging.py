"""The same bill from two sources: one bill, each source kept, fields chosen by precedence."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tracker.ingest import Ingestor
from tracker.models import Bill, BillAction, BillSource
from tracker.bills.provenance import merged_record
from tracker.contract import build

D = dt.date(2025, 6, 1)


def openstates(**kw):
    rec = {"type": "bill", "jurisdiction": "ny", "session": "2023", "identifier": "S 300",
           "title": "Relates to school aid", "subjects": ["Education"],
           "actions": [{"date": "2023-01-04", "description": "REFERRED TO EDUCATION", "actor": "upper",
                        "classification": ["referral-committee"]}],
           "source": {"format": "openstates-api", "url": "https://v3.openstates.org/bills?page=1"}}
    rec.update(kw)
    return rec


def legiscan(**kw):
    # LegiScan writes NY numbers zero-padded: S00300 is S300, the same bill.
    rec = {"type": "bill", "jurisdiction": "ny", "session": "2023", "identifier": "S00300",
           "title": "An act to amend the education law, in relation to school aid",
           "summary": "Increases foundation aid.",
           "actions": [{"date": "2023-01-04", "description": "Referred To Education", "actor": "upper",
                        "classification": ["referral-committee"]},
                       {"date": "2023-03-01", "description": "Passed Senate", "actor": "upper",
                        "classification": ["passage"]}],
           "source": {"format": "legiscan-json", "url": "https://api.legiscan.com/?op=getBill&id=1"}}
    rec.update(kw)
    return rec


def test_two_sources_one_bill_precedence_and_noop(engine, monkeypatch):
    ing = Ingestor(engine, today=D)
    report = ing.ingest([openstates(), legiscan()])
    assert [r.outcome for r in report.results] == ["insert", "update"]
    with Session(engine) as s:
        (bill,) = s.exec(select(Bill)).all()
        assert bill.key == "ny-2023-s300"
        # Open States ranks before LegiScan by default; the summary only LegiScan has is kept.
        assert bill.title == "Relates to school aid" and bill.summary == "Increases foundation aid."
        assert bill.source_format == "openstates-api"
        actions = s.exec(select(BillAction).where(BillAction.bill_id == bill.id)
                         .order_by(BillAction.position)).all()
        # Issue 14 (finding 8): the best source's list, plus what only another source knows. The
        # referral both report (same date, chamber, classification) is one action, shown once in
        # the best source's words; LegiScan's passage is kept, and says where it came from.
        assert [(a.description, a.source_format) for a in actions] == [
            ("REFERRED TO EDUCATION", "openstates-api"), ("Passed Senate", "legiscan-json")]
        kept = {r.source_format: r for r in s.exec(select(BillSource)).all()}
        assert set(kept) == {"openstates-api", "legiscan-json"}
        assert kept["legiscan-json"].payload["identifier"] == "S00300"
    # Re-crawling either source, in any order, changes nothing.
    assert ing.ingest([legiscan(), openstates(), legiscan()]).summary()["noop"] == 3


def test_precedence_setting_chooses_per_field(engine):
    ing = Ingestor(engine, today=D)
    ing.ingest([openstates(), legiscan()])
    with Session(engine) as s:
        rec = merged_record(s, build("bill", openstates()),
                            {"actions": ["legiscan"], "*": ["openstates", "legiscan"]})
    assert rec.title == "Relates to school aid"
    assert [a.description for a in rec.actions] == ["Referred To Education", "Passed Senate"]


def test_a_source_update_flows_through_when_it_wins(engine):
    ing = Ingestor(engine, today=D)
    ing.ingest([legiscan(), openstates()])
    result = ing.ingest([openstates(title="Relates to school aid formulas")]).results[0]
    assert result.outcome == "update" and result.changes["title"]["new"] == "Relates to school aid formulas"
    # LegiScan's new title loses to Open States: the bill does not change, its record is kept.
    result = ing.ingest([legiscan(title="Another title")]).results[0]
    assert result.outcome == "noop"
    with Session(engine) as s:
        row = s.exec(select(BillSource).where(BillSource.source_format == "legiscan-json")).one()
        assert row.payload["title"] == "Another title"


def test_stage_comes_from_every_source_in_any_order(engine):
    """Open States (ranked first) has not seen the Senate vote LegiScan reports: the bill has passed
    the Senate all the same, whichever source came first, and re-importing changes nothing."""
    during = dt.date(2023, 6, 1)
    orders = {"S 301": lambda os, ls: [os, ls], "S 302": lambda os, ls: [ls, os]}  # one bill per order
    seen = {}
    for number, order in orders.items():
        records = order(openstates(identifier=number), legiscan(identifier=number.replace(" ", "00")))
        ing = Ingestor(engine, today=during)
        assert [r.outcome for r in ing.ingest(records).results] == ["insert", "update"]
        with Session(engine) as s:
            bill = s.exec(select(Bill).where(Bill.identifier == number)).one()
            acts = s.exec(select(BillAction).where(BillAction.bill_id == bill.id)
                          .order_by(BillAction.position)).all()
            seen[number] = (bill.stage, bill.stage_date, bill.source_format,
                            [(a.description, a.source_format) for a in acts])
        assert ing.ingest(records).summary()["noop"] == 2, number
    assert seen["S 301"] == seen["S 302"]
    assert seen["S 301"] == ("passed_origin", dt.date(2023, 3, 1), "openstates-api",
                             [("REFERRED TO EDUCATION", "openstates-api"), ("Passed Senate", "legiscan-json")])
