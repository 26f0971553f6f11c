"""Bill text versions (bill_text) and documents about a bill (bill.documents)

Revision ID: 0019_ca_pubinfo
Revises: 0010
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_ca_pubinfo"
down_revision: Union[str, Sequence[str], None] = "0011_identity_votes"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.add_column(sa.Column("documents", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.create_table(
        "bill_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("version_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("version_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("checksum", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("source_format", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bill_id", "version_code"),
    )
    op.create_index(op.f("ix_bill_text_bill_id"), "bill_text", ["bill_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_bill_text_bill_id"), table_name="bill_text")
    op.drop_table("bill_text")
    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.drop_column("documents")
