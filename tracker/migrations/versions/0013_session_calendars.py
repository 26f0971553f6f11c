"""Session calendars: sine die dates and what each source reported per session; the source of
each bill action.

Existing actions are credited to their bill's source (until now a bill showed one source's list).

Revision ID: 0013_session_calendars
Revises: 0010
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision: str = "0013_session_calendars"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("legislative_session") as batch:
        batch.add_column(sa.Column("sine_die_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("adjourned", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("dates_source", sa.String(), nullable=False, server_default="default"))
        batch.add_column(sa.Column("reported", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("bill_action") as batch:
        batch.add_column(sa.Column("source_format", sa.String(), nullable=True))
    op.get_bind().execute(text(
        "UPDATE bill_action SET source_format = "
        "(SELECT bill.source_format FROM bill WHERE bill.id = bill_action.bill_id)"))


def downgrade() -> None:
    with op.batch_alter_table("bill_action") as batch:
        batch.drop_column("source_format")
    with op.batch_alter_table("legislative_session") as batch:
        for name in ("reported", "dates_source", "adjourned", "sine_die_date"):
            batch.drop_column(name)
