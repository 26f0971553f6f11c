"""Resolve people named by sources (sponsors, voters, committee members) to legislators.

This module resolves through external ids, which are exact. Name matching with confidence
scores plugs in here (see the state data issue); below its threshold a vote stays unmatched.
"""
from __future__ import annotations

from sqlmodel import Session, select

from tracker.models import LegislatorIdentifier
from tracker.people.match_types import NO_MATCH, Match
from tracker.people.namematch import rematch_unmatched




class IdResolver:
    """Looks up (scheme, value) pairs in batches, caching answers for one transaction."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict[tuple[str, str], int | None] = {}

    def prefetch(self, pairs: set[tuple[str, str]]) -> None:
        by_scheme: dict[str, list[str]] = {}
        for scheme, value in pairs:
            if (scheme, value) not in self._cache:
                by_scheme.setdefault(scheme, []).append(value)
        # One `scheme = ? AND value IN (...)` query per scheme: it uses the unique index and
        # its compiled form is cached, unlike an OR of pairs.
        for scheme, values in by_scheme.items():
            for start in range(0, len(values), 500):
                chunk = values[start:start + 500]
                found = dict(self.session.exec(
                    select(LegislatorIdentifier.value, LegislatorIdentifier.legislator_id)
                    .where(LegislatorIdentifier.scheme == scheme)
                    .where(LegislatorIdentifier.value.in_(chunk))).all())
                for value in chunk:
                    self._cache[(scheme, value)] = found.get(value)

    def resolve(self, ids: dict[str, str]) -> Match:
        """The legislator named by any of `ids`, method `id:<scheme>`, confidence 1."""
        pairs = {(s, str(v)) for s, v in ids.items()}
        self.prefetch(pairs)
        for scheme, value in sorted(pairs):
            legislator_id = self._cache.get((scheme, value))
            if legislator_id is not None:
                return Match(legislator_id, f"id:{scheme}", 1.0)
        return NO_MATCH


def resolve_pending(session: Session) -> int:
    """Match stored sponsorships and votes that carry ids of legislators loaded since."""
    from tracker.models import PersonVote, Sponsorship

    resolver = IdResolver(session)
    fixed = 0
    for model, ids_field in ((Sponsorship, "person_ids"), (PersonVote, "voter_ids")):
        rows = [r for r in session.exec(select(model).where(model.legislator_id.is_(None))).all()
                if getattr(r, ids_field)]
        resolver.prefetch({(s, str(v)) for r in rows for s, v in getattr(r, ids_field).items()})
        for row in rows:
            match = resolver.resolve(getattr(row, ids_field))
            if match.legislator_id is None:
                continue
            row.legislator_id = match.legislator_id
            if model is PersonVote:
                row.match_method, row.match_confidence = match.method, match.confidence
            session.add(row)
            fixed += 1
    session.flush()
    return fixed + rematch_unmatched(session)
