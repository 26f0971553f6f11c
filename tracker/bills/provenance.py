"""The same bill from several sources is one bill: keep each source's record, merge by precedence.

Every ingested `BillIn` is kept as a `bill_source` row (format, URL, fetch time, a hash of the
content and the record itself). When a bill has records from more than one source, each field
takes the value of the best-ranked source that has one (setting EDTRACKER_SOURCE_PRECEDENCE:
field -> source format prefixes, best first; "*" for the other fields; unlisted sources rank
after listed ones, then by name so the choice never depends on crawl order). Empty values
never override: a source without a summary does not erase another's, and neither do the fields
a record lists in `extras["placeholder_fields"]` (a title the source does not have, filled with
the bill's number only because a title is required).

Actions are the exception: the best source's list, plus the classified actions only other
sources know (one action = same date, same chamber and a classification in common), each kept
with the source it came from; the stage is derived from that union (see docs/stages.md).

Two records of one bill from the same source (a 1.0.0 and a later 3.0.0 BILLSTATUS file, an
old and a new download) are not merged: the one the source updated last is kept (its own
update stamp, `extras["update_date"]` or `extras["updated_at"]`), whatever order they come in.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from pydantic_core import PydanticSerializationError
from sqlmodel import Session, select

from tracker.contract import BillIn
from tracker.contract.base import SourceRef
from tracker.models import Bill, BillSource
from tracker.store.rows import EncodedJSON

# Fields taken whole from one source (children included: mixing two sources' sponsor lists
# would duplicate every sponsor under slightly different spelling). Actions: see `union_actions`.
MERGE_FIELDS = ("identifier", "title", "other_titles", "summary", "subjects", "policy_area", "introduced_date",
                "sponsorships", "versions", "documents", "related_bills", "laws", "committees",
                "sources", "stage", "extras", "bill_type", "classification", "origin_chamber")


# How pages name a source format (by prefix): the source of an action another source added.
SOURCE_NAMES = (("govinfo-billstatus", "GovInfo BILLSTATUS"), ("congress-gov-api", "Congress.gov"),
                ("ny-openleg", "NY Senate OpenLegislation"), ("openstates", "Open States"),
                ("legiscan", "LegiScan"))


def source_name(fmt: str | None) -> str:
    """`legiscan-json` -> `LegiScan`; an unknown format is shown as it is."""
    return next((name for prefix, name in SOURCE_NAMES if (fmt or "").startswith(prefix)), fmt or "")


# The source's fields a kept record leaves out (its fetch time): not part of its content.
_NOT_KEPT = {"source": set(SourceRef.model_fields) - {"url", "format"}}


def record_digest(rec: BillIn) -> str:
    """A stable hash of the record's content, the fields its kept payload holds: the SHA-1 of
    pydantic's JSON of the record (fields in the model's order) without the fetch time.

    Issue 19: about a quarter of the cost of the payload's sorted `json.dumps` (the hash of
    bill_source rows stored before), and no payload needed, so the noop check of a re-import
    (`unchanged_bills`) makes only this. A record stored with the older hash is compared by
    its payload once and its hash brought up to date (`keep_source`)."""
    return record_json(rec)[1]


def record_json(rec: BillIn) -> tuple[EncodedJSON, str]:
    """The kept payload as JSON text (`record_payload`'s dict, encoded) and its `record_digest`:
    the text the hash is made of, so a new bill's record is serialized once (issue 19: the dict
    and its `json.dumps` were a tenth of a first ingest). Stored as it is by the bulk path."""
    try:
        text = rec.model_dump_json(exclude=_NOT_KEPT)
    except PydanticSerializationError:  # a lone surrogate (a broken file): Python's escaped JSON
        text = json.dumps(rec.model_dump(mode="json", exclude=_NOT_KEPT), sort_keys=True)
    return EncodedJSON(text), hashlib.sha1(text.encode()).hexdigest()


def record_payload(rec: BillIn) -> tuple[dict, str]:
    """The record as JSON (without its fetch time) and `record_digest`."""
    payload = rec.model_dump(mode="json")
    payload["source"] = {k: payload["source"].get(k) for k in ("url", "format")}
    return payload, record_digest(rec)


# Where readers keep a source's own "last updated" time of a record (BILLSTATUS and Congress.gov
# updateDate, Open States updated_at).
UPDATE_STAMPS = ("update_date", "updated_at")


def update_stamp(extras: dict | None) -> dt.datetime | None:
    """The source's own last-update time of a record, when it gives one (UTC)."""
    for name in UPDATE_STAMPS:
        raw = (extras or {}).get(name)
        if isinstance(raw, str) and raw:
            try:
                when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                continue
            return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return None


def superseded(incoming: tuple[dict, str], stored: tuple[dict, str] | None) -> bool:
    """True when the stored record of the same source is the later one and `incoming` is to
    be ignored: both carry an update stamp and the stored one is later (equal stamps: the
    greater content hash, so the choice never depends on order). Without stamps the record
    read last wins, as a fresh download should. The same record is never the older one (its
    stored hash may have been made by an earlier version: `record_digest`)."""
    if stored is None:
        return False
    (new_payload, new_hash), (old_payload, old_hash) = incoming, stored
    if new_hash != old_hash and new_payload == old_payload:
        return False
    new, old = update_stamp(new_payload.get("extras")), update_stamp(old_payload.get("extras"))
    if new is None or old is None:
        return False
    return (new, new_hash) < (old, old_hash)


