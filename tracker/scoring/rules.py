"""Pure scoring rules: how one recorded vote, sponsorship or manual entry counts, who is eligible,
and how cells add up to a score and a grade. No database here, so each rule can be checked by hand.

score = 100 x sum(weight x agreement) / sum(weight), over the items that count.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from tracker.scoring.settings import POLICIES, ScoringSettings

# Which policy setting governs each non-yes/no option (tracker.vocab.VOTE_OPTIONS).
OPTION_POLICY = {
    "not voting": "absence_policy", "absent": "absence_policy", "not recorded": "absence_policy",
    "excused": "excused_policy", "paired": "paired_policy",
    "present": "present_policy", "abstain": "present_policy",
}
PREFERRED_FROM_STANCE = {"support": "yes", "support_if_amended": "yes",
                         "oppose": "no", "oppose_unless_amended": "no"}


@dataclass(frozen=True)
class Rule:
    """The outcome of a rule: agreement 0..1 (None = not counted) and the words for the audit."""

    agreement: float | None
    rule: str


def preferred_from_stance(stance: str | None) -> str | None:
    """A passage vote's preferred option follows the coalition's stance on the bill."""
    return PREFERRED_FROM_STANCE.get(stance or "")


def outcome_option(result: str | None) -> str | None:
    """The option that prevailed: yes when the motion passed, no when it failed."""
    return {"pass": "yes", "fail": "no"}.get(result or "")


def score_vote(option: str, preferred: str | None, result: str | None, s: ScoringSettings) -> Rule:
    """How one recorded option counts against the preferred option (yes or no)."""
    if preferred not in ("yes", "no"):
        return Rule(None, "not scored: no preferred option (the coalition takes no side)")
    if option in ("yes", "no"):
        if option == preferred:
            return Rule(1.0, f"voted {option}, the coalition's position: agrees")
        return Rule(0.0, f"voted {option}, against the coalition's position ({preferred}): disagrees")
    setting = OPTION_POLICY.get(option)
    if setting is None:
        return Rule(None, f"recorded as {option!r}: not counted")
    policy = getattr(s, setting)
    label = setting.removesuffix("_policy")
    if policy == "count_against":
        return Rule(0.0, f"{option}: {label} counted against")
    if policy == "exclude":
        return Rule(None, f"{option}: {label} excluded")
    if policy == "partial":
        return Rule(s.partial_credit, f"{option}: {label} earns partial credit {s.partial_credit:g}")
    if policy == "with_outcome":
        won = outcome_option(result)
        if won is None:
            return Rule(None, f"{option}: {label} credited with the outcome, but the outcome is unknown")
        agrees = won == preferred
        return Rule(1.0 if agrees else 0.0,
                    f"{option}: {label} credited with the outcome ({won}): {'agrees' if agrees else 'disagrees'}")
    raise ValueError(f"unknown policy {policy!r}; expected one of {sorted(POLICIES)}")


def score_sponsorship(status: str | None, preferred: str | None, s: ScoringSettings) -> Rule:
    """A (co)sponsorship item: status is 'sponsored', 'withdrawn' or None (not a sponsor)."""
    if preferred not in ("yes", "no"):
        return Rule(None, "not scored: no preferred option (the coalition takes no side)")
    good = preferred == "yes"
    if status == "withdrawn":
        if s.withdrawal == "debit" and good:
            return Rule(0.0, "withdrew sponsorship of a supported bill: debited")
        status = None
    if status == "sponsored":
        return Rule(1.0 if good else 0.0,
                    "sponsored a supported bill: agrees" if good else "sponsored an opposed bill: disagrees")
    if s.sponsorship_mode == "credit_only":
        return Rule(None, "not a sponsor: not counted (credit-only sponsorship)")
    return Rule(0.0 if good else 1.0,
                "did not sponsor a supported bill: disagrees" if good else "did not sponsor an opposed bill: agrees")


@dataclass(frozen=True)
class RoleSpan:
    """A seat held: the body (jurisdiction, chamber) and the dates, plus display fields."""

    jurisdiction: str
    chamber: str
    start: dt.date | None
    end: dt.date | None
    district: str | None = None
    party: str | None = None


def eligible_role(roles: Iterable[RoleSpan], jurisdiction: str, chamber: str | None,
                  date: dt.date) -> RoleSpan | None:
    """The role making a legislator a member of the body that voted on `date`, or None.

    A role's end date is the day the term ended (the successor is sworn in that day), so it is
    exclusive; a missing chamber on the vote accepts any chamber of the jurisdiction."""
    for r in roles:
        if r.jurisdiction != jurisdiction:
            continue
        if chamber and r.chamber != chamber and "legislature" not in (chamber, r.chamber):
            continue
        if r.start and date < r.start:
            continue
        if r.end and date >= r.end:
            continue
        return r
    return None


def round_score(value: float, decimals: int) -> float:
    """Round half up (Python's round() rounds half to even, which readers do not expect)."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def grade_for(score: float | None, bands: Iterable[tuple[float, str]]) -> str | None:
    """The grade of the highest band whose minimum the score reaches."""
    if score is None:
        return None
    for floor, grade in sorted(bands, reverse=True):
        if score >= floor:
            return grade
    return None


@dataclass(frozen=True)
class Total:
    earned: float
    possible: float
    counted: int
    score: float | None
    grade: str | None


def total(earned: float, possible: float, counted: int, s: ScoringSettings) -> Total:
    """Score and grade from sums; N/A (None) under the minimum participation or with no weight."""
    if counted < max(s.min_participation, 1) or possible <= 0:
        return Total(earned, possible, counted, None, None)
    score = round_score(100.0 * earned / possible, s.rounding)
    return Total(earned, possible, counted, score, grade_for(score, s.grade_bands))


def summarize(cells: Iterable[tuple[float, float | None]], s: ScoringSettings) -> Total:
    """Add up (weight, agreement) pairs of eligible cells; agreement None = not counted."""
    earned = possible = 0.0
    counted = 0
    for weight, agreement in cells:
        if agreement is None:
            continue
        earned += weight * agreement
        possible += weight
        counted += 1
    return total(earned, possible, counted, s)
