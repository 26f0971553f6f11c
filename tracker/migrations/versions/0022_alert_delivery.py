"""Alert delivery that never loses a message (issue 18): ready-made emails (confirmations, password
resets) in the outbox, the Message-ID stored when a message is queued, leases for several
dispatchers, and the count of attempts whose outcome at the server is unknown.

Revision ID: 0022_alert_delivery
Revises: 0021_positions_watchlist
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_alert_delivery"
down_revision: Union[str, Sequence[str], None] = "0021_positions_watchlist"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("alert_delivery", schema=None) as b:
        b.alter_column("subscription_id", existing_type=sa.Integer(), nullable=True)
        b.add_column(sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                               server_default="alert"))
        b.add_column(sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        b.add_column(sa.Column("body", sa.Text(), nullable=True))
        b.add_column(sa.Column("coalition_id", sa.Integer(), nullable=True))
        b.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        b.add_column(sa.Column("in_flight", sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column("uncertain", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.execute("DELETE FROM alert_delivery WHERE subscription_id IS NULL")
    with op.batch_alter_table("alert_delivery", schema=None) as b:
        for col in ("uncertain", "in_flight", "lease_until", "coalition_id", "body", "recipient", "purpose"):
            b.drop_column(col)
        b.alter_column("subscription_id", existing_type=sa.Integer(), nullable=False)
