"""Reference data the store always holds: jurisdictions and well-known sessions."""
from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, select

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


# Legislatures whose two-year session is named by its first year (NY: "2025" = 2025-2026).
_TWO_YEAR_BY_START_YEAR = {"ny"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def default_session(jurisdiction: str, identifier: str) -> dict:
    """Name and dates for a session known only by its identifier.

    Congress N meets from 3 January of year 1787 + 2N for two years; state identifiers of
    the form `20252026` are biennial, `2025` annual, anything else is named as written.
    """
    if jurisdiction == "us" and identifier.isdigit():
        n = int(identifier)
        start = dt.date(1787 + 2 * n, 1, 3)
        return {"name": f"{_ordinal(n)} Congress", "start_date": start,
                "end_date": dt.date(start.year + 2, 1, 3), "classification": "primary",
                "carry_over": True}
    m = re.fullmatch(r"(\d{4})(\d{4})", identifier)
    if m and int(m.group(2)) == int(m.group(1)) + 1:
        return {"name": f"{m.group(1)}-{m.group(2)} Regular Session",
                "start_date": dt.date(int(m.group(1)), 1, 1),
                "end_date": dt.date(int(m.group(2)), 12, 31), "classification": "primary",
                "carry_over": True}
    if re.fullmatch(r"\d{4}", identifier) and jurisdiction in _TWO_YEAR_BY_START_YEAR:
        start = int(identifier)
        return {"name": f"{start}-{start + 1} Regular Session", "start_date": dt.date(start, 1, 1),
                "end_date": dt.date(start + 1, 12, 31), "classification": "primary",
                "carry_over": True}
    if re.fullmatch(r"\d{4}", identifier):
        return {"name": f"{identifier} Regular Session", "start_date": dt.date(int(identifier), 1, 1),
                "end_date": dt.date(int(identifier), 12, 31), "classification": "primary",
                "carry_over": False}
    special = bool(re.search(r"(S|X|SS|Special)\d*$", identifier, re.I))
    return {"name": identifier, "start_date": None, "end_date": None,
            "classification": "special" if special else "primary", "carry_over": False}


def get_or_create_session(session: Session, jurisdiction: str, identifier: str) -> LegislativeSession:
    """The stored session, created from `default_session` when it is not known yet."""
    row = session.exec(select(LegislativeSession).where(
        LegislativeSession.jurisdiction_id == jurisdiction,
        LegislativeSession.identifier == identifier)).first()
    if row is None:
        row = LegislativeSession(jurisdiction_id=jurisdiction, identifier=identifier,
                                 **default_session(jurisdiction, identifier))
        session.add(row)
        session.flush()
    return row
