"""Facts about the U.S. Congress that several federal parsers share: congress numbers and bill types."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.jurisdictions import clock


def current_congress(today: dt.date | None = None) -> int:
    """The congress in session on `today`: the Nth Congress starts on 3 January of 1787 + 2N."""
    today = today or clock.today()
    year = today.year
    if year % 2 == 1 and today < dt.date(year, 1, 3):
        year -= 1  # 1-2 January of an odd year still belong to the previous congress
    return (year - 1787) // 2


@dataclass(frozen=True)
class BillType:
    code: str          # GovInfo / Congress.gov code: hr, s, hjres, ...
    prefix: str        # how the bill is printed: "H.R.", "S.J.Res."
    bill_type: str     # edtracker vocabulary (tracker.vocab.BILL_TYPES)
    chamber: str       # origin chamber: lower or upper


BILL_TYPES: dict[str, BillType] = {t.code: t for t in (
    BillType("hr", "H.R.", "bill", "lower"),
    BillType("s", "S.", "bill", "upper"),
    BillType("hres", "H.Res.", "resolution", "lower"),
    BillType("sres", "S.Res.", "resolution", "upper"),
    BillType("hjres", "H.J.Res.", "joint resolution", "lower"),
    BillType("sjres", "S.J.Res.", "joint resolution", "upper"),
    BillType("hconres", "H.Con.Res.", "concurrent resolution", "lower"),
    BillType("sconres", "S.Con.Res.", "concurrent resolution", "upper"),
)}


def bill_type_code(raw: str) -> str | None:
    """`HR`, `H.R.`, `S.Con.Res.`, `hconres` -> the lower-case code, or None when unknown."""
    code = "".join(ch for ch in raw.lower() if ch.isalpha())
    return code if code in BILL_TYPES else None


def display_identifier(code: str, number: str | int) -> str:
    """`hconres`, 70 -> `H.Con.Res. 70`."""
    return f"{BILL_TYPES[code].prefix} {int(number)}"
