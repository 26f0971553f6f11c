"""The closed vocabularies of alerts, as data."""
from __future__ import annotations

# Event kinds and how a person reads them (the noise filter offers these).
EVENT_KINDS = {
    "new_bill": "New bill",
    "stage_changed": "Stage change",
    "died_at_adjournment": "Died when the session ended",
    "new_action": "New action",
    "hearing_scheduled": "Hearing scheduled",
    "hearing_changed": "Hearing changed",
    "roll_call": "Roll call taken",
    "new_version": "New text version",
    "text_changed": "Text changed between versions",
    "money_changed": "Money changed between versions",
    "sponsor_added": "Sponsor or cosponsor added",
    "sponsor_withdrawn": "Sponsor or cosponsor withdrawn",
    "position_changed": "Coalition position changed",
    "scored_vote_notice": "Scored-vote notice published",
}
# Notices for the operators only (EDTRACKER_ADMIN_EMAILS): never offered to, nor matched for,
# public subscriptions; they reach the "ops" subscriptions tracker.ops.health keeps.
OPS_EVENT_KINDS = {
    "source_flagged": "Source flagged: failing or stale runs in a row",
}
TARGET_TYPES = {
    "bill": "a bill (key, e.g. us-119-hr5)",
    "issue_area": "an issue area (slug)",
    "jurisdiction": "a jurisdiction (us, ca, ny, ...)",
    "legislator": "a legislator (key, e.g. bioguide:D000001)",
    "committee": "a committee (key or name)",
    "saved_search": "a coalition's saved search (coalition-slug/search-slug)",
    "coalition": "everything a coalition takes a position on (slug)",
    "search": "bills matching a search of the search page (its query string)",
    "school_district": "a school district (NCES LEAID, e.g. 2102990): bills naming it, votes of its representatives",
}
FREQUENCIES = ("immediate", "daily", "weekly")
CHANNELS = ("email", "webhook", "feed")
SUBSCRIBER_STATUSES = ("pending", "active", "unsubscribed", "bounced")
DELIVERY_STATES = ("pending", "sending", "sent", "bounced", "failed", "cancelled")

# Which stance expects which vote on a passage-like motion (a roll call "matches" the position).
EXPECTED_VOTE = {"support": "yes", "support_if_amended": "yes",
                 "oppose": "no", "oppose_unless_amended": "no"}
