"""Member organization logins, who set a member stance, and the coalition watchlist

Revision ID: 0021_positions_watchlist
Revises: 0020_scorecard_builder
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021_positions_watchlist"
down_revision: Union[str, Sequence[str], None] = "0020_scorecard_builder"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_staff_user_member_id"), ["member_id"], unique=False)
        batch_op.create_foreign_key("fk_staff_user_member_id", "member_organization", ["member_id"], ["id"])
    with op.batch_alter_table("member_stance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("set_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        "watch_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coalition_id", sa.Integer(), nullable=False),
        sa.Column("bill_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["coalition_id"], ["coalition.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coalition_id", "bill_key"))
    op.create_index(op.f("ix_watch_item_bill_key"), "watch_item", ["bill_key"], unique=False)
    op.create_index(op.f("ix_watch_item_coalition_id"), "watch_item", ["coalition_id"], unique=False)
    op.create_index(op.f("ix_watch_item_owner_id"), "watch_item", ["owner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_watch_item_owner_id"), table_name="watch_item")
    op.drop_index(op.f("ix_watch_item_coalition_id"), table_name="watch_item")
    op.drop_index(op.f("ix_watch_item_bill_key"), table_name="watch_item")
    op.drop_table("watch_item")
    with op.batch_alter_table("member_stance", schema=None) as batch_op:
        batch_op.drop_column("set_by")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_constraint("fk_staff_user_member_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_staff_user_member_id"))
        batch_op.drop_column("member_id")
