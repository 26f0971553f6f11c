"""Resolve people named by sources (sponsors, voters, committee members) to legislators by the
ids they carry (bioguide, LIS, LegiScan people id, Open States id, NY member id, ...).

An id is exact: a record carrying ids is matched by them or left unmatched with the reason
(`unknown-id`: nobody loaded has it, e.g. a former member before the historical file is
loaded; `id-conflict`: its ids name two people). It is never matched by name, so a namesake or
a close spelling (Walters / Waters) cannot take a vote that is not theirs. Records without ids
are matched by name (`namematch`). Deferred resolution after an import lives in `pending`.
"""
from __future__ import annotations

from typing import Iterable

from sqlmodel import Session, select

from tracker.models import LegislatorIdentifier
from tracker.people.match_types import NO_MATCH, Match

UNKNOWN_ID = Match(None, "unknown-id", None)
ID_CONFLICT = Match(None, "id-conflict", None)


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

    def seed(self, pairs: Iterable[tuple[str, str]], held: dict[tuple[str, str], int]) -> None:
        """Answers for `pairs` read elsewhere in this transaction (`held`: {(scheme, value):
        legislator id} of those stored; the others are held by nobody): no query for them."""
        for pair in pairs:
            self._cache[pair] = held.get(pair)

    def resolve(self, ids: dict[str, str]) -> Match:
        """The one legislator `ids` name (method `id:<scheme>`, confidence 1); without ids no
        match; with ids nobody holds `unknown-id`; with ids of two people `id-conflict`."""
        pairs = {(s, str(v)) for s, v in ids.items()}
        if not pairs:
            return NO_MATCH
        if not pairs <= self._cache.keys():  # all answered already: the usual case in a batch
            self.prefetch(pairs)
        found: dict[int, str] = {}
        for scheme, value in sorted(pairs):
            legislator_id = self._cache.get((scheme, value))
            if legislator_id is not None:
                found.setdefault(legislator_id, scheme)
        if len(found) == 1:
            legislator_id, scheme = next(iter(found.items()))
            return Match(legislator_id, f"id:{scheme}", 1.0)
        return ID_CONFLICT if found else UNKNOWN_ID


def resolve_pending(engine, *, batch_size: int = 500) -> int:
    """Match stored votes and sponsorships left unmatched (people loaded since), in batches of
    short transactions; see `pending`. Given a Session (older callers), in its transaction."""
    from tracker.people.pending import rematch_unmatched, resolve_pending as run

    if isinstance(engine, Session):
        return rematch_unmatched(engine)
    return run(engine, batch_size=batch_size)
