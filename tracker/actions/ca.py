"""California: action text rules, the pubinfo codes, and the session's carry-over rules, as data.

Action texts are the Legislature's bill history (leginfo's history page, pubinfo's
BILL_HISTORY_TBL, and what Open States and LegiScan repeat): "Read first time. To print.",
"Referred to Com. on ED.", "From committee: Do pass and re-refer to Com. on APPR. (Ayes 7.
Noes 0.) (April 10).", "Read third time. Passed. Ordered to the Senate. (Ayes 54. Noes 18. Page
1234.)", "Read. Adopted. Ordered to the Assembly.", "Approved by the Governor.", "Chaptered by
Secretary of State - Chapter 123, Statutes of 2025.", "Vetoed by Governor.". The rows were
checked against every distinct history text of the 2025-26 pubinfo dump.
"""
from __future__ import annotations

# (regex, classifications), first match wins; checked before the generic table. A line that says
# two things ("Introduced. Referred to Com. on ED.") has a row of its own before the simpler ones.
ACTION_RULES = (
    (r"^Introduced\b.*\bReferred to Coms?\.", ("introduction", "reading-1", "referral-committee")),
    (r"^Introduced\b|Read first time", ("introduction", "reading-1")),
    (r"From committee: (Amend, and )?Do pass.*re-refer", ("committee-passage-favorable", "referral-committee")),
    (r"From committee: ((Amend, and )?Do pass|Be adopted)", ("committee-passage-favorable",)),
    # Reported to the floor without a recommendation (Senate Rule 28.8, Rules Committee).
    (r"^From committee: (Be )?Ordered to (second|third) reading", ("committee-passage",)),
    # Amendments taken in committee: the bill goes back to the same committee, it is not reported.
    (r"^From committee,? (chair, )?with author's amendments", ("reading-2", "amendment-passage", "referral-committee")),
    (r"^(Re-)?Referred to Coms?\.", ("referral-committee",)),
    (r"Read second time and amended\.? Re-referred", ("reading-2", "amendment-passage", "referral-committee")),
    (r"Read second time and amended", ("reading-2", "amendment-passage")),
    (r"Read second time", ("reading-2",)),
    (r"Read third time\.? (and )?Passed|Read third time\. Urgency clause adopted\. Passed", ("reading-3", "passage")),
    (r"Read third time\.? (and )?Failed", ("reading-3", "failure")),
    (r"Read third time and amended", ("reading-3", "amendment-passage")),
    # Resolutions are adopted, not passed.
    (r"^(Read\. )?Adopted\b|^Read\. Adopted", ("passage",)),
    (r"(Senate|Assembly) amendments concurred in", ("concurrence",)),
    (r"^Enrolled and presented to the Governor|^Enrolled and to the Governor", ("enrolled", "executive-receipt")),
    (r"^Enrolled and filed with the Secretary of State", ("enrolled",)),
    (r"^Approved by the Governor", ("executive-signature",)),
    (r"^Chaptered by Secretary of State", ("became-law",)),
    (r"^Vetoed by (the )?Governor", ("executive-veto",)),
    (r"^Veto sustained", ("veto-override-failure",)),
    (r"Held under submission|Failed passage in committee|^In committee:.*Failed passage", ("committee-failure",)),
    (r"^Died|^From committee: Filed with the Chief Clerk pursuant to Joint Rule 56", ("failure",)),
    # "Withdrawn from committee" moves a bill on (to another committee or the floor): not the
    # author withdrawing it.
    (r"^Withdrawn from committee", ("discharge",)),
)

# "(Ayes 54. Noes 18. Page 1234.)" on floor and committee actions.
COUNT_PATTERNS = (r"\(Ayes\s+(?P<yes>\d+)\.\s*Noes\s+(?P<no>\d+)\.",)

# --- pubinfo codes (BILL_TBL, BILL_HISTORY_TBL, votes, authors, legislators) ------------------