def stored_sources(session: Session, bill_id: int | None) -> dict[str, BillSource]:
    """The kept records of a bill, by source format (one query)."""
    if bill_id is None:
        return {}
    return {s.source_format: s for s in session.exec(select(BillSource).where(BillSource.bill_id == bill_id)).all()}


def _rank(fmt: str, field: str, precedence: dict[str, list[str]]) -> tuple[int, str]:
    order = precedence.get(field) or precedence.get("*") or []
    for i, prefix in enumerate(order):
        if fmt.startswith(prefix):
            return i, fmt
    return len(order), fmt


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


@dataclass
class Merged:
    """A bill merged from its sources: the record, where each of its actions came from, and
    every source's own stage (best source first)."""

    record: BillIn
    action_sources: list[str]
    stage_hints: list[str] = field(default_factory=list)


def _placeholders(payload: dict) -> list:
    return (payload.get("extras") or {}).get("placeholder_fields") or []


def merged_record(session: Session, rec: BillIn, precedence: dict[str, list[str]] | None = None) -> BillIn:
    """`rec` with each field from the best source holding the bill (itself when it is alone)."""
    return merge(session, rec, precedence).record


def union_actions(candidates: dict[str, dict], precedence: dict[str, list[str]]) -> list[tuple[dict, str]]:
    """The best source's actions, then each other source's classified actions that none before
    it has (same date, same actor, a classification in common), as (action, source format)."""
    ranked = sorted((fmt for fmt, p in candidates.items() if p.get("actions")),
                    key=lambda fmt: _rank(fmt, "actions", precedence))
    out: list[tuple[dict, str]] = []
    seen: dict[tuple, set] = {}
    for i, fmt in enumerate(ranked):
        for action in candidates[fmt]["actions"]:
            classes = set(action.get("classification") or [])
            where = (str(action.get("date")), action.get("actor"))
            if i > 0 and (not classes or classes & seen.get(where, set())):
                continue  # unclassified (its wording would only duplicate) or known already
            seen.setdefault(where, set()).update(classes)
            out.append((action, fmt))
    return out


def merge(session: Session, rec: BillIn, precedence: dict[str, list[str]] | None = None, *,
          stored: dict[str, BillSource] | None = None, payload: dict | None = None) -> Merged:
    """Merge `rec` with the other sources' stored records of the same bill. `stored` and
    `payload` spare the queries and the dump when the caller has them."""
    if stored is None:
        stored = stored_sources(session, session.exec(select(Bill.id).where(Bill.key == rec.key)).first())
    others = {fmt: s.payload for fmt, s in stored.items() if fmt != rec.source.format}
    if not others:
        return Merged(rec, [rec.source.format] * len(rec.actions), [rec.stage] if rec.stage else [])
    if precedence is None:
        from tracker.settings import get_settings
        precedence = get_settings().source_precedence
    if payload is None:
        payload, _ = record_payload(rec)
    candidates = {rec.source.format: payload, **others}
    merged = dict(payload)
    for name in MERGE_FIELDS:
        present = [(fmt, p.get(name)) for fmt, p in candidates.items()
                   if not _empty(p.get(name)) and name not in _placeholders(p)]
        if present:
            merged[name] = min(present, key=lambda fp: _rank(fp[0], name, precedence))[1]
    actions = union_actions(candidates, precedence)
    merged["actions"] = [a for a, _ in actions]
    best = min(candidates, key=lambda fmt: _rank(fmt, "*", precedence))
    merged["source"] = rec.source.model_dump(mode="json") if best == rec.source.format else \
        candidates[best]["source"]
    hints = [p["stage"] for fmt, p in sorted(candidates.items(), key=lambda fp: _rank(fp[0], "stage", precedence))
             if p.get("stage")]
    return Merged(BillIn.model_validate(merged), [fmt for _, fmt in actions], hints)


def keep_source(session: Session, bill_id: int, rec: BillIn,
                payload_and_hash: tuple[dict, str] | None = None,
                stored: dict[str, BillSource] | None = None) -> bool:
    """Store (or refresh) this source's record of the bill; True when its content changed."""
    payload, digest = payload_and_hash or record_payload(rec)
    if stored is None:
        stored = stored_sources(session, bill_id)
    row = stored.get(rec.source.format)
    if row is None:
        session.add(BillSource(bill_id=bill_id, source_format=rec.source.format, source_url=rec.source.url,
                               fetched_at=rec.source.fetched_at, record_hash=digest, payload=payload))
        return True
    if row.record_hash == digest:
        return False
    if row.payload == payload:  # the same record, hashed as before issue 19: the hash is renewed
        row.record_hash = digest
        session.add(row)
        return False
    row.record_hash, row.payload = digest, payload
    row.source_url, row.fetched_at = rec.source.url, rec.source.fetched_at
    session.add(row)
    return True
