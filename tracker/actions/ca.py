"""California action text (leginfo bill history, as Open States and LegiScan repeat it).

Seen on https://leginfo.legislature.ca.gov/faces/billHistoryClient.xhtml: "Read first time.
To print.", "Referred to Com. on ED.", "From committee: Do pass and re-refer to Com. on APPR.
(Ayes 7. Noes 0.) (April 10).", "Read third time. Passed. Ordered to the Senate. (Ayes 54.
Noes 18. Page 1234.)", "Approved by the Governor.", "Chaptered by Secretary of State - Chapter
123, Statutes of 2025.", "Vetoed by Governor.", "In committee: Held under submission.".
"""
from __future__ import annotations

# (regex, classifications), first match wins; checked before the generic table.
ACTION_RULES = (
    (r"^Introduced\b|Read first time", ("introduction", "reading-1")),
    (r"From committee: Do pass.*re-refer", ("committee-passage-favorable", "referral-committee")),
    (r"From committee: (Do pass|Be adopted)|From committee with author's amendments", ("committee-passage-favorable",)),
    (r"^(Re-)?[Rr]eferred to Coms?\.", ("referral-committee",)),
    (r"Read second time", ("reading-2",)),
    (r"Read third time\.? (and )?[Pp]assed|Read third time\. Urgency clause adopted\. Passed", ("reading-3", "passage")),
    (r"Read third time\.? (and )?[Ff]ailed", ("reading-3", "failure")),
    (r"Senate amendments concurred in|Assembly amendments concurred in", ("concurrence",)),
    (r"^Enrolled and presented to the Governor|^Enrolled and to the Governor", ("enrolled", "executive-receipt")),
    (r"^Approved by the Governor", ("executive-signature",)),
    (r"^Chaptered by Secretary of State", ("became-law",)),
    (r"^Vetoed by (the )?Governor", ("executive-veto",)),
    (r"Held under submission|Failed passage in committee", ("committee-failure",)),
    (r"^Died|^From committee: Filed with the Chief Clerk pursuant to Joint Rule 56", ("failure",)),
    (r"Withdrawn from committee|^Stricken from file", ("withdrawal",)),
)

# "(Ayes 54. Noes 18. Page 1234.)" on floor and committee actions.
COUNT_PATTERNS = (r"\(Ayes (?P<yes>\d+)\.\s*Noes (?P<no>\d+)\.",)
