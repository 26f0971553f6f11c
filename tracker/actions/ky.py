"""Kentucky action text (LRC bill records, https://apps.legislature.ky.gov/record/24rs/hb15.html).

Seen there: "introduced in House", "to Education (H)", "reported favorably, 1st reading, to
Calendar", "2nd reading, to Rules", "3rd reading, passed 93-0", "received in Senate",
"3rd reading, passed 36-0 with Committee Substitute (1)", "delivered to Governor",
"signed by Governor (Acts Ch. 12)", "became law without Governor's signature",
"vetoed", "veto overridden", "returned to Education (H)".
"""
from __future__ import annotations

ACTION_RULES = (
    (r"^introduced in (House|Senate)", ("introduction",)),
    (r"^to [A-Z].*\((H|S)\)$|^returned to [A-Z].*\((H|S)\)$|^taken from .*; (re)?referred to", ("referral-committee",)),
    (r"reported favorably", ("committee-passage-favorable",)),
    (r"^1st reading", ("reading-1",)),
    (r"^2nd reading", ("reading-2",)),
    (r"^3rd reading,? passed", ("reading-3", "passage")),
    (r"^3rd reading,? (failed|defeated)", ("reading-3", "failure")),
    (r"^received in (House|Senate)", ("receipt",)),
    (r"concurred in .*(Committee Substitute|Amendment)", ("concurrence",)),
    (r"^delivered to Governor", ("executive-receipt",)),
    (r"^signed by Governor", ("executive-signature",)),
    (r"became law without Governor'?s signature", ("became-law",)),
    (r"^veto overridden|^Veto Overridden", ("veto-override-passage",)),
    (r"^vetoed", ("executive-veto",)),
    (r"^withdrawn", ("withdrawal",)),
)

# "passed 93-0", "passed 61-0-1-0-0": yeas, nays, then (when printed) passes, not voting, excused.
COUNT_ORDER = ("yes", "no", "present", "not voting", "excused")
COUNT_PATTERNS = (r"\bpassed\s+(?P<tally>\d+(?:-\d+)+)",)
