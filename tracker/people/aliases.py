"""Aliases: raw names people tie to a legislator, kept across every re-crawl."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tracker.models import Jurisdiction, Legislator, VoterAlias
from tracker.models.base import utcnow
from tracker.people.namematch import fold, invalidate_cache
from tracker.people.pending import rematch_unmatched


class AliasError(ValueError):
    """A bad alias request (unknown jurisdiction or legislator, bad chamber)."""


def add_alias(session: Session, jurisdiction: str, raw_name: str, legislator_key: str, *,
              chamber: str | None = None, start_date: dt.date | None = None,
              end_date: dt.date | None = None, note: str | None = None) -> tuple[VoterAlias, int]:
    """Store (or re-point) an alias and re-match stored unmatched rows; return (alias, matched)."""
    jurisdiction = jurisdiction.lower()
    if session.get(Jurisdiction, jurisdiction) is None:
        raise AliasError(f"unknown jurisdiction {jurisdiction!r}")
    if chamber not in (None, "upper", "lower", "legislature"):
        raise AliasError(f"chamber {chamber!r} must be upper, lower or legislature")
    person = session.exec(select(Legislator).where(Legislator.key == legislator_key)).first()
    if person is None:
        raise AliasError(f"no legislator with key {legislator_key!r}")
    normalized = fold(raw_name)
    if not normalized:
        raise AliasError(f"alias {raw_name!r} is empty once punctuation is removed")
    row = session.exec(select(VoterAlias).where(
        VoterAlias.jurisdiction_id == jurisdiction, VoterAlias.normalized_name == normalized,
        VoterAlias.chamber == chamber if chamber else VoterAlias.chamber.is_(None))).first()
    if row is None:
        row = VoterAlias(jurisdiction_id=jurisdiction, chamber=chamber, raw_name=raw_name,
                         normalized_name=normalized, legislator_id=person.id)
    row.legislator_id, row.raw_name = person.id, raw_name
    row.start_date, row.end_date, row.note = start_date, end_date, note
    row.created_at = utcnow()  # other processes see the change through the cache signature
    session.add(row)
    session.flush()
    invalidate_cache()
    return row, rematch_unmatched(session, jurisdiction)


def list_aliases(session: Session, jurisdiction: str | None = None) -> list[dict]:
    query = select(VoterAlias, Legislator).join(Legislator, VoterAlias.legislator_id == Legislator.id)
    if jurisdiction:
        query = query.where(VoterAlias.jurisdiction_id == jurisdiction.lower())
    return [{"jurisdiction": a.jurisdiction_id, "chamber": a.chamber, "raw_name": a.raw_name,
             "legislator_key": p.key, "legislator": p.name,
             "start_date": a.start_date, "end_date": a.end_date}
            for a, p in session.exec(query.order_by(VoterAlias.jurisdiction_id, VoterAlias.raw_name)).all()]
