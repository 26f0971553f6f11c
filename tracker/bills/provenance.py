"""The same bill from several sources is one bill: keep each source's record, merge by precedence.

Every ingested `BillIn` is kept as a `bill_source` row (format, URL, fetch time, a hash of the
content and the record itself). When a bill has records from more than one source, each field
takes the value of the best-ranked source that has one (setting EDTRACKER_SOURCE_PRECEDENCE:
field -> source format prefixes, best first; "*" for the other fields; unlisted sources rank
after listed ones, then by name so the choice never depends on crawl order). Empty values
never override: a source without a summary does not erase another's, and neither do the fields
a record lists in `extras["placeholder_fields"]` (a title the source does not have, filled with
the bill's number only because a title is required).
"""
from __future__ import annotations

import hashlib
import json

from sqlmodel import Session, select

from tracker.contract import BillIn
from tracker.models import Bill, BillSource

# Fields taken whole from one source (children included: mixing two sources' action lists
# would duplicate every action under slightly different wording).
MERGE_FIELDS = ("identifier", "title", "other_titles", "summary", "subjects", "policy_area", "introduced_date",
                "actions", "sponsorships", "versions", "documents", "related_bills", "laws", "committees",
                "sources", "stage", "extras", "bill_type", "classification", "origin_chamber")


def record_payload(rec: BillIn) -> tuple[dict, str]:
    """The record as JSON (without its fetch time) and a stable hash of its content."""
    payload = rec.model_dump(mode="json")
    payload["source"] = {k: payload["source"].get(k) for k in ("url", "format")}
    digest = hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return payload, digest


def _rank(fmt: str, field: str, precedence: dict[str, list[str]]) -> tuple[int, str]:
    order = precedence.get(field) or precedence.get("*") or []
    for i, prefix in enumerate(order):
        if fmt.startswith(prefix):
            return i, fmt
    return len(order), fmt


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _placeholders(payload: dict) -> list:
    return (payload.get("extras") or {}).get("placeholder_fields") or []


def merged_record(session: Session, rec: BillIn, precedence: dict[str, list[str]] | None = None) -> BillIn:
    """`rec` with each field from the best source holding the bill (itself when it is alone)."""
    bill_id = session.exec(select(Bill.id).where(Bill.key == rec.key)).first()
    if bill_id is None:
        return rec
    others = {s.source_format: s.payload for s in session.exec(
        select(BillSource).where(BillSource.bill_id == bill_id)).all()
              if s.source_format != rec.source.format}
    if not others:
        return rec
    if precedence is None:
        from tracker.settings import get_settings
        precedence = get_settings().source_precedence
    payload, _ = record_payload(rec)
    candidates = {rec.source.format: payload, **others}
    merged = dict(payload)
    for name in MERGE_FIELDS:
        present = [(fmt, p.get(name)) for fmt, p in candidates.items()
                   if not _empty(p.get(name)) and name not in _placeholders(p)]
        if present:
            merged[name] = min(present, key=lambda fp: _rank(fp[0], name, precedence))[1]
    best = min(candidates, key=lambda fmt: _rank(fmt, "*", precedence))
    merged["source"] = rec.source.model_dump(mode="json") if best == rec.source.format else \
        candidates[best]["source"]
    return BillIn.model_validate(merged)


def keep_source(session: Session, bill_id: int, rec: BillIn) -> bool:
    """Store (or refresh) this source's record of the bill; True when its content changed."""
    payload, digest = record_payload(rec)
    row = session.exec(select(BillSource).where(BillSource.bill_id == bill_id,
                                                BillSource.source_format == rec.source.format)).first()
    if row is None:
        session.add(BillSource(bill_id=bill_id, source_format=rec.source.format, source_url=rec.source.url,
                               fetched_at=rec.source.fetched_at, record_hash=digest, payload=payload))
        return True
    if row.record_hash == digest:
        return False
    row.record_hash, row.payload = digest, payload
    row.source_url, row.fetched_at = rec.source.url, rec.source.fetched_at
    session.add(row)
    return True
