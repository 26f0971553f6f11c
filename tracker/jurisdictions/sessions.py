"""One session identifier per legislative session, whichever source names it.

The same bill from two sources must get the same key (`tracker.bills.keys.bill_key`), so sources
that spell sessions differently are mapped here: Open States says `2023-2024` for New York
where OpenLegislation says `2023` (the odd start year), `2024RS` for Kentucky's regular
session, `20232024` for California (as LegiScan's biennial identifiers do).
"""
from __future__ import annotations

import re

# Legislatures whose two-year session is named by its (odd) first year.
_START_YEAR = {"ny"}
_SPECIAL = re.compile(r"^(\d{4})\s*(?:-\s*\d{4})?\s*(?:ss|x|s|special\s*session\s*)(\d*)$", re.I)
# California names its extraordinary sessions by the two-year session: Open States writes
# `20252026 Special Session 1`, the Legislature session 20252026 with session number 1.
_BIENNIAL_SPECIAL = re.compile(r"^(\d{8})\s*(?:ss|x|s|special\s*session|extraordinary\s*session)\s*(\d+)$", re.I)


def canonical_session(jurisdiction: str, identifier: str) -> str:
    """`ny`, `2023-2024` -> `2023`; `ky`, `2024RS` -> `2024`; `ca`, `2023-2024` -> `20232024`;
    `ca`, `20252026 Special Session 1` -> `20252026s1`."""
    raw = identifier.strip()
    compact = re.sub(r"[\s\-_/]+", "", raw)
    m = re.fullmatch(r"(\d{4})(\d{4})?(RS|R)?", compact, re.I)
    if m:
        start, end = int(m.group(1)), int(m.group(2)) if m.group(2) else None
        if jurisdiction in _START_YEAR:
            return str(start if start % 2 else start - 1)
        if end and end != start:
            return f"{start}{end}"
        return str(start)
    m = _BIENNIAL_SPECIAL.match(raw)
    if m:
        return f"{m.group(1)}s{int(m.group(2))}"
    m = _SPECIAL.match(raw)
    if m:
        return f"{m.group(1)}s{m.group(2) or 1}"
    return raw
