"""Deferred resolution: votes and sponsorships stored without a legislator are tried again
once people are loaded (after an import or a crawl) or an alias is added.

A row that carries ids is tried by its ids only, a row without ids by its printed name (the
same rules as at ingest, so a later re-import reaches the same answer and changes nothing).
Only unmatched rows are touched: a match once made stays. After an import this runs batch by
batch, one short transaction each, so a large store is never locked for the whole pass.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy.engine import Engine
from sqlalchemy.orm import load_only
from sqlmodel import Session, select

from tracker.models import Bill, Legislator, PersonVote, Sponsorship, VoteEvent
from tracker.people.match_types import Match
from tracker.people.matching import IdResolver
from tracker.people.namematch import NameMatcher

DUPLICATE = Match(None, "duplicate", None)


def vote_rank(match: Match) -> tuple[bool, float]:
    """Which of two rows naming one legislator in one roll call keeps the vote (higher wins)."""
    return ((match.method or "").startswith("id:"), match.confidence or 0.0)


def _match_vote(pv: PersonVote, event: VoteEvent, resolver: IdResolver, matcher: NameMatcher) -> Match:
    if pv.voter_ids:
        return resolver.resolve(pv.voter_ids)
    return matcher.match(pv.voter_name, jurisdiction=event.jurisdiction_id, chamber=event.chamber,
                         date=event.date)


def _match_sponsor(sp: Sponsorship, bill: Bill, resolver: IdResolver, matcher: NameMatcher) -> Match:
    if sp.person_ids:
        return resolver.resolve(sp.person_ids)
    return matcher.match(sp.name, jurisdiction=bill.jurisdiction_id, date=sp.date or bill.introduced_date)


def _set(session: Session, row, match: Match) -> bool:
    """Store `match` on `row` when it differs; True when the row changed."""
    if (row.legislator_id, row.match_method, row.match_confidence) == (
            match.legislator_id, match.method, match.confidence):
        return False
    row.legislator_id, row.match_method, row.match_confidence = (
        match.legislator_id, match.method, match.confidence)
    session.add(row)
    return True


def rematch_votes(session: Session, rows: list[tuple[PersonVote, VoteEvent]],
                  matcher: NameMatcher | None = None) -> int:
    """Try unmatched votes again; a legislator keeps one vote per roll call (an id match beats a
    name match; otherwise the row holding it keeps it). Returns how many were matched."""
    resolver, matcher = IdResolver(session), matcher or NameMatcher(session)
    resolver.prefetch({(s, str(v)) for pv, _ in rows for s, v in (pv.voter_ids or {}).items()})
    found = [(pv, _match_vote(pv, event, resolver, matcher)) for pv, event in rows]
    wanted = {(pv.vote_event_id, m.legislator_id) for pv, m in found if m.legislator_id is not None}
    holders: dict[tuple[int, int], PersonVote] = {}
    if wanted:
        for pv in session.exec(select(PersonVote).where(
                PersonVote.vote_event_id.in_({e for e, _ in wanted}),
                PersonVote.legislator_id.in_({lid for _, lid in wanted}))).all():
            holders[(pv.vote_event_id, pv.legislator_id)] = pv
    fixed = 0
    for pv, match in sorted(found, key=lambda pm: (not vote_rank(pm[1])[0], -vote_rank(pm[1])[1], pm[0].id)):
        if match.legislator_id is not None:
            slot = (pv.vote_event_id, match.legislator_id)
            holder = holders.get(slot)
            if holder is not None and holder is not pv:
                held = Match(holder.legislator_id, holder.match_method, holder.match_confidence)
                if vote_rank(match) <= vote_rank(held):
                    _set(session, pv, DUPLICATE)
                    continue
                _set(session, holder, DUPLICATE)  # a name match gives way to an id match
                session.flush()
            holders[slot] = pv
        if _set(session, pv, match):
            fixed += match.legislator_id is not None
    session.flush()
    return fixed


def rematch_sponsors(session: Session, rows: list[tuple[Sponsorship, Bill]],
                     matcher: NameMatcher | None = None) -> int:
    resolver, matcher = IdResolver(session), matcher or NameMatcher(session)
    resolver.prefetch({(s, str(v)) for sp, _ in rows for s, v in (sp.person_ids or {}).items()})
    fixed = 0
    for sp, bill in rows:
        match = _match_sponsor(sp, bill, resolver, matcher)
        if _set(session, sp, match):
            fixed += match.legislator_id is not None
    session.flush()
    return fixed


# What matching reads of a row's roll call or bill: loading their JSON columns (counts, titles,
# versions, extras) for every unmatched row made the pass after each import slow.
_EVENT_FIELDS = load_only(VoteEvent.id, VoteEvent.jurisdiction_id, VoteEvent.chamber, VoteEvent.date)
_BILL_FIELDS = load_only(Bill.id, Bill.jurisdiction_id, Bill.introduced_date)


def _vote_query(jurisdiction: str | None):
    query = select(PersonVote, VoteEvent).options(_EVENT_FIELDS).join(VoteEvent, PersonVote.vote_event_id == VoteEvent.id) \
        .where(PersonVote.legislator_id.is_(None))
    return query.where(VoteEvent.jurisdiction_id == jurisdiction) if jurisdiction else query


def _sponsor_query(jurisdiction: str | None):
    query = select(Sponsorship, Bill).options(_BILL_FIELDS).join(Bill, Sponsorship.bill_id == Bill.id) \
        .where(Sponsorship.legislator_id.is_(None), Sponsorship.entity_type == "person")
    return query.where(Bill.jurisdiction_id == jurisdiction) if jurisdiction else query


def _pages(session: Session, query, model, batch_size: int) -> Iterable[list]:
    last = 0
    while True:
        page = session.exec(query.where(model.id > last).order_by(model.id).limit(batch_size)).all()
        if not page:
            return
        last = page[-1][0].id
        yield page


def rematch_unmatched(session: Session, jurisdiction: str | None = None,
                      threshold: float | None = None) -> int:
    """In the caller's transaction (an alias just added): try every unmatched row again."""
    matcher = NameMatcher(session, threshold)
    fixed = 0
    for page in _pages(session, _vote_query(jurisdiction), PersonVote, 2000):
        fixed += rematch_votes(session, page, matcher)
    for page in _pages(session, _sponsor_query(jurisdiction), Sponsorship, 2000):
        fixed += rematch_sponsors(session, page, matcher)
    return fixed


def resolve_pending(engine: Engine, *, batch_size: int = 500) -> int:
    """After an import or crawl: every unmatched row tried again, `batch_size` rows per
    transaction; returns how many were matched."""
    with Session(engine) as session:
        if session.exec(select(Legislator.id).limit(1)).first() is None:
            # Nobody to match: every row keeps the miss its ingest recorded by the same rules
            # (a first import into a new store skips reading all of its sponsorships again).
            return 0
    fixed = 0
    for query, model, rematch in ((_vote_query(None), PersonVote, rematch_votes),
                                  (_sponsor_query(None), Sponsorship, rematch_sponsors)):
        last = 0
        while True:
            with Session(engine, expire_on_commit=False) as session:
                page = session.exec(query.where(model.id > last).order_by(model.id).limit(batch_size)).all()
                if not page:
                    break
                last = page[-1][0].id
                fixed += rematch(session, page)
                session.commit()
    return fixed
