"""Member organizations' people are invited by email (issue 17): an invitation may name the
member organization its account will speak for.

Revision ID: 0026_member_invitations
Revises: 0025_follow
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0026_member_invitations"
down_revision: Union[str, Sequence[str], None] = "0025_follow"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_staff_invitation_member_id", "member_organization", ["member_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.drop_constraint("fk_staff_invitation_member_id", type_="foreignkey")
        batch_op.drop_column("member_id")
