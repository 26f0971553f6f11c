"""The language of a subscriber's emails (issue 18): English or Spanish, chosen at sign-up.

Revision ID: 0025_follow
Revises: 0024_staff_admin
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0025_follow"
down_revision: Union[str, Sequence[str], None] = "0024_staff_admin"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("alert_subscriber", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("alert_subscriber", schema=None) as batch_op:
        batch_op.drop_column("lang")
