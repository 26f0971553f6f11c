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
        actions = s.exec(select(BillAction).where(BillAction.bill_id == bill.id)).all()
        assert [a.description for a in actions] == ["REFERRED TO EDUCATION"]  # one source's list, not both
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
