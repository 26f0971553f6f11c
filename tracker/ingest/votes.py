"""Store a `VoteEventIn` and its individual votes."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from tracker.contract import VoteEventIn
from tracker.ingest.diff import sync_children, upsert, with_repeat_counters
from tracker.bills.links import link_vote
from tracker.people.matching import IdResolver
from tracker.models import PersonVote, VoteEvent
from tracker.people.namematch import matcher_for
from tracker.jurisdictions.seed import get_or_create_session


def ingest_vote_event(session: Session, rec: VoteEventIn, today: dt.date) -> tuple[str, dict]:
    session_id = get_or_create_session(session, rec.jurisdiction, rec.session).id if rec.session else None
    bill_key, action_position = link_vote(session, rec)  # federal roll call -> bill action
    values = {
        "jurisdiction_id": rec.jurisdiction, "session_id": session_id, "bill_key": bill_key,
        "action_position": action_position, "chamber": rec.chamber,
        "organization": rec.organization, "date": rec.date, "start_time": rec.start_time,
        "roll_number": rec.roll_number, "motion_text": rec.motion_text,
        "motion_classification": rec.motion_classification, "vote_type": rec.vote_type,
        "result": rec.result, "counts": rec.counts, "extras": rec.extras,
        "source_url": rec.source.url, "source_format": rec.source.format,
        "fetched_at": rec.source.fetched_at,
    }
    event, outcome, changes = upsert(session, VoteEvent, {"key": rec.key}, values)
    resolver = IdResolver(session)
    resolver.prefetch({(s, v) for pv in rec.votes for s, v in pv.ids.items()})
    keys = with_repeat_counters(pv.natural_key() for pv in rec.votes)
    desired = {}
    for key, pv in zip(keys, rec.votes):
        match = resolver.resolve(pv.ids)
        # Only a voter the source gives no id for is matched by the printed name: an id we do
        # not know names someone not loaded yet (a former member), never a namesake who is.
        if match.legislator_id is None and not pv.ids:
            match = matcher_for(session).match(pv.voter_name, jurisdiction=rec.jurisdiction,
                                               chamber=rec.chamber, date=rec.date)
        desired[key] = {"voter_name": pv.voter_name, "voter_ids": pv.ids,
                        "legislator_id": match.legislator_id, "option": pv.option,
                        "raw_option": pv.raw_option, "match_method": match.method,
                        "match_confidence": match.confidence, "note": pv.note}
    diff = sync_children(session, PersonVote, "vote_event_id", event.id, desired,
                         label_field="voter_name")
    if diff and outcome != "insert":
        changes["votes"] = diff
        outcome = "update"
    return outcome, changes
