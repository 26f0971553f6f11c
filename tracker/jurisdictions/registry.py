"""The jurisdictions edtracker knows: `us`, the 50 states, DC and PR."""
from __future__ import annotations

from functools import lru_cache

import us

# Nebraska's legislature and the DC Council have one chamber.
_UNICAMERAL = {"ne", "dc"}


@lru_cache
def all_jurisdictions() -> tuple[dict, ...]:
    """Rows for the jurisdiction table, `us` first, then states by postal code, DC and PR."""
    rows = [{
        "id": "us", "name": "United States", "classification": "country",
        "division_id": "ocd-division/country:us",
        "ocd_jurisdiction_id": "ocd-jurisdiction/country:us/government",
        "legislature_name": "United States Congress", "unicameral": False,
        "timezone": "America/New_York",
    }]
    for st in sorted(us.states.STATES, key=lambda s: s.abbr) + [us.states.DC, us.states.PR]:
        code = st.abbr.lower()
        kind = "state" if st in us.states.STATES else ("district" if code == "dc" else "territory")
        rows.append({
            "id": code, "name": st.name, "classification": kind,
            "division_id": f"ocd-division/country:us/{kind}:{code}",
            "ocd_jurisdiction_id": f"ocd-jurisdiction/country:us/{kind}:{code}/government",
            "legislature_name": None, "unicameral": code in _UNICAMERAL,
            "timezone": st.capital_tz,
        })
    return tuple(rows)


JURISDICTION_IDS = frozenset(r["id"] for r in all_jurisdictions())


def jurisdiction_from_ocd(value: str) -> str | None:
    """`ocd-jurisdiction/country:us/state:ca/government` or a division id -> `ca`."""
    for row in all_jurisdictions():
        if value in (row["division_id"], row["ocd_jurisdiction_id"]):
            return row["id"]
    return None
