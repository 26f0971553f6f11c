"""The ingest service: validate, then upsert records in batches, each record in its own savepoint."""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from tracker.alerts.events import derive_events
from tracker.contract import (BillIn, BillTextIn, CommitteeIn, HearingIn, LegislatorIn, Record,
                              RecordError, SessionIn, VoteEventIn, build_any)
from tracker.db import batch_session
from tracker.ingest import bulk, bulk_votes
from tracker.ingest.bills import ingest_bill, unchanged_bills
from tracker.ingest.diff import jsonable, upsert
from tracker.ingest.gcpause import gc_paused
from tracker.jurisdictions import calendar, clock
from tracker.jurisdictions.seed import SESSION_FIELDS
from tracker.ingest.people import ingest_committee, ingest_hearing, ingest_legislator, unchanged_legislators
from tracker.ingest.texts import ingest_bill_text
from tracker.ingest.votes import ingest_vote_event, unchanged_votes
from tracker.models import LegislativeSession, VoteEvent
from tracker.search import index as search_index
from tracker.scoring.dirty import mark_ingested, process_quietly
from tracker.settings import get_settings

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
    """Stores records in batches: many per transaction, each in its own savepoint, so a bad
    record is reported and leaves nothing while the rest go on.

    A batch commits after `batch_records` records or `batch_seconds` of work, whichever comes
    first (settings INGEST_BATCH_RECORDS, INGEST_BATCH_SECONDS), so a reader or another writer
    never waits long behind an import. Before a batch is stored, the bills, roll calls and
    legislators whose record is the one already stored (same content hash) are answered `noop`
    from one query per kind, without the merge (`tracker.ingest.bills.unchanged_bills`,
    `tracker.ingest.votes.unchanged_votes`, `tracker.ingest.people.unchanged_legislators`);
    `recheck=True` runs every record through the whole path (after a change of merge rules or
    source precedence). Bills and roll calls not stored yet (one query per batch) are written a
    run at a time with one statement per table (`tracker.ingest.bulk`,
    `tracker.ingest.bulk_votes`; a run sized to the batch's time left); if a run fails, its
    records are stored again one savepoint each. `bulk=False` sends them through `HANDLERS`.
    Results reach `on_result` in the order of the items, once the records read with them are
    committed. If a commit itself fails, the batch is stored again one record per transaction,
    so one failure costs one record, never a batch. Python's
    cyclic garbage collector is paused while a batch is stored (`tracker.ingest.gcpause`).
    """

    def __init__(self, engine: Engine, *, today: dt.date | None = None,
                 on_result: Callable[[IngestResult], None] | None = None,
                 batch_records: int | None = None, batch_seconds: float | None = None,
                 recheck: bool = False, bulk: bool = True):
        settings = get_settings()
        self.engine = engine
        self.today = today
        self.on_result = on_result
        self.batch_records = batch_records or settings.ingest_batch_records
        self.batch_seconds = batch_seconds or settings.ingest_batch_seconds
        self.recheck = recheck
        self.bulk = bulk  # new bills of a batch in bulk (`tracker.ingest.bulk`); False: each through HANDLERS
        self.bulk_cost: dict[type, float] = {}  # seconds a record of the last bulk run of its kind took
        self.scores_dirty = False  # a scored item was marked stale: `finish()` updates scores

    # --- one record ------------------------------------------------------------------------

    def _prepare(self, item: Record | RecordError | dict) -> Record | IngestResult:
        """The record to store, or the error result of an item that is not one."""
        if isinstance(item, RecordError):
            return self._failed("unknown", item)
        if isinstance(item, dict):
            try:
                return build_any(item)
            except RecordError as err:
                return self._failed(str(item.get("type", "unknown")), err)
        return item

    def _store(self, session: Session, item: Record, today: dt.date) -> tuple[str, dict]:
        session.info.pop("edtracker_namematcher", None)  # candidates as this record's own transaction sees them
        outcome, changes = HANDLERS[type(item)](session, item, today)
        # Alerts (issue 7): events from the reported changes, in the record's transaction.
        derive_events(session, item, outcome, changes)
        # Scorecards (issue 6): queue the scored items it touches (one indexed lookup).
        self.scores_dirty |= mark_ingested(session, item, outcome, changes) > 0
        return outcome, changes

    def _error(self, item: Record, key: str, err: Exception) -> IngestResult:
        if isinstance(err, RecordError):
            return self._failed(item.kind, err, key)
        if isinstance(err, IntegrityError):
            return self._failed(item.kind, RecordError(
                item.source.url, key, None, f"conflicts with stored data: {err.orig}"), key)
        if isinstance(err, SQLAlchemyError):
            return self._failed(item.kind, RecordError(
                item.source.url, key, None, f"database error: {err}"), key)
        # a bug on one record must not stop an import; nothing of the record stays
        log.error("could not store %s", key, exc_info=err)
        return self._failed(item.kind, RecordError(
            item.source.url, key, None, f"could not be stored: {type(err).__name__}: {err}"), key)

    def ingest_one(self, item: Record | RecordError | dict) -> IngestResult:
        """Store one record in its own transaction (the crawl pipeline's path)."""
        result = self._ingest_alone(item)
        if self.on_result:
            self.on_result(result)
        return result

    def _ingest_alone(self, item: Record | RecordError | dict) -> IngestResult:
        item = self._prepare(item)
        if isinstance(item, IngestResult):
            return item
        key = item.natural_key()
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                outcome, changes = self._store(session, item, self.today or clock.today())
                session.commit()
            except Exception as err:  # noqa: BLE001 - sorted out by `_error`
                session.rollback()  # nothing of the record stays: no session, bill or person row
                return self._error(item, key, err)
        return IngestResult(item.kind, key, outcome, changes)

    def _failed(self, kind: str, err: RecordError, key: str | None = None) -> IngestResult:
        log.warning("rejected: %s", err)
        return IngestResult(kind, key or err.record, "error", error=err)

    # --- batches ---------------------------------------------------------------------------

    def _store_batch(self, records: list[Record], results: list[IngestResult]) -> None:
        """Store records from the front of `records` in one transaction until the batch's time
        is up, appending their results to `results`."""
        today = self.today or clock.today()
        with gc_paused(), batch_session(self.engine) as session:
            skip = set() if self.recheck else (
                unchanged_bills(session, [r for r in records if isinstance(r, BillIn)], today)
                | unchanged_votes(session, [r for r in records if isinstance(r, VoteEventIn)])
                | unchanged_legislators(session, [r for r in records if isinstance(r, LegislatorIn)]))
            to_index = session.info[search_index.DEFERRED] = set()  # the batch's bills, indexed together
            fresh = set()
            if self.bulk:  # new bills and roll calls: written a run at a time
                fresh = bulk.new_bills(session, [r for r in records if isinstance(r, BillIn) and id(r) not in skip])
                fresh |= bulk.new_records(session, [r for r in records if isinstance(r, VoteEventIn)
                                                    and id(r) not in skip], VoteEvent)
            started = time.monotonic()
            at = 0
            while at < len(records):
                item = records[at]
                if id(item) in fresh:  # a run of new bills (or roll calls): one statement per table
                    # as many as fit in the batch's time left, at the last run's cost a record
                    kind = type(item)
                    left = self.batch_seconds - (time.monotonic() - started)
                    end, last = at + 1, at + max(1, int(left / self.bulk_cost.get(kind, 0.005)))
                    while end < min(len(records), last) and id(records[end]) in fresh and type(records[end]) is kind:
                        end += 1
                    run_started = time.monotonic()
                    self._store_new(session, records[at:end], today, results, to_index)
                    self.bulk_cost[kind] = max((time.monotonic() - run_started) / (end - at), 1e-5)
                    at = end
                elif id(item) in skip:
                    results.append(IngestResult(item.kind, item.natural_key(), "noop"))
                    at += 1
                else:
                    results.append(self._store_saved(session, item, today, to_index))
                    at += 1
                if time.monotonic() - started >= self.batch_seconds:
                    break
            del session.info[search_index.DEFERRED]
            search_index.index_bills(session, sorted(to_index))

    def _store_saved(self, session: Session, item: Record, today: dt.date, to_index: set) -> IngestResult:
        """Store one record of a batch in its own savepoint."""
        key = item.natural_key()
        indexed_before = set(to_index)
        savepoint = session.begin_nested()
        try:
            outcome, changes = self._store(session, item, today)
            savepoint.commit()
        except Exception as err:  # noqa: BLE001 - sorted out by `_error`
            if savepoint.is_active:
                savepoint.rollback()
            to_index.intersection_update(indexed_before)
            return self._error(item, key, err)
        return IngestResult(item.kind, key, outcome, changes)

    def _store_new(self, session: Session, recs: list[BillIn] | list[VoteEventIn], today: dt.date,
                   results: list[IngestResult], to_index: set) -> None:
        """Store a run of new bills or roll calls in bulk in one savepoint; if it fails, one
        savepoint each, so a bad record leaves nothing and costs only itself."""
        indexed_before = set(to_index)
        savepoint = session.begin_nested()
        try:
            if isinstance(recs[0], BillIn):
                marked = bulk.store_new_bills(session, recs, today)
            else:
                marked = bulk_votes.store_new_votes(session, recs, today)
            savepoint.commit()
        except Exception:  # noqa: BLE001 - the records are stored again one by one
            if savepoint.is_active:
                savepoint.rollback()
            to_index.intersection_update(indexed_before)
            log.info("a run of %d new %ss could not be stored in bulk; storing them one by one",
                     len(recs), recs[0].kind, exc_info=True)
            results.extend(self._store_saved(session, rec, today, to_index) for rec in recs)
            return
        self.scores_dirty |= marked > 0
        results.extend(IngestResult(rec.kind, rec.natural_key(), "insert") for rec in recs)

    def _ingest_chunk(self, chunk: list[Record | RecordError | dict]) -> list[IngestResult]:
        """Results in the order of `chunk`, reported to `on_result` once all are committed."""
        prepared = [self._prepare(item) for item in chunk]  # items that are not records: answered
        results = [p if isinstance(p, IngestResult) else None for p in prepared]
        pending = [i for i, p in enumerate(prepared) if results[i] is None]
        while pending:
            records = [prepared[i] for i in pending]
            done: list[IngestResult] = []
            try:
                self._store_batch(records, done)
                taken = len(done)
            except Exception:  # noqa: BLE001 - the commit (or the batch's own query) failed
                taken = min(len(done) + 1, len(records))  # those tried, the one at fault included
                log.warning("a batch of %d records could not be committed; storing them one by one",
                            taken, exc_info=True)
                done = [self._ingest_alone(item) for item in records[:taken]]
            for i, result in zip(pending, done):
                results[i] = result
            pending = pending[taken:]
        if self.on_result:
            for result in results:
                self.on_result(result)
        return results

    def ingest(self, items: Iterable[Record | RecordError | dict], *,
               keep_results: bool = True) -> IngestReport:
        """Store every item; return per-record results and insert/update/noop/error counts."""
        report = IngestReport(keep_results=keep_results)
        for chunk in _chunks(items, self.batch_records):
            for result in self._ingest_chunk(chunk):
                report.add(result)
        self.finish()
        return report

    def finish(self) -> None:
        """After a batch: recompute the scored items it changed (incremental; errors are logged
        and the queue stays for the scheduler's `tracker.scoring.jobs:update_dirty`)."""
        if self.scores_dirty:
            self.scores_dirty = False
            process_quietly(self.engine)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest(engine: Engine, items: Iterable[Record | RecordError | dict], **kw) -> IngestReport:
    """Shortcut: `Ingestor(engine).ingest(items)`."""
    return Ingestor(engine).ingest(items, **kw)
