"""Rule tables shared by the federal roll-call formats (House Clerk, Senate LIS, unitedstates/congress,
Congress.gov): vote options, motion classification, results and bill numbers.

Every table is data: the first matching row wins. The option values are the ones seen in the real
files (see ../shared/docs/sources.md, "Vote values seen, by source").
"""
from __future__ import annotations

import re

from tracker.bills.keys import bill_key

# Raw vote value (case-insensitive) -> normalized option. Anything else is "other" (the Speaker
# election lists candidate names instead of Yea/Nay: https://clerk.house.gov/evs/2025/roll002.xml).
VOTE_OPTIONS: dict[str, str] = {
    "yea": "yes", "aye": "yes", "yes": "yes", "guilty": "yes", "+": "yes",
    "nay": "no", "no": "no", "not guilty": "no", "-": "no",
    "present": "present", "p": "present",
    # Senate LIS: a senator present who votes neither way because of a pair with an absent colleague
    # (https://www.senate.gov/legislative/LIS/roll_call_votes/vote1082/vote_108_2_00213.xml).
    "present, giving live pair": "paired",
    "not voting": "not voting", "0": "not voting",
}

# Options the chambers count as present in their own totals (the Senate counts a live pair there).
COUNTED_AS = {"paired": "present"}


def normalize_option(raw: str) -> str:
    """`Yea` -> yes, `No` -> no, `Present, Giving Live Pair` -> paired, a candidate name -> other."""
    return VOTE_OPTIONS.get(" ".join(raw.split()).lower(), "other")


# (pattern on the question / vote type, motion classification); first match wins, so narrow
# motions (cloture on an amendment, recommit with instructions) come before broad ones.
MOTION_RULES: tuple[tuple[re.Pattern, list[str]], ...] = tuple((re.compile(p, re.I), c) for p, c in (
    (r"election of the speaker", ["election"]),
    (r"\bquorum\b", ["quorum"]),
    (r"\bcloture\b", ["cloture"]),
    (r"\brecommit", ["recommit"]),
    (r"\b(motion to )?table\b", ["table"]),
    (r"\bveto\b|objections of the president", ["veto-override"]),
    (r"conference report", ["conference-report"]),
    (r"\bconcur", ["concurrence"]),
    (r"\bamendment\b|\bamdt\b", ["amendment"]),
    (r"previous question", ["previous-question"]),
    (r"\bjournal\b", ["journal"]),
    (r"\badjourn", ["adjournment"]),
    (r"\bnomination\b|\bconfirmation\b", ["nomination"]),
    (r"\bguilty\b|\barticle\b.*impeachment|conviction", ["conviction"]),
    (r"motion to proceed", ["motion-to-proceed"]),
    (r"suspend the rules and (pass|agree)|\bpassage\b|\bpass\b", ["passage"]),
    (r"(agreeing to|adoption of) the resolution|on the resolution|joint resolution", ["passage"]),
))


def classify_motion(*texts: str | None) -> list[str]:
    """Motion classification from the question (and vote type): `On Passage` -> [passage]."""
    for text in texts:
        if not text:
            continue
        for pattern, classes in MOTION_RULES:
            if pattern.search(text):
                return list(classes)
    return []


# (pattern on the result text, result); `Not Agreed to` must be tested before `Agreed to`.
RESULT_RULES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.I), r) for p, r in (
    (r"not agreed|rejected|failed|defeated|not guilty|veto sustained|not well taken|not sustained", "fail"),
    (r"passed|agreed to|confirmed|guilty|overridden|adopted|well taken|sustained|held germane", "pass"),
))


def classify_result(text: str | None) -> str:
    """`Passed` / `Agreed to` -> pass, `Failed` / `Rejected` -> fail, a candidate's name -> other."""
    for pattern, result in RESULT_RULES:
        if text and pattern.search(text):
            return result
    return "other"


# Bill types as the chambers print them, compacted (no spaces or dots), that make a bill key.
_BILL_PREFIXES = {"HR", "HRES", "HJRES", "HCONRES", "S", "SRES", "SJRES", "SCONRES"}
_NUMBERED = re.compile(r"^([A-Z]+)(\d+)$")


def federal_bill_key(congress: str | int | None, printed: str | None) -> str | None:
    """`119`, `H R 21` -> us-119-hr21; `S. 2986` -> us-108-s2986; `QUORUM 1`, `PN 12` -> None."""
    if not congress or not printed:
        return None
    compact = re.sub(r"[\s.]+", "", printed.upper())
    m = _NUMBERED.match(compact)
    if not m or m.group(1) not in _BILL_PREFIXES:
        return None
    return bill_key("us", str(congress), compact)


def congress_of_year(year: int) -> int:
    """The Congress sitting in (most of) `year`: 2025 -> 119, 2004 -> 108."""
    return (year - 1789) // 2 + 1
