"""Store a `VoteEventIn` and its individual votes."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging

from sqlalchemy import select
from sqlmodel import Session

from tracker.contract import VoteEventIn
from tracker.ingest.diff import repeated, sync_children, upsert, with_repeat_counters
from tracker.bills.links import link_vote
from tracker.people.matching import IdResolver
from tracker.models import PersonVote, VoteEvent
from tracker.people.match_types import Match
from tracker.people.namematch import matcher_for
from tracker.people.pending import DUPLICATE, vote_rank
from tracker.store.keyed import key_filters
from tracker.jurisdictions.seed import get_or_create_session

log = logging.getLogger("edtracker.ingest")


def ingest_vote_event(session: Session, rec: VoteEventIn, today: dt.date) -> tuple[str, dict]:
    session_id = get_or_create_session(session, rec.jurisdiction, rec.session).id if rec.session else None
    bill_key, action_position = link_vote(session, rec)  # federal roll call -> bill action
    event, outcome, changes = upsert(session, VoteEvent, {"key": rec.key},
                                     vote_values(rec, session_id, bill_key, action_position))
    digest = content_hash(rec)
    if event.record_hash != digest:  # not a change of the roll call: no event, outcome as compared
        event.record_hash = digest
    resolver = IdResolver(session)
    resolver.prefetch(voter_ids([rec]))
    desired = voter_rows(session, rec, resolver)
    diff = sync_children(session, PersonVote, "vote_event_id", event.id, desired,
                         label_field="voter_name", unique_field="legislator_id", fresh=outcome == "insert")
    if diff and outcome != "insert":
        changes["votes"] = diff
        outcome = "update"
    return outcome, changes


def content_hash(rec: VoteEventIn) -> str:
    """A hash of the record's content, its fetch time aside (pydantic's JSON of the record: a
    roll call of 740 votes in a quarter millisecond, a tenth of a sorted `json.dumps`)."""
    return hashlib.sha1(rec.model_dump_json(exclude={"source": {"fetched_at"}}).encode()).hexdigest()


def unchanged_votes(session: Session, recs: list[VoteEventIn]) -> set[int]:
    """`id()` of the records in `recs` stored before with the same content hash: a noop, answered
    from one query without reading their votes. A roll call twice in `recs` goes
    the whole way (their order decides). Voters matched once people arrive are the deferred
    pass's work (`tracker.people.pending`), as for bills' sponsors; a change of matching rules
    needs a re-import with `recheck`."""
    kept: dict[str, str | None] = {}
    for cond in key_filters(session.connection(), VoteEvent.key, {r.key for r in recs}):
        kept.update(session.execute(select(VoteEvent.key, VoteEvent.record_hash).where(cond)).all())
    twice = repeated(r.key for r in recs)
    return {id(rec) for rec in recs
            if rec.key in kept and kept[rec.key] is not None and rec.key not in twice
            and kept[rec.key] == content_hash(rec)}


def vote_values(rec: VoteEventIn, session_id: int | None, bill_key: str | None,
                action_position: int | None) -> dict:
    """The vote_event row of a record (its key aside)."""
    return {
        "jurisdiction_id": rec.jurisdiction, "session_id": session_id, "bill_key": bill_key,
        "action_position": action_position, "chamber": rec.chamber,
        "organization": rec.organization, "date": rec.date, "start_time": rec.start_time,
        "roll_number": rec.roll_number, "motion_text": rec.motion_text,
        "motion_classification": rec.motion_classification, "vote_type": rec.vote_type,
        "result": rec.result, "counts": rec.counts, "extras": rec.extras,
        # A page a person can open when the source names one; else where the record came from.
        "source_url": (rec.extras or {}).get("page_url") or rec.source.url, "source_format": rec.source.format,
        "fetched_at": rec.source.fetched_at,
    }


def voter_ids(recs: list[VoteEventIn]) -> set[tuple[str, str]]:
    """Every (scheme, value) the voters of `recs` carry: what `IdResolver.prefetch` needs."""
    return {(s, v) for rec in recs for pv in rec.votes for s, v in pv.ids.items()}


def voter_rows(session: Session, rec: VoteEventIn, resolver: IdResolver) -> dict[str, dict]:
    """{natural key: person_vote values} of the record's votes, each voter matched once."""
    keys = with_repeat_counters(pv.natural_key() for pv in rec.votes)
    desired, matches = {}, {}
    for key, pv in zip(keys, rec.votes):
        # A voter the source gives an id for is matched by that id or not at all: an id we do
        # not know names someone not loaded yet (a former member), never a namesake who is.
        match = resolver.resolve(pv.ids)
        if not pv.ids:
            match = matcher_for(session).match(pv.voter_name, jurisdiction=rec.jurisdiction,
                                               chamber=rec.chamber, date=rec.date)
        matches[key] = match
        desired[key] = {"voter_name": pv.voter_name, "voter_ids": pv.ids,
                        "legislator_id": match.legislator_id, "option": pv.option,
                        "raw_option": pv.raw_option, "match_method": match.method,
                        "match_confidence": match.confidence, "note": pv.note}
    duplicates = _one_vote_each(matches)
    for key in duplicates:
        desired[key].update(legislator_id=None, match_method=DUPLICATE.method,
                            match_confidence=DUPLICATE.confidence)
    if duplicates:
        log.warning("%s: %s lists a legislator more than once (%s); the extra rows stay unmatched",
                    rec.source.url, rec.key, ", ".join(desired[k]["voter_name"] for k in duplicates))
    return desired


def _one_vote_each(matches: dict[str, Match]) -> list[str]:
    """Keys of rows naming a legislator another row of the roll call already names: the best
    match keeps the vote (an id match first), the others stay unmatched as `duplicate`."""
    by_person: dict[int, list[tuple[int, str]]] = {}
    for i, (key, match) in enumerate(matches.items()):
        if match.legislator_id is not None:
            by_person.setdefault(match.legislator_id, []).append((i, key))
    extra = []
    for rows in by_person.values():
        if len(rows) > 1:
            rows.sort(key=lambda ik: (not vote_rank(matches[ik[1]])[0], -vote_rank(matches[ik[1]])[1], ik[0]))
            extra += [key for _, key in rows[1:]]
    return extra
