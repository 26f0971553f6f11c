"""A legislature's own rules for bills carried over within a multi-year session.

The rules are data in the jurisdiction's module (`CARRY_OVER` in `tracker/actions/<state>.py`;
California's house-of-origin deadline, art. IV sec. 10(c)). Applied after the stage derivation:
a bill still short of passing its house of origin when the deadline has passed is `dead`.
The session's end (every pending bill dead) is the stage derivation's own rule.
"""
from __future__ import annotations

import datetime as dt
import re

from tracker.actions.state import _module


def carry_over_stage(jurisdiction: str, session: str, bill_type: str, stage: str,
                     stage_date: dt.date | None, introduced: dt.date | None,
                     today: dt.date) -> tuple[str, dt.date | None]:
    """(stage, date) after the jurisdiction's carry-over rule; unchanged when none applies."""
    mod = _module(jurisdiction)
    rule = getattr(mod, "CARRY_OVER", None) if mod else None
    if not rule or stage not in rule["not_passed"] or bill_type not in rule["bill_types"]:
        return stage, stage_date
    m = re.fullmatch(r"(\d{4})(\d{4})", session)
    if not m:  # extraordinary sessions (`20252026s1`) and annual ones: no carry-over rule
        return stage, stage_date
    second = int(m.group(2))
    if introduced is None or introduced >= dt.date(second, 1, 1):
        return stage, stage_date  # introduced in the second year: only the session's end applies
    month, day = rule["origin_deadline"]
    deadline = dt.date(second, month, day)
    if today > deadline:
        return "dead", deadline + dt.timedelta(days=1)
    return stage, stage_date
