"""The rows school-district files give (the readers in scrapers/formats/school_districts.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import us

LEAID = re.compile(r"^\d{7}$")
LEVELS = ("us_house", "state_upper", "state_lower")
# Districts' kinds, told by words of their names: first rule that matches wins (data, not code).
KIND_RULES: tuple[tuple[str, str], ...] = (
    (r"\b(charter|pcs|academy|public charter)\b", "charter"),
    (r"\bunified\b", "unified"),
    (r"\b(elementary|elem|grade school)\b", "elementary"),
    (r"\b(high school|union high|secondary|hsd)\b", "secondary"),
    (r"\b(independent|ind)\b", "independent"),
    (r"\b(regional|supervisory union|boces|educational service|intermediate)\b", "regional"),
    (r"\bcounty\b", "county"),
    (r"\b(city|town|township|borough|village)\b", "municipal"),
)


@lru_cache
def fips_states() -> dict[str, str]:
    """State FIPS code -> postal code (lower case), states, DC and territories."""
    out = {s.fips: s.abbr.lower() for s in (*us.states.STATES, *us.states.TERRITORIES)}
    out[us.states.DC.fips] = "dc"
    return out


def kind_of(name: str | None) -> str | None:
    low = (name or "").lower()
    for pattern, kind in KIND_RULES:
        if re.search(pattern, low):
            return kind
    return None


@dataclass(frozen=True)
class DivisionRow:
    """A school district as the OCD lists give it: its division id and a name or NCES id."""

    ocd_id: str
    state: str
    name: str | None = None
    leaid: str | None = None
    state_code: str | None = None
    county: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class PartRow:
    """One part of a school district inside one legislative district (relationship or crosswalk file)."""

    leaid: str
    level: str
    state: str
    district: str
    land_area: float | None
    water_area: float | None
    vintage: str
    name: str | None = None
    line: int = 0


@dataclass
class TableFile:
    """What one file held: the rows read, and the problems of rows that could not be read."""

    kind: str
    divisions: list[DivisionRow]
    parts: list[PartRow]
    problems: list[tuple[str | None, str]]   # (LEAID or line, problem)
    bad_leaids: set[str] = field(default_factory=set)   # districts with a bad row: none of their parts is stored
