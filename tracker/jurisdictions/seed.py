"""Reference data the store always holds: jurisdictions and well-known sessions."""
from __future__ import annotations

from sqlmodel import Session, select

from tracker.jurisdictions import calendar
from tracker.jurisdictions.registry import all_jurisdictions
from tracker.models import Jurisdiction, LegislativeSession


def ensure_jurisdictions(session: Session) -> int:
    """Insert missing jurisdictions; return how many were added."""
    have = set(session.exec(select(Jurisdiction.id)).all())
    added = 0
    for row in all_jurisdictions():
        if row["id"] not in have:
            session.add(Jurisdiction(**row))
            added += 1
    session.flush()
    return added


def default_session(jurisdiction: str, identifier: str) -> dict:
    """Name and dates for a session known only by its identifier (see tracker.jurisdictions.calendar)."""
    values = calendar.resolve(jurisdiction, identifier, {})
    return {k: values[k] for k in SESSION_FIELDS}


SESSION_FIELDS = ("name", "classification", "start_date", "end_date", "carry_over", "sine_die_date",
                  "adjourned", "dates_source")


def get_or_create_session(session: Session, jurisdiction: str, identifier: str) -> LegislativeSession:
    """The stored session, created from the calendar when it is not known yet, and brought up
    to date with it (a session stored before the calendar file knew it)."""
    row = session.exec(select(LegislativeSession).where(
        LegislativeSession.jurisdiction_id == jurisdiction,
        LegislativeSession.identifier == identifier)).first()
    if row is None:
        row = LegislativeSession(jurisdiction_id=jurisdiction, identifier=identifier,
                                 **default_session(jurisdiction, identifier))
        session.add(row)
        session.flush()
    elif refresh_session(row):
        session.add(row)
        session.flush()
    return row


def refresh_session(row: LegislativeSession) -> dict:
    """Re-resolve a stored session from the calendar and what sources reported; return changes."""
    values = calendar.resolve(row.jurisdiction_id, row.identifier, row.reported or {})
    changes = {}
    for name in SESSION_FIELDS:
        if getattr(row, name) != values[name]:
            changes[name] = {"old": getattr(row, name), "new": values[name]}
            setattr(row, name, values[name])
    return changes
