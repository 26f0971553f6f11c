"""New York (Senate OpenLegislation) rule tables: action text, bill status, vote codes.

Action wording as printed by LBDC in OpenLegislation bill actions (for example "REFERRED TO
JUDICIARY", "AMEND AND RECOMMIT TO JUDICIARY", "PASSED SENATE", "DELIVERED TO GOVERNOR",
"SIGNED CHAP.123", "VETOED MEMO.45"); see ../shared/fixtures/ny-openleg/api-v3.
"""
from __future__ import annotations

import re

# (regex over the upper-cased action text, classifications), first match wins.
ACTION_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"^AMEND(ED)?\b.*\bRECOMMIT", ("amendment-passage", "referral-committee")),
    (r"^(RE)?REFERRED TO\b|^RECOMMIT", ("referral-committee",)),
    (r"^REPORTED\b|^REPORT CAL", ("committee-passage-favorable",)),
    (r"^1ST REPORT CAL", ("committee-passage-favorable", "reading-1")),
    (r"^2ND REPORT CAL", ("reading-2",)),
    (r"^ADVANCED TO THIRD READING|^ORDERED TO THIRD READING", ("reading-3",)),
    (r"^PASSED (SENATE|ASSEMBLY)", ("passage",)),
    (r"^RETURNED TO (SENATE|ASSEMBLY)", ("receipt",)),
    (r"^DELIVERED TO (SENATE|ASSEMBLY)", ("receipt",)),
    (r"^DELIVERED TO GOVERNOR", ("executive-receipt",)),
    (r"^SIGNED CHAP", ("executive-signature", "became-law")),
    (r"^VETOED", ("executive-veto",)),
    (r"^SUBSTITUTED (BY|FOR)", ("substitution",)),
    (r"^DEFEATED|^LOST", ("failure",)),
    (r"^AMEND(ED)?\b", ("amendment-passage",)),
    (r"^ADOPTED", ("passage",)),
    (r"^STRICKEN|^WITHDRAWN", ("withdrawal",)),
)
_COMPILED = tuple((re.compile(p), c) for p, c in ACTION_RULES)


def classify_action(text: str) -> list[str]:
    """Classifications for one NY action text (empty when no rule matches)."""
    t = " ".join(text.upper().split())
    for pattern, classes in _COMPILED:
        if pattern.search(t):
            return list(classes)
    return []


# statusType -> stage; None means "derive from the actions". The *_COMM / *_FLOOR statuses depend
# on whether the chamber is the bill's origin (a Senate bill IN_ASSEMBLY_COMM has passed the Senate).
STATUS_STAGES = {
    "INTRODUCED": "introduced", "DELIVERED_TO_GOV": "to_executive", "SIGNED_BY_GOV": "enacted",
    "VETOED": "vetoed", "ADOPTED": "adopted", "STRICKEN": "withdrawn", "LOST": "failed",
    "SUBSTITUTED": None,
}
_CHAMBER_WORD = {"SENATE": "upper", "ASSEMBLY": "lower"}


def stage_from_status(status_type: str | None, origin: str | None) -> str | None:
    """The stage a bill's OpenLegislation status implies."""
    if not status_type:
        return None
    if status_type in STATUS_STAGES:
        return STATUS_STAGES[status_type]
    m = re.match(r"^(IN|PASSED)_(SENATE|ASSEMBLY)(_COMM)?$|^(SENATE|ASSEMBLY)_FLOOR$", status_type)
    if not m:
        return None
    chamber = _CHAMBER_WORD[m.group(2) or m.group(4)]
    in_origin = origin is None or chamber == origin
    if m.group(1) == "PASSED":
        return "passed_origin" if in_origin else "passed_second"
    if m.group(3):  # IN_x_COMM
        return "in_committee" if in_origin else "passed_origin"
    return "out_of_committee" if in_origin else "passed_origin"


# API vote codes and raw-feed vote words -> (option, raw code kept).
VOTE_CODES = {
    "AYE": ("yes", "AYE"), "NAY": ("no", "NAY"), "AYEWR": ("yes", "AYEWR"),
    "EXC": ("excused", "EXC"), "ABS": ("absent", "ABS"), "ABD": ("abstain", "ABD"),
    # raw LBDC feed words (SENFLVOT / SENAGENV files)
    "AYE W/R": ("yes", "AYEWR"), "EXCUSED": ("excused", "EXC"), "ABSENT": ("absent", "ABS"),
    "ABSTAIN": ("abstain", "ABD"), "ABSTAINED": ("abstain", "ABD"),
}


def vote_option(raw: str) -> tuple[str, str]:
    """(option, raw code) for an API code or feed word; unknown words are `other`."""
    key = " ".join(raw.upper().split())
    return VOTE_CODES.get(key, ("other", raw.strip()))
