"""`score_cell` keyed by (item_id, cell_ref), without its row id (issue 19). The id column had its
own primary-key index and sequence beside the unique (item_id, cell_ref) index: two index
entries and a `nextval` per cell, a third of the CPU of writing a national recompute's 1.48 M
cells on PostgreSQL. Nothing reads a cell by its id (cells are found by item and legislator).

PostgreSQL: the column goes and the unique constraint becomes the primary key, in place (the
cells stay). SQLite: the table is copied into a WITHOUT ROWID table keyed the same way (one
B-tree instead of the table and its index).

Revision ID: 0037_score_cell_key
Revises: 0036_vote_event_record_hash
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0037_score_cell_key"
down_revision: Union[str, Sequence[str], None] = "0036_vote_event_record_hash"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_CELLS = ("scorecard_id", "item_id", "cell_ref", "legislator_id", "raw_name", "match_method", "match_confidence",
          "option", "raw_option", "rule_id", "agreement", "weight", "points", "eligible")


def _columns() -> list[sa.Column]:
    return [
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
    ]


def _copy_sqlite(*parts, **kw) -> None:
    """SQLite: the cells copied into `score_cell` made anew with `parts` (columns, constraints)."""
    op.create_table("score_cell_new", *parts, **kw)
    cols = ", ".join(_CELLS)
    op.execute(f"INSERT INTO score_cell_new ({cols}) SELECT {cols} FROM score_cell")
    op.drop_table("score_cell")
    op.rename_table("score_cell_new", "score_cell")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _copy_sqlite(*_columns(), sa.PrimaryKeyConstraint("item_id", "cell_ref"), sqlite_with_rowid=False)
        return
    op.drop_column("score_cell", "id")  # its primary key and sequence go with it
    op.drop_constraint("score_cell_item_id_cell_ref_key", "score_cell", type_="unique")
    op.create_primary_key("score_cell_pkey", "score_cell", ["item_id", "cell_ref"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _copy_sqlite(sa.Column("id", sa.Integer(), nullable=False), *_columns(), sa.PrimaryKeyConstraint("id"),
                     sa.UniqueConstraint("item_id", "cell_ref"))
        return
    op.drop_constraint("score_cell_pkey", "score_cell", type_="primary")
    op.create_unique_constraint("score_cell_item_id_cell_ref_key", "score_cell", ["item_id", "cell_ref"])
    op.execute("ALTER TABLE score_cell ADD COLUMN id SERIAL PRIMARY KEY")
