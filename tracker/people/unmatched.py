"""Voters no legislator was found for, grouped by printed name and chamber, each with the
legislators who served there then, likeliest first: what an admin picks from to say "this is
the same person" (an alias, `tracker.people.aliases.add_alias`)."""
from __future__ import annotations

from difflib import SequenceMatcher

from sqlalchemy import func, or_, select

from tracker.models import Legislator, LegislatorRole, PersonVote, VoteEvent
from tracker.people.namematch import fold

# Rows left unmatched on purpose: a second row of one legislator in the same roll call.
NOT_FIXABLE = ("duplicate",)
# Rows a source names by its ids are matched by those ids only, never by name, so an alias
# cannot fix them: the people file that defines the id is missing (tracker.people.pending).
BY_ID = ("unknown-id", "id-conflict")
CANDIDATES = 25


def unmatched_voters(db, *, jurisdiction: str | None = None, limit: int = 50) -> list[dict]:
    """The names with the most unmatched votes first (at most `limit`), with candidates."""
    query = (select(VoteEvent.jurisdiction_id, VoteEvent.chamber, PersonVote.voter_name, func.count(),
                    func.min(VoteEvent.date), func.max(VoteEvent.date), func.max(PersonVote.match_method))
             .join(VoteEvent, PersonVote.vote_event_id == VoteEvent.id)
             .where(PersonVote.legislator_id.is_(None),
                    or_(PersonVote.match_method.is_(None), PersonVote.match_method.not_in(NOT_FIXABLE)))
             .group_by(VoteEvent.jurisdiction_id, VoteEvent.chamber, PersonVote.voter_name)
             .order_by(func.count().desc(), VoteEvent.jurisdiction_id, PersonVote.voter_name).limit(limit))
    if jurisdiction:
        query = query.where(VoteEvent.jurisdiction_id == jurisdiction.lower())
    out = []
    for jur, chamber, name, n, first, last, reason in db.execute(query).all():
        reason = reason or "no-candidate"
        fixable = reason not in BY_ID
        out.append({"jurisdiction": jur, "chamber": chamber, "name": name, "votes": n, "first_date": first,
                    "last_date": last, "reason": reason, "fixable": fixable,
                    "candidates": candidates(db, jur, chamber, name, first, last) if fixable else []})
    return out


def candidates(db, jurisdiction: str, chamber: str | None, name: str, first, last) -> list[dict]:
    """Legislators with a seat in that chamber overlapping the dates, closest name first."""
    query = (select(Legislator.key, Legislator.name).join(LegislatorRole, LegislatorRole.legislator_id == Legislator.id)
             .where(LegislatorRole.jurisdiction_id == jurisdiction,
                    or_(LegislatorRole.start_date.is_(None), LegislatorRole.start_date <= last),
                    or_(LegislatorRole.end_date.is_(None), LegislatorRole.end_date >= first)).distinct())
    if chamber:
        query = query.where(LegislatorRole.chamber == chamber)
    wanted = fold(name)
    rows = [{"key": k, "name": n, "score": _closeness(wanted, fold(n))} for k, n in db.execute(query).all()]
    rows.sort(key=lambda r: (-r["score"], r["name"], r["key"]))
    return rows[:CANDIDATES]


def _closeness(a: str, b: str) -> float:
    # A printed surname ("Smith") against a full name ("John Smith"): score the best of the
    # whole name and its last word, so surname-only rolls still rank the right person first.
    if not a or not b:
        return 0.0
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, a, b.split()[-1]).ratio())
