"""Narrow score cells (issue 19): a cell keeps only what was scored for its legislator; the
session, roll call key and source URL that every cell of an item repeated are read from the item
(its roll call, its bill), and the rule words move to `score_rule_text`, stored once per text.
`cell_key` ('leg:<id>' / 'name:<id>') becomes the integer `cell_ref` (legislator id, or minus
the unmatched row's id), and its unique (item_id, cell_ref) index is the table's only one: the
(scorecard_id, legislator_id) index goes, a legislator's cells being one lookup per item.

Cells and summaries are derived data (`tracker.scoring.dirty`): the old cells are dropped with
their table, the summaries built from them are deleted (the incremental path moves summaries by
the difference of old and new cells, so they must start from nothing), and every scored item is
queued in `score_dirty`; the first read of a scorecard (`ensure_fresh`) or the every-minute job
rescores it, with the same numbers as before.

Revision ID: 0033_score_cell_narrow
Revises: 0032_score_cell_lean
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy import text

revision: str = "0033_score_cell_narrow"
down_revision: Union[str, Sequence[str], None] = "0032_score_cell_lean"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REASON = "narrow cells (issue 19): cells rebuilt in the new form"
_CARD_LEGISLATOR = ("ix_score_cell_card_legislator", ["scorecard_id", "legislator_id"])


def _requeue() -> None:
    bind = op.get_bind()
    bind.execute(text("DELETE FROM score_summary"))
    bind.execute(text(
        "INSERT INTO score_dirty (scorecard_id, item_id, reason, created_at) "
        "SELECT i.scorecard_id, i.id, :reason, CURRENT_TIMESTAMP FROM scored_item i WHERE NOT EXISTS "
        "(SELECT 1 FROM score_dirty d WHERE d.scorecard_id = i.scorecard_id AND d.item_id = i.id)"),
        {"reason": REASON})


def upgrade() -> None:
    op.drop_index(_CARD_LEGISLATOR[0], table_name="score_cell")
    op.drop_table("score_cell")
    op.create_table(
        "score_rule_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"))
    op.create_table(
        "score_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("cell_ref", sa.Integer(), nullable=False),
        sa.Column("legislator_id", sa.Integer(), nullable=True),
        sa.Column("raw_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("match_method", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("match_confidence", sa.Float(), nullable=True),
        sa.Column("option", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("raw_option", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.Float(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "cell_ref"))
    _requeue()


def downgrade() -> None:
    """Back to the wide cells, empty: every item is queued again for the old code to rebuild."""
    op.drop_table("score_cell")
    op.drop_table("score_rule_text")
    op.create_table(
        "score_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("cell_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("legislator_id", sa.Integer(), nullable=True),
        sa.Column("session", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("vote_event_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("raw_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("match_method", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("match_confidence", sa.Float(), nullable=True),
        sa.Column("option", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("raw_option", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreement", sa.Float(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "cell_key"))
    op.create_index(_CARD_LEGISLATOR[0], "score_cell", _CARD_LEGISLATOR[1], unique=False)
    _requeue()
