"""Scorecard builder (issue 17): a scorecard's languages, the chamber an announced vote waits
for, and the change log of every scorecard edit (who, when, what).

Revision ID: 0020_scorecard_builder
Revises: 0012_scorecard_trust
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020_scorecard_builder"
down_revision: Union[str, Sequence[str], None] = "0012_scorecard_trust"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("scorecard") as batch:
        batch.add_column(sa.Column("languages", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("scored_item") as batch:
        batch.add_column(sa.Column("notice_chamber", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        "scorecard_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coalition_id", sa.Integer(), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("scorecard_slug", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"))
    op.create_index(op.f("ix_scorecard_change_coalition_id"), "scorecard_change", ["coalition_id"], unique=False)
    op.create_index(op.f("ix_scorecard_change_scorecard_id"), "scorecard_change", ["scorecard_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_scorecard_change_scorecard_id"), table_name="scorecard_change")
    op.drop_index(op.f("ix_scorecard_change_coalition_id"), table_name="scorecard_change")
    op.drop_table("scorecard_change")
    with op.batch_alter_table("scored_item") as batch:
        batch.drop_column("notice_chamber")
    with op.batch_alter_table("scorecard") as batch:
        batch.drop_column("languages")