# MEASURE_TYPE -> (bill type, origin chamber)
MEASURE_TYPES = {
    "AB": ("bill", "lower"), "SB": ("bill", "upper"),
    "ACA": ("constitutional amendment", "lower"), "SCA": ("constitutional amendment", "upper"),
    "ACR": ("concurrent resolution", "lower"), "SCR": ("concurrent resolution", "upper"),
    "AJR": ("joint resolution", "lower"), "SJR": ("joint resolution", "upper"),
    "HR": ("resolution", "lower"), "SR": ("resolution", "upper"),
}
# BILL_HISTORY_TBL.PRIMARY_LOCATION -> actor (a blank location: the legislature)
ACTION_ACTORS = {"Assembly": "lower", "Senate": "upper", "Governor": "executive",
                 "Secretary of State": "executive"}
# BILL_DETAIL_VOTE_TBL.VOTE_CODE -> vote option. ABS covers absent, abstaining and not voting.
VOTE_CODES = {"AYE": "yes", "NOE": "no", "ABS": "not voting"}
# BILL_SUMMARY_VOTE_TBL.VOTE_RESULT
VOTE_RESULTS = {"(PASS)": "pass", "(FAIL)": "fail", "PASS": "pass", "FAIL": "fail"}
# Vote locations: committees are CX.. (Assembly) and CS.. (Senate); the floors and conference.
VOTE_LOCATIONS = {"AFLOOR": ("lower", "floor"), "SFLOOR": ("upper", "floor"), "CONFCM": (None, "conference")}
COMMITTEE_PREFIXES = {"CX": "lower", "CS": "upper"}
# LEGISLATOR_TBL.HOUSE_TYPE and BILL_VERSION_AUTHORS_TBL.HOUSE
HOUSES = {"A": "lower", "S": "upper", "ASSEMBLY": "lower", "SENATE": "upper"}
CHAMBER_NAMES = {"lower": "Assembly", "upper": "Senate"}
# BILL_VERSION_AUTHORS_TBL.CONTRIBUTION -> sponsorship classification (lead authors are primary)
CONTRIBUTIONS = {"LEAD_AUTHOR": "lead author", "PRINCIPAL_COAUTHOR": "principal coauthor",
                 "COAUTHOR": "coauthor"}
PARTIES = {"DEM": "Democratic", "REP": "Republican", "IND": "Independent", "NPP": "No Party Preference"}

# BILL_TBL.CURRENT_STATUS that settle a bill's stage (the others say where it sits: derived from
# the history instead). Resolutions "chaptered" are filed with the Secretary of State: adopted.
STATUS_STAGES = {"Chaptered": "enacted", "Vetoed": "vetoed", "Died": "dead",
                 "Failed Passage in Committee": "failed"}
RESOLUTION_STATUS_STAGES = {"Chaptered": "adopted", "Died": "dead", "Failed Passage in Committee": "failed"}

# A history line saying the bill died (at the desk when an extraordinary session adjourned, on
# the inactive file, under the deadlines of Joint Rule 56 or art. IV sec. 10(c)): dead, not failed.
DEATH_ACTIONS = r"^Died\b|pursuant to Joint Rule 56|Art\. IV, Sec\. 10\(c\)"

# --- the two-year session ------------------------------------------------------------------

# Session dates and the house-of-origin deadline of the second year (Cal. Const. art. IV,
# sec. 3 and 10(c)) are data in tracker/data/calendars.yaml, applied by
# tracker.jurisdictions.calendar for every source of California bills.


def session_dates(session_year: str) -> tuple[str, str]:
    """ISO start and end of a regular session `20252026`: first Monday of December before, Nov 30."""
    import datetime as dt

    first = int(session_year[:4]) - 1
    start = dt.date(first, 12, 1)
    start += dt.timedelta(days=(7 - start.weekday()) % 7)
    return start.isoformat(), dt.date(int(session_year[4:8]), 11, 30).isoformat()
