"""Closed vocabularies shared by the contract, the store and the rule tables."""
from __future__ import annotations

# Open States / OCD bill action classifications.
ACTION_CLASSIFICATIONS = frozenset({
    "filing", "introduction", "reading-1", "reading-2", "reading-3", "passage", "failure",
    "withdrawal", "substitution", "amendment-introduction", "amendment-passage",
    "amendment-withdrawal", "amendment-failure", "amendment-amended", "amendment-deferral",
    "committee-passage", "committee-passage-favorable", "committee-passage-unfavorable",
    "committee-failure", "executive-receipt", "executive-signature", "executive-veto",
    "executive-veto-line-item", "became-law", "veto-override-passage", "veto-override-failure",
    "deferral", "receipt", "referral", "referral-committee", "enrolled", "study",
    "report-submitted", "carried-over", "concurrence", "conference", "discharge",
})

BILL_TYPES = frozenset({
    "bill", "resolution", "joint resolution", "concurrent resolution", "constitutional amendment",
    "memorial", "joint memorial", "concurrent memorial", "proclamation", "appointment", "other",
})

CHAMBERS = frozenset({"upper", "lower", "legislature", "executive", "joint"})

# Chamber names as Congress and most state sources write them (lower-cased) -> chamber.
CHAMBER_WORDS = {"house": "lower", "senate": "upper", "house of representatives": "lower"}

# Normalized individual vote options; scorecards treat each of them differently.
VOTE_OPTIONS = frozenset({
    "yes", "no", "present", "abstain", "not voting", "absent", "excused", "paired", "other",
})

VOTE_RESULTS = frozenset({"pass", "fail", "other"})

# Coalition-facing stage vocabulary, in order of progress (terminal ones last).
STAGES = (
    "introduced", "in_committee", "out_of_committee", "passed_origin", "passed_second",
    "to_executive", "enacted", "adopted", "vetoed", "failed", "dead", "withdrawn",
)
STAGE_LABELS = {
    "introduced": "Introduced", "in_committee": "In committee",
    "out_of_committee": "Out of committee", "passed_origin": "Passed origin chamber",
    "passed_second": "Passed second chamber", "to_executive": "Sent to executive",
    "enacted": "Enacted", "adopted": "Adopted", "vetoed": "Vetoed", "failed": "Failed",
    "dead": "Dead (session ended)", "withdrawn": "Withdrawn",
}
FINAL_STAGES = frozenset({"enacted", "adopted", "vetoed", "failed", "dead", "withdrawn"})

# External id schemes for legislators; (scheme, value) is unique across the store.
ID_SCHEMES = {
    "bioguide": "Congressional Biographical Directory id (B000944)",
    "lis": "Senate LIS member id (S307)",
    "thomas": "THOMAS id, zero-padded string (01234)",
    "govtrack": "GovTrack person id",
    "opensecrets": "OpenSecrets CRP id",
    "votesmart": "Vote Smart candidate id",
    "icpsr": "ICPSR id",
    "fec": "FEC candidate id (a person may have several)",
    "wikidata": "Wikidata QID",
    "ballotpedia": "Ballotpedia page name",
    "ocd-person": "Open States person id (ocd-person/<uuid>)",
    "legiscan": "LegiScan people_id",
    "ny-member": "NY Senate OpenLegislation memberId",
    "ny-session-member": "NY Senate OpenLegislation sessionMemberId",
    "ca-name": "California legislator_tbl name, house and session",
    "congress-gov": "Congress.gov member id",
}

# Id schemes that name a seat-holder as one source prints them, not a person across sources: a
# legislator known only by these is the same person as the one another source keys who held the
# same seat at the same time under the same family name (tracker/people/seats.py).
WEAK_ID_SCHEMES = frozenset({"ca-name"})

# Coalition positions on bills (issue 5); scorecards read `support`/`oppose` and the amended forms.
STANCES = {
    "support": "Support",
    "support_if_amended": "Support if amended",
    "oppose_unless_amended": "Oppose unless amended",
    "oppose": "Oppose",
    "neutral": "Neutral",
    "watching": "Watching",
}
# Staff and API key roles, weakest first: viewer reads, editor tags and sets positions, admin manages.
ROLES = ("viewer", "editor", "admin")
# A member organization's login: sets its own stances, never a staff role (not in ROLES).
MEMBER_ROLE = "member"
# Watchlist item statuses (issue 17), in the order a bill moves through them.
WATCH_STATUSES = ("watching", "working", "done")
TAG_STATUSES = ("suggested", "confirmed", "rejected")
