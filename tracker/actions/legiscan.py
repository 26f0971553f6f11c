"""LegiScan's numeric codes as data: states, parties, roles, vote values, status and progress.

Code meanings are LegiScan's published API manual (https://legiscan.com/gaits/documentation/legiscan)
as summarized in ../shared/docs/sources.md; every table here is checked against the real files in
../shared/fixtures/legiscan and legiscan-ms-xml by tests/test_legiscan.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# LegiScan numbers the states alphabetically by name, then DC (51) and Congress (52).
_STATE_ORDER = ("al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv "
                "nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc us").split()
STATE_IDS: dict[int, str] = {i: code for i, code in enumerate(_STATE_ORDER, start=1)}

PARTIES = {1: "Democratic", 2: "Republican", 3: "Independent", 4: "Green", 5: "Libertarian",
           6: "Nonpartisan"}

# role_id: 1 Rep (lower), 2 Sen (upper), 3 Jnt (joint committees listed as "people").
ROLE_CHAMBERS = {1: "lower", 2: "upper", 3: "legislature"}
BODY_CHAMBERS = {"H": "lower", "A": "lower", "S": "upper", "J": "legislature"}

# vote_id -> (option, raw text)
VOTE_OPTIONS = {1: ("yes", "Yea"), 2: ("no", "Nay"), 3: ("not voting", "NV"), 4: ("absent", "Absent")}
# Roll-call count fields -> our count names.
COUNT_FIELDS = (("yea", "yes"), ("nay", "no"), ("nv", "not voting"), ("absent", "absent"))

# sponsor_type_id -> (classification, primary). 0 is what older datasets (AK, AR 2011-2012) carry:
# LegiScan did not say, so it is stored as a plain sponsor, not guessed primary.
SPONSOR_TYPES = {0: ("sponsor", False), 1: ("primary", True), 2: ("cosponsor", False),
                 3: ("joint", True)}

BILL_TYPES = {"B": "bill", "R": "resolution", "CR": "concurrent resolution", "JR": "joint resolution",
              "JRCA": "constitutional amendment", "CA": "constitutional amendment", "M": "memorial",
              "JM": "joint memorial", "CM": "concurrent memorial", "P": "proclamation"}

# Bill status -> stage hint (for bills; resolutions that "Passed" are adopted).
STATUS_STAGES = {1: "introduced", 2: "passed_origin", 3: "passed_second", 4: "enacted",
                 5: "vetoed", 6: "failed"}
STATUS_LABELS = {1: "Introduced", 2: "Engrossed", 3: "Enrolled", 4: "Passed", 5: "Vetoed",
                 6: "Failed", 7: "Override", 8: "Chaptered", 9: "Refer", 10: "Report Pass",
                 11: "Report DNP", 12: "Draft"}


@dataclass(frozen=True)
class ProgressRule:
    """A progress event: its action classifications and the action text it usually sits on."""

    event: int
    classification: tuple[str, ...]
    text: str  # regex over the history action of the same date, to pick the right one


PROGRESS_RULES: dict[int, ProgressRule] = {r.event: r for r in (
    ProgressRule(1, ("introduction",), r"introduc|prefile|first time|read.*1st"),
    ProgressRule(2, ("passage",), r"pass|third|3rd"),
    ProgressRule(3, ("enrolled",), r"enroll|concur|conference|pass"),
    ProgressRule(4, ("became-law",), r"governor|approved|signed|law|act\s*\d|chapter"),
    ProgressRule(5, ("executive-veto",), r"veto"),
    ProgressRule(6, ("failure",), r"fail|lost|defeat|died"),
    ProgressRule(7, ("veto-override-passage",), r"overrid"),
    ProgressRule(8, ("became-law",), r"chapter|act\s*\d|law"),
    ProgressRule(9, ("referral-committee",), r"refer|[A-Z]{2,4}, [A-Z]{2,4}"),
    ProgressRule(10, ("committee-passage-favorable",), r"do pass|rpt|report|returned|recommend"),
    ProgressRule(11, ("committee-passage-unfavorable",), r"rpt|report|do not pass|dnp"),
    ProgressRule(12, ("filing",), r"draft|prefile|file"),
)}

# A roll call's own words decide its result (LegiScan's `passed` flag is derived by LegiScan).
_PASS = re.compile(r"\b(passed|passes|adopted|concurred|prevailed|carried|agreed|approved|"
                   r"sustained|overridden)\b", re.I)
_FAIL = re.compile(r"\b(failed|fails|rejected|defeated|lost|not adopted|not passed)\b", re.I)

MOTION_RULES: tuple[tuple[str, str], ...] = (
    (r"reconsider", "reconsideration"),
    (r"conference|concur", "concurrence"),
    (r"amend(ment)?\b.*(adopt|fail|offer)|\bamendment\b", "amendment"),
    (r"override", "veto-override"),
    (r"refer|committee|\bDP\b|do pass", "committee"),
    (r"pass|third|3rd|final", "passage"),
)


def result_from_text(text: str) -> str | None:
    """`pass`/`fail` when the roll call's description says so, else None."""
    if _FAIL.search(text):
        return "fail"
    if _PASS.search(text):
        return "pass"
    return None


def motion_classification(text: str) -> list[str]:
    """The first motion rule matching the description, as a one-item list (or empty)."""
    for pattern, label in MOTION_RULES:
        if re.search(pattern, text, re.I):
            return [label]
    return []


_YEARS = re.compile(r"(?<!\d)(\d{4})(?:\s*-\s*(\d{4}))?(?!\d)")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)\s+(?:special|extraordinary)", re.I)


def session_identifier(session: dict) -> tuple[str, bool, int | None, int | None]:
    """(identifier, special, year_start, year_end) for a LegiScan session block.

    The state's own naming where LegiScan gives years: `2013` for an annual session,
    `20252026` for a biennial one; special sessions add `s<n>` (n from "1st Special Session",
    else LegiScan's session_id). The older XML flavour has only `session_name`
    ("2013 Regular Session"), so the years are read from it.
    """
    name = str(session.get("session_name") or session.get("session_title") or "")
    ys, ye = _int(session.get("year_start")), _int(session.get("year_end"))
    if not ys:
        m = _YEARS.search(name)
        if m:
            ys = int(m.group(1))
            ye = int(m.group(2)) if m.group(2) else ys
    special = bool(_int(session.get("special"))) or "special" in name.lower()
    if not ys:
        ident = f"legiscan{session.get('session_id')}"
    else:
        ident = str(ys) if not ye or ye == ys else f"{ys}{ye}"
    if special:
        m = _ORDINAL.search(name)
        ident += f"s{m.group(1) if m else session.get('session_id')}"
    return ident, special, ys, ye or ys


def district_code(raw: str | None) -> str | None:
    """`HD-013` -> `13`, `SD-A` -> `A`; LegiScan prefixes districts with the chamber."""
    if not raw:
        return None
    m = re.match(r"^[A-Z]{1,3}-0*(\w+)$", raw.strip())
    return m.group(1) if m else raw.strip()


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
