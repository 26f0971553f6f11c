"""The daily sweep: bills still pending when their session ended die, with the date, once.

Ingest applies the same rule (`tracker.jurisdictions.calendar.death`) when a bill is imported;
the sweep catches the bills nobody re-imports. Each death is recorded as a change event
("died_at_adjournment", natural key `bill:<key>:died:<session>`), so alerts can follow it and a
second sweep does nothing. One transaction per session.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.alerts.events import record_event
from tracker.jurisdictions import clock
from tracker.jurisdictions.calendar import PENDING, death, may_kill
from tracker.jurisdictions.seed import refresh_session
from tracker.models import Bill, LegislativeSession
from tracker.search.index import index_bills


@dataclass
class SweepReport:
    sessions: int = 0
    refreshed: int = 0
    died: int = 0
    dated: int = 0  # dead bills whose date became known
    bills: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sessions": self.sessions, "refreshed": self.refreshed, "updated": self.died + self.dated,
                "died": self.died, "dated": self.dated, "bills": self.bills[:200]}


def died_event_key(bill_key: str, session_identifier: str) -> str:
    return f"bill:{bill_key}:died:{session_identifier}"


def sweep(engine: Engine, today: dt.date | None = None, jurisdiction: str | None = None) -> SweepReport:
    """Mark dead every pending bill whose session has ended by `today` (default: today)."""
    today = today or clock.today()
    report = SweepReport()
    with Session(engine) as db:
        query = select(LegislativeSession.id).order_by(LegislativeSession.id)
        if jurisdiction:
            query = query.where(LegislativeSession.jurisdiction_id == jurisdiction)
        ids = list(db.exec(query).all())
    for session_id in ids:
        with Session(engine) as db:
            row = db.get(LegislativeSession, session_id)
            # The calendar file may know more than when the session was stored.
            if refresh_session(row):
                db.add(row)
                report.refreshed += 1
            report.sessions += 1
            if not may_kill(row, today):
                db.commit()
                continue
            bills = db.exec(select(Bill).where(Bill.session_id == session_id, Bill.stage.in_(PENDING))).all()
            dated = _date_the_undated(db, row, today)
            changed = []
            for bill in bills:
                died = death(row, stage=bill.stage, bill_type=bill.bill_type,
                             introduced_date=bill.introduced_date, today=today)
                if died is None:
                    continue
                old = bill.stage
                bill.stage, bill.stage_date = "dead", died.date
                db.add(bill)
                changed.append(bill.id)
                when = died.date.isoformat() if died.date else None
                record_event(db, "died_at_adjournment", died_event_key(bill.key, row.identifier),
                             {"title": bill.title, "identifier": bill.identifier, "old_stage": old,
                              "new_stage": "dead", "stage": "dead", "date": when, "stage_date": when,
                              "session": row.identifier, "reason": died.reason},
                             bill_key=bill.key, jurisdiction_id=bill.jurisdiction_id)
                report.bills.append({"key": bill.key, "old_stage": old, "date": when, "reason": died.reason})
            if changed or dated:
                db.flush()
                index_bills(db, changed + dated)  # the search document carries the stage
            report.died += len(changed)
            report.dated += len(dated)
            db.commit()
    return report


def _date_the_undated(db: Session, row: LegislativeSession, today: dt.date) -> list[int]:
    """Bills that died when a source said the session had adjourned, without a date: give them
    the day once the calendar or Open States tells it."""
    known = death(row, stage="passed_second", bill_type="bill", introduced_date=None, today=today)
    if known is None or known.date is None:
        return []
    bills = db.exec(select(Bill).where(Bill.session_id == row.id, Bill.stage == "dead",
                                       Bill.stage_date.is_(None))).all()
    for bill in bills:
        bill.stage_date = known.date
        db.add(bill)
    return [b.id for b in bills]
