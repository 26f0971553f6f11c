"""Drop score_cell's three foreign keys (issue 19): the cells are derived data rebuilt by every
recompute, and a national recompute paid one lookup per key for each of its 1.48 M rows.
Scorecard and item deletions delete their cells first; legislators are never deleted.

Revision ID: 0032_score_cell_lean
Revises: 0031_score_cell_item_index
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0032_score_cell_lean"
down_revision: Union[str, Sequence[str], None] = "0031_score_cell_item_index"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_FKS = (("scorecard_id", "scorecard"), ("item_id", "scored_item"), ("legislator_id", "legislator"))
# SQLite keeps the keys unnamed: batch mode names them by this convention to drop them.
_NAMES = {"fk": "%(table_name)s_%(column_0_name)s_fkey"}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table("score_cell", recreate="always", naming_convention=_NAMES) as batch_op:
            for col, _ in _FKS:
                batch_op.drop_constraint(f"score_cell_{col}_fkey", type_="foreignkey")
        return
    for fk in sa.inspect(bind).get_foreign_keys("score_cell"):
        op.drop_constraint(fk["name"], "score_cell", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("score_cell", schema=None) as batch_op:
        for col, table in _FKS:
            batch_op.create_foreign_key(f"score_cell_{col}_fkey", table, [col], ["id"])
