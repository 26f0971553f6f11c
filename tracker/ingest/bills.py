"""Store a `BillIn`: the bill row, its actions and its sponsorships."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tracker.contract import BillIn
from tracker.ingest.diff import repeated, sync_children, text_key, upsert, with_repeat_counters
from tracker.bills.links import link_bill_votes
from tracker.people.matching import IdResolver
from tracker.models import Bill, BillAction, BillSource, Jurisdiction, LegislativeSession, Sponsorship
from tracker.bills.keys import normalize_identifier
from tracker.people.namematch import matcher_for
from tracker.bills.provenance import keep_source, merge, record_digest, record_payload, stored_sources, superseded
from tracker.search.index import index_later
from tracker.jurisdictions.calendar import death, may_kill
from tracker.jurisdictions.seed import refresh_session
from tracker.jurisdictions.seed import get_or_create_session
from tracker.bills.stage import derive_stage, origin_from_identifier, source_stage_date, with_source_stages


def ingest_bill(session: Session, rec: BillIn, today: dt.date) -> tuple[str, dict]:
    """Upsert one bill; return (insert|update|noop, changes)."""
    # Two records of this bill from one source: the one the source updated last is kept.
    stored = stored_sources(session, session.exec(select(Bill.id).where(Bill.key == rec.key)).first())
    incoming = record_payload(rec)
    mine = stored.get(rec.source.format)
    if mine is not None and superseded(incoming, (mine.payload, mine.record_hash)):
        return "noop", {}
    # Several sources may carry this bill: keep each one's record, merge by precedence; the
    # actions are the union of the sources' (each with its source), the stage comes from them.
    original, merged = rec, merge(session, rec, stored=stored, payload=incoming[0])
    rec = merged.record
    juris = session.get(Jurisdiction, rec.jurisdiction)
    leg_session = get_or_create_session(session, rec.jurisdiction, rec.session)
    values, desired_actions = bill_plan(rec, merged, juris, leg_session, today)
    bill, outcome, changes = upsert(session, Bill, {"key": rec.key}, values)
    keep_source(session, bill.id, original, incoming, stored)

    fresh = outcome == "insert"  # a new bill has no children to read back
    diff = sync_children(session, BillAction, "bill_id", bill.id, desired_actions,
                         label_field="description", fresh=fresh)
    if diff and outcome != "insert":
        changes["actions"] = diff
    # roll calls stored before this bill now point at its actions
    link_bill_votes(session, bill, [(v["position"], v["extras"]) for v in desired_actions.values()],
                    leg_session.identifier)

    resolver = IdResolver(session)
    resolver.prefetch({(s, v) for sp in rec.sponsorships for s, v in sp.ids.items()})
    desired_sponsors = sponsorship_plan(session, rec, resolver, values["introduced_date"])
    diff = sync_children(session, Sponsorship, "bill_id", bill.id, desired_sponsors,
                         label_field="name", fresh=fresh)
    if diff and outcome != "insert":
        changes["sponsorships"] = diff
    if outcome == "noop" and changes:
        outcome = "update"
    if outcome != "noop":
        # Keep the full-text document (and so the FTS5 / GIN index) in step, same transaction
        # (a batch of records indexes its bills together before it commits).
        index_later(session, bill.id)
    return outcome, changes


def bill_plan(rec: BillIn, merged, juris: Jurisdiction, leg_session: LegislativeSession,
              today: dt.date) -> tuple[dict, dict[str, dict]]:
    """The bill row's values and its actions' rows by natural key, for the merged record `rec` (shared by `ingest_bill` and the bulk path)."""
    # Sources list actions oldest first but not always; keep their order within a day.
    ordered = sorted(zip(rec.actions, merged.action_sources), key=lambda pair: pair[0].date)
    actions = [a for a, _ in ordered]
    origin = rec.origin_chamber or ("legislature" if juris.unicameral
                                    else origin_from_identifier(rec.identifier))
    stage, stage_date = derive_stage(actions, bill_type=rec.bill_type, origin_chamber=origin,
                                     unicameral=juris.unicameral)
    derived, stage = stage, with_source_stages(stage, merged.stage_hints)
    if stage != derived:
        stage_date = source_stage_date(stage, actions)
    introduced = rec.introduced_date or (actions[0].date if actions else None)
    # A pending bill whose session ended (or missed its house-of-origin deadline) is dead: the
    # same rule as the daily sweep (tracker.bills.adjournment), so a re-import changes nothing.
    died = death(leg_session, stage=stage, bill_type=rec.bill_type, introduced_date=introduced, today=today)
    if died:
        stage, stage_date = "dead", died.date
    last = actions[-1] if actions else None
    values = {
        "jurisdiction_id": rec.jurisdiction, "session_id": leg_session.id,
        "identifier": rec.identifier, "normalized_identifier": normalize_identifier(rec.identifier),
        "bill_type": rec.bill_type, "classification": rec.classification or [rec.bill_type],
        "origin_chamber": origin, "title": rec.title,
        "titles": [t.model_dump(mode="json") for t in rec.other_titles],
        "summary": rec.summary, "subjects": rec.subjects, "policy_area": rec.policy_area,
        "introduced_date": introduced,
        "latest_action_date": last.date if last else None,
        "latest_action_text": last.description if last else None,
        "stage": stage, "stage_date": stage_date,
        "related_bills": [dict(r.model_dump(mode="json"), key=r.key) for r in rec.related_bills],
        "laws": [law.model_dump(mode="json") for law in rec.laws],
        "versions": [v.model_dump(mode="json") for v in rec.versions],
        "documents": [d.model_dump(mode="json") for d in rec.documents],
        "committees": rec.committees, "sources": rec.sources, "extras": rec.extras,
        "source_url": rec.source.url, "source_format": rec.source.format,
        "fetched_at": rec.source.fetched_at,
    }
    action_keys = with_repeat_counters(text_key(a.date, a.actor, a.description) for a in actions)
    desired_actions = {
        key: {"position": i, "date": a.date, "actor": a.actor,
              "chamber": a.actor if a.actor in ("upper", "lower", "legislature") else None,
              "committee": a.committee, "description": a.description,
              "classification": a.classification, "code": a.code, "extras": a.extras,
              "source_format": fmt}
        for i, (key, (a, fmt)) in enumerate(zip(action_keys, ordered))}
    return values, desired_actions


def sponsorship_plan(session: Session, rec: BillIn, resolver: IdResolver,
                     introduced: dt.date | None) -> dict[str, dict]:
    """The bill's sponsorship rows by natural key, sponsors resolved by id, else by name."""
    sponsor_keys = with_repeat_counters(sp.natural_key() for sp in rec.sponsorships)
    desired_sponsors = {}
    for i, (key, sp) in enumerate(zip(sponsor_keys, rec.sponsorships)):
        match = resolver.resolve(sp.ids)
        if match.legislator_id is None and sp.entity_type == "person" and not sp.ids:
            match = matcher_for(session).match(sp.name, jurisdiction=rec.jurisdiction,
                                               date=sp.date or introduced)
        desired_sponsors[key] = {
            "name": sp.name, "legislator_id": match.legislator_id, "person_ids": sp.ids,
            "match_method": match.method, "match_confidence": match.confidence,
            "entity_type": sp.entity_type, "primary": sp.primary,
            "classification": sp.classification, "original": sp.original, "date": sp.date,
            "withdrawn_date": sp.withdrawn_date, "position": i}
    return desired_sponsors


