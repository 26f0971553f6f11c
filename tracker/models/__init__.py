"""The store's tables (SQLModel), all in this package so Alembic sees one metadata."""
from sqlmodel import SQLModel

from tracker.models.jurisdiction import Jurisdiction, LegislativeSession
from tracker.models.legislator import Legislator, LegislatorIdentifier, LegislatorRole, LegislatorSource
from tracker.models.committee import Committee, CommitteeMembership, Hearing, HearingBill
from tracker.models.bill import Bill, BillAction, Sponsorship
from tracker.models.vote import PersonVote, VoteEvent

metadata = SQLModel.metadata

__all__ = [
    "Bill", "BillAction", "Committee", "CommitteeMembership", "Hearing", "HearingBill",
    "Jurisdiction", "LegislativeSession", "Legislator", "LegislatorIdentifier", "LegislatorRole",
    "LegislatorSource",
    "PersonVote", "Sponsorship", "VoteEvent", "metadata",
]

from tracker.models.crawl import CrawlState  # noqa: E402
from tracker.models.ops import ApiBudgetUse, JobRun, SchedulerLease  # noqa: E402

__all__ += ["CrawlState", "JobRun", "SchedulerLease"]

from tracker.models.coalition import (ApiKey, Coalition, MemberOrganization,  # noqa: E402
                                      MemberStance, Position, PositionHistory, SavedSearch,
                                      StaffUser)
from tracker.models.tagging import BillSearchDoc, BillTag, IssueArea, TaggingRule  # noqa: E402

__all__ += ["ApiKey", "BillSearchDoc", "BillTag", "Coalition", "IssueArea", "MemberOrganization",
            "MemberStance", "Position", "PositionHistory", "SavedSearch", "StaffUser", "TaggingRule"]

from tracker.models.provenance import BillSource, VoterAlias  # noqa: E402

__all__ += ["BillSource", "VoterAlias"]

from tracker.models.scorecard import (ManualEntry, ScoreCell, Scorecard, ScoreDirty, ScorecardChange,  # noqa: E402
                                      ScoredItem, ScoreRuleText, ScoreSummary)

__all__ += ["ManualEntry", "ScoreCell", "Scorecard", "ScoreDirty", "ScorecardChange", "ScoredItem", "ScoreRuleText",
            "ScoreSummary"]

from tracker.models.alerts import ChangeEvent, Delivery, Subscriber, Subscription  # noqa: E402

__all__ += ["ChangeEvent", "Delivery", "Subscriber", "Subscription"]


from tracker.models.accounts import LoginThrottle, PasswordReset, StaffSession  # noqa: E402

__all__ += ["LoginThrottle", "PasswordReset", "StaffSession"]
from tracker.models.text import BillText, BillTextSection  # noqa: E402

__all__ += ["BillText", "BillTextSection"]

from tracker.models.staffadmin import AuditEntry, StaffInvitation  # noqa: E402

__all__ += ["AuditEntry", "StaffInvitation"]
from tracker.models.watchlist import WatchItem  # noqa: E402

__all__ += ["WatchItem"]
from tracker.models.school import MemberSchoolDistrict, SchoolDistrict, SchoolDistrictOverlap  # noqa: E402

__all__ += ["MemberSchoolDistrict", "SchoolDistrict", "SchoolDistrictOverlap"]
