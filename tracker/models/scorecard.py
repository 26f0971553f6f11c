"""Legislator scorecards (issue 6): definitions, scored items, manual entries and the
materialized, auditable cells and summaries the scoring engine (`tracker.scoring`) writes.

Cells and summaries are derived data: `tracker.scoring.recompute` rebuilds them from the votes,
positions and settings at any time, and gives the same numbers as the incremental updates.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, json_list, tz_datetime
from tracker.models.coalition import stamped


class Scorecard(SQLModel, table=True):
    """A coalition's scorecard of one jurisdiction; `settings` holds the methodology
    (see `tracker.scoring.settings.ScoringSettings`); `version` changes whenever a number may."""

    __table_args__ = (UniqueConstraint("coalition_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(foreign_key="coalition.id", index=True)
    slug: str = Field(max_length=64)
    jurisdiction_id: str = Field(foreign_key="jurisdiction.id", index=True)
    chambers: list = json_list()
    sessions: list = json_list()
    title: str
    methodology: str | None = Field(default=None, sa_type=Text)
    settings: dict = json_dict()
    languages: list = json_list(server_default="[]")
    version: int = 1
    published_at: dt.datetime | None = tz_datetime()
    created_at: dt.datetime | None = stamped()
    updated_at: dt.datetime | None = stamped()


class ScoredItem(SQLModel, table=True):
    """One thing a scorecard scores: a floor or committee roll call, a (co)sponsorship of a
    bill, or a manual item (letter, pledge, adjustment) which always carries a rationale."""

    __tablename__ = "scored_item"
    __table_args__ = (UniqueConstraint("scorecard_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int = Field(foreign_key="scorecard.id", index=True)
    slug: str = Field(description="stable key within the scorecard, e.g. the vote event key")
    kind: str = Field(description="floor_vote, committee_vote, sponsorship, cosponsorship or manual")
    vote_event_key: str | None = Field(default=None, index=True)
    bill_key: str | None = Field(default=None, index=True)
    label: str = Field(description="short title shown in tables")
    description: str | None = Field(default=None, sa_type=Text)
    preferred: str | None = Field(default=None, description="yes or no; None = from the bill's stance")
    preferred_source: str = Field(default="staff", description="staff or stance")
    weight: float = 1.0
    session: str | None = Field(default=None, description="session identifier the item belongs to")
    rationale: str | None = Field(default=None, sa_type=Text)
    chosen_at: dt.datetime | None = stamped()
    chosen_by: str | None = None
    notice_text: str | None = Field(default=None, sa_type=Text)
    notice_published_at: dt.datetime | None = tz_datetime()
    notice_chamber: str | None = Field(default=None, description="an announced vote waits for the "
                                       "bill's next roll call in this chamber (lower, upper)")
    position: int = Field(default=0, description="display order")


class ManualEntry(SQLModel, table=True):
    """A legislator's result on a manual item: agreement 0..1 (points) and why."""

    __tablename__ = "manual_entry"
    __table_args__ = (UniqueConstraint("item_id", "legislator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="scored_item.id", index=True)
    legislator_id: int = Field(foreign_key="legislator.id", index=True)
    points: float = Field(description="agreement between 0 and 1 (1 = full credit)")
    rationale: str = Field(sa_type=Text)
    created_at: dt.datetime | None = stamped()


class ScoreCell(SQLModel, table=True):
    """One legislator (or one unmatched printed name) on one item, with the audit trail.

    Derived data, rebuilt from the votes by every recompute, so no foreign keys (issue 19): they
    cost three lookups per row of a 1.48 M-row national recompute. Deleting a scorecard or an item
    deletes its cells first (`tracker.scoring.builder`); legislators are never deleted.

    Narrow (issue 19, migration 0033): a cell keeps only what was scored for that legislator (the
    printed name, match, option, rule, agreement, weight, points, eligibility), a snapshot that a
    later vote correction cannot make disagree with the points. What every cell of an item repeats
    (session, roll call key, source URL) is read from the item, its roll call or its bill, and the
    rule words are an id into `score_rule_text`; `tracker.scoring.views.cells` puts them back."""

    __tablename__ = "score_cell"
    # The key (item_id, cell_ref) is the only index: a scorecard's cells are found through its
    # items, a legislator's as (item_id, cell_ref = legislator id) for each item. No row id
    # (migration 0037): its own index and sequence cost a third of a national recompute's writes
    # on PostgreSQL. On SQLite the table is WITHOUT ROWID, stored in the key's order, one B-tree.
    __table_args__ = ({"sqlite_with_rowid": False},)

    scorecard_id: int
    item_id: int = Field(primary_key=True)
    cell_ref: int = Field(primary_key=True, description="the legislator id; for an unmatched printed name, minus "
                                                        "the id of its person_vote (or sponsorship) row")
    legislator_id: int | None = None
    raw_name: str | None = None
    match_method: str | None = None
    match_confidence: float | None = None
    option: str | None = Field(default=None, description="the option recorded (or sponsored / absent)")
    raw_option: str | None = None
    rule_id: int = Field(description="score_rule_text.id: the rule applied, e.g. agrees, disagrees")
    agreement: float | None = Field(default=None, description="0..1; None when not counted")
    weight: float = Field(default=0.0, description="the item's weight when scored (points = weight x agreement)")
    points: float = 0.0
    eligible: bool = False


class ScoreRuleText(SQLModel, table=True):
    """The words of a rule applied to cells (e.g. "agrees with the preferred option"), stored once:
    a national recompute has a few dozen distinct texts for 1.48 M cells. `digest` (sha256 of the
    words) is the unique key, so a long manual rationale needs no index on its text."""

    __tablename__ = "score_rule_text"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(max_length=64, unique=True)
    words: str = Field(sa_type=Text)


class ScoreSummary(SQLModel, table=True):
    """A legislator's score on a scorecard for one session, or pooled (session = '*')."""

    __tablename__ = "score_summary"
    # Summaries are updated in place (`tracker.scoring.engine.apply_deltas`): free room on each
    # page keeps such an update on its page, with no index entry to write (migration 0035).
    __table_args__ = (UniqueConstraint("scorecard_id", "legislator_id", "session"),
                      {"postgresql_with": {"fillfactor": 70}})

    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int = Field(foreign_key="scorecard.id")  # the unique index starts with it
    legislator_id: int = Field(foreign_key="legislator.id", index=True)
    session: str = Field(description="session identifier, or * for the pooled lifetime score")
    earned: float = 0.0
    possible: float = 0.0
    counted: int = Field(default=0, description="items that counted (eligible and not excluded)")
    eligible: int = Field(default=0, description="items the legislator was eligible for")
    manual_earned: float = 0.0
    manual_possible: float = 0.0
    score: float | None = Field(default=None, description="0-100, rounded; None = N/A")
    grade: str | None = None
    chamber: str | None = None
    district: str | None = None
    party: str | None = None
    computed_at: dt.datetime | None = stamped()


class ScoreDirty(SQLModel, table=True):
    """The queue of scored items whose cells are stale: marked in the transaction that changed a
    roll call, a sponsorship or a coalition position, drained by `tracker.scoring.dirty`."""

    __tablename__ = "score_dirty"
    __table_args__ = (UniqueConstraint("scorecard_id", "item_id"),)

    # No foreign keys: a queue row must never block deleting a scorecard or an item (stale rows
    # of deleted items are simply dropped when the queue is processed).
    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int
    item_id: int
    reason: str | None = None
    created_at: dt.datetime | None = stamped()


class ScorecardChange(SQLModel, table=True):
    """Every change a person or key made to a scorecard: who, when, what (kept after deletions,
    so no foreign keys)."""

    __tablename__ = "scorecard_change"

    id: int | None = Field(default=None, primary_key=True)
    coalition_id: int = Field(index=True)
    scorecard_id: int = Field(index=True)
    scorecard_slug: str
    item_id: int | None = None
    action: str = Field(description="created, updated, settings, item_added, item_updated, item_removed, "
                                    "notice, notice_attached, published, unpublished, deleted")
    detail: dict = json_dict()
    by: str | None = Field(default=None, description="staff email or key:PREFIX")
    at: dt.datetime | None = stamped()
