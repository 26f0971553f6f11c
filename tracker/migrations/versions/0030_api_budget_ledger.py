"""The metered APIs' ledger (issue 19): requests every crawl made in each window of a source's
published limit, shared across runs and processes.

Revision ID: 0030_api_budget_ledger
Revises: 0028_bill_text_search
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0030_api_budget_ledger"
down_revision: Union[str, Sequence[str], None] = "0028_bill_text_search"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "api_budget_use",
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("source", "period", "window_start"),
    )


def downgrade() -> None:
    op.drop_table("api_budget_use")