def unchanged_bills(session: Session, recs: list[BillIn], today: dt.date) -> set[int]:
    """`id()` of the records in `recs` that would be a noop: the source's record kept for the
    bill has the same content hash, and the stored bill has not died by `today` since (a record
    that would now kill it goes the whole way, as does a dead bill whose session cannot have
    killed it by `today`). One query for the batch; nothing is merged.

    Only the record is compared: sponsors and voters matched once people arrive are the
    deferred pass's work (`tracker.people.pending`, run after every import and people crawl),
    and a change of merge rules needs a re-import with `recheck`."""
    if not recs:
        return set()
    keys = [r.key for r in recs]  # computed once: a key is a property
    rows = session.execute(
        select(Bill.key, BillSource.source_format, BillSource.record_hash, Bill.stage, Bill.bill_type,
               Bill.introduced_date, Bill.session_id)
        .join(BillSource, BillSource.bill_id == Bill.id)
        .where(Bill.key.in_(set(keys)))).all()
    kept = {(key, fmt): row for key, fmt, *row in rows}
    twice = repeated(keys)  # their order decides
    sessions: dict[int, LegislativeSession | None] = {}
    out = set()
    for rec, key in zip(recs, keys):
        row = kept.get((key, rec.source.format))
        if row is None or key in twice or row[0] != record_digest(rec):
            continue
        _, stage, bill_type, introduced, session_id = row
        if session_id not in sessions:
            found = sessions[session_id] = session.get(LegislativeSession, session_id)
            if found is not None and refresh_session(found):
                sessions[session_id] = None  # the calendar moved: let the whole path store it
        leg_session = sessions[session_id]
        if leg_session is None or death(leg_session, stage=stage, bill_type=bill_type,
                                        introduced_date=introduced, today=today):
            continue
        if stage == "dead" and not may_kill(leg_session, today):
            continue  # dead by a rule that does not hold on `today` (an import dated earlier)
        out.add(id(rec))
    return out
