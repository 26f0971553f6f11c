"""Drop score_cell's index on item_id alone (issue 19): the unique (item_id, cell_key)
constraint's index serves every lookup by item, and each of the 1.48 M cells of a national
recompute paid for both.

Revision ID: 0031_score_cell_item_index
Revises: 0030_api_budget_ledger
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0031_score_cell_item_index"
down_revision: Union[str, Sequence[str], None] = "0030_api_budget_ledger"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index("ix_score_cell_item_id", table_name="score_cell")


def downgrade() -> None:
    op.create_index("ix_score_cell_item_id", "score_cell", ["item_id"], unique=False)
