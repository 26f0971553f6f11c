"""The ingest service: validate, then upsert each record in its own transaction."""
from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from tracker.alerts.events import derive_events
from tracker.contract import (BillIn, BillTextIn, CommitteeIn, HearingIn, LegislatorIn, Record,
                              RecordError, SessionIn, VoteEventIn, build_any)
from tracker.ingest.bills import ingest_bill
from tracker.ingest.diff import jsonable, upsert
from tracker.jurisdictions import calendar
from tracker.jurisdictions.seed import SESSION_FIELDS
from tracker.ingest.people import ingest_committee, ingest_hearing, ingest_legislator
from tracker.ingest.texts import ingest_bill_text
from tracker.ingest.votes import ingest_vote_event
from tracker.models import LegislativeSession
from tracker.scoring.dirty import mark_ingested, process_quietly

log = logging.getLogger("edtracker.ingest")


def ingest_session(session: Session, rec: SessionIn, today: dt.date) -> tuple[str, dict]:
    """Keep what this source says about the session; the stored dates are resolved from the
    calendar and every source's report (tracker.jurisdictions.calendar), whatever the order."""
    lookup = {"jurisdiction_id": rec.jurisdiction, "identifier": rec.identifier}
    row = session.exec(select(LegislativeSession).filter_by(**lookup)).first()
    reported = dict(row.reported or {}) if row is not None else {}
    said = {"name": rec.name, "classification": rec.classification, "carry_over": rec.carry_over,
            "start_date": jsonable(rec.start_date), "end_date": jsonable(rec.end_date)}
    if rec.sine_die is not None:
        said["sine_die"] = rec.sine_die
    elif "sine_die" in reported.get(rec.source.format, {}):
        # a record of this source that does not say (a bill's session block) keeps what it said
        said["sine_die"] = reported[rec.source.format]["sine_die"]
    reported[rec.source.format] = said
    values = calendar.resolve(rec.jurisdiction, rec.identifier, reported)
    values = {k: values[k] for k in SESSION_FIELDS}
    _, outcome, changes = upsert(session, LegislativeSession, lookup, {**values, "reported": reported},
                                 row=row)
    return outcome, changes


HANDLERS: dict[type[Record], Callable[[Session, Any, dt.date], tuple[str, dict]]] = {
    SessionIn: ingest_session, BillIn: ingest_bill, LegislatorIn: ingest_legislator,
    CommitteeIn: ingest_committee, HearingIn: ingest_hearing, VoteEventIn: ingest_vote_event,
    BillTextIn: ingest_bill_text,
}


@dataclass
class IngestResult:
    """What happened to one record: insert, update, noop or error, and what changed."""

    kind: str
    key: str | None
    outcome: str
    changes: dict[str, Any] = field(default_factory=dict)
    error: RecordError | None = None


@dataclass
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)
    keep_results: bool = True
    counts: Counter = field(default_factory=Counter)
    errors: list[RecordError] = field(default_factory=list)

    def add(self, result: IngestResult) -> None:
        self.counts[result.outcome] += 1
        if result.error:
            self.errors.append(result.error)
        if self.keep_results:
            self.results.append(result)

    def summary(self) -> dict[str, int]:
        return {k: self.counts.get(k, 0) for k in ("insert", "update", "noop", "error")}


class Ingestor:
    """Stores records one transaction each; a bad record is reported and the rest go on."""

    def __init__(self, engine: Engine, *, today: dt.date | None = None,
                 on_result: Callable[[IngestResult], None] | None = None):
        self.engine = engine
        self.today = today
        self.on_result = on_result
        self.scores_dirty = False  # a scored item was marked stale: `finish()` updates scores

    def ingest_one(self, item: Record | RecordError | dict) -> IngestResult:
        if isinstance(item, RecordError):
            return self._failed("unknown", item)
        if isinstance(item, dict):
            try:
                item = build_any(item)
            except RecordError as err:
                return self._failed(str(item.get("type", "unknown")), err)
        handler = HANDLERS[type(item)]
        key = item.natural_key()
        today = self.today or dt.date.today()
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                outcome, changes = handler(session, item, today)
                # Alerts (issue 7): events from the reported changes, in the record's transaction.
                derive_events(session, item, outcome, changes)
                # Scorecards (issue 6): queue the scored items it touches (one indexed lookup).
                self.scores_dirty |= mark_ingested(session, item, outcome, changes) > 0
                session.commit()
            except RecordError as err:
                session.rollback()
                return self._failed(item.kind, err, key)
            except IntegrityError as err:
                session.rollback()
                return self._failed(item.kind, RecordError(
                    item.source.url, key, None, f"conflicts with stored data: {err.orig}"), key)
            except SQLAlchemyError as err:
                session.rollback()
                return self._failed(item.kind, RecordError(
                    item.source.url, key, None, f"database error: {err}"), key)
            except Exception as err:  # noqa: BLE001 - a bug on one record must not stop an import
                session.rollback()  # nothing of the record stays: no session, bill or person row
                log.exception("could not store %s", key)
                return self._failed(item.kind, RecordError(
                    item.source.url, key, None, f"could not be stored: {type(err).__name__}: {err}"), key)
        result = IngestResult(item.kind, key, outcome, changes)
        if self.on_result:
            self.on_result(result)
        return result

    def _failed(self, kind: str, err: RecordError, key: str | None = None) -> IngestResult:
        log.warning("rejected: %s", err)
        result = IngestResult(kind, key or err.record, "error", error=err)
        if self.on_result:
            self.on_result(result)
        return result

    def ingest(self, items: Iterable[Record | RecordError | dict], *,
               keep_results: bool = True) -> IngestReport:
        """Store every item; return per-record results and insert/update/noop/error counts."""
        report = IngestReport(keep_results=keep_results)
        for item in items:
            report.add(self.ingest_one(item))
        self.finish()
        return report

    def finish(self) -> None:
        """After a batch: recompute the scored items it changed (incremental; errors are logged
        and the queue stays for the scheduler's `tracker.scoring.jobs:update_dirty`)."""
        if self.scores_dirty:
            self.scores_dirty = False
            process_quietly(self.engine)


def ingest(engine: Engine, items: Iterable[Record | RecordError | dict], **kw) -> IngestReport:
    """Shortcut: `Ingestor(engine).ingest(items)`."""
    return Ingestor(engine).ingest(items, **kw)
