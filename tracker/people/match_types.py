"""What resolving a printed name or an id gives: the legislator, how, and how sure.

Shared by id resolution (`matching`) and name matching (`namematch`), so neither imports the other.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    legislator_id: int | None
    method: str | None
    confidence: float | None


NO_MATCH = Match(None, None, None)
