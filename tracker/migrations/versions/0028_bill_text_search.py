"""Full-text search inside bill text (issue 21): one row per section of each stored text
version, indexed by FTS5 (SQLite) or a GIN tsvector index (PostgreSQL).

Revision ID: 0028_bill_text_search
Revises: 0027_school_districts
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0028_bill_text_search"
down_revision: Union[str, Sequence[str], None] = "0027_school_districts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "bill_text_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_text_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["bill_text_id"], ["bill_text.id"]),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bill_text_section", schema=None) as batch_op:
        batch_op.create_index("ix_bill_text_section_bill_text_id", ["bill_text_id"], unique=False)
        batch_op.create_index("ix_bill_text_section_bill_id", ["bill_id"], unique=False)
    from tracker.search.textddl import create_text_fulltext
    from tracker.search.textindex import section_rows
    bind = op.get_bind()
    create_text_fulltext(bind)
    # the texts stored before this revision: indexed now
    table = sa.table("bill_text_section", sa.column("bill_text_id"), sa.column("bill_id"), sa.column("position"),
                     sa.column("label"), sa.column("body"))
    for tid, bid, body, sections in bind.execute(sa.text("SELECT id, bill_id, text, sections FROM bill_text")):
        if isinstance(sections, str):
            import json
            sections = json.loads(sections)
        rows = [{"bill_text_id": tid, "bill_id": bid, "position": p, "label": label, "body": b}
                for p, label, b in section_rows(body, sections)]
        if rows:
            op.bulk_insert(table, rows)


def downgrade() -> None:
    from tracker.search.textddl import drop_text_fulltext
    drop_text_fulltext(op.get_bind())
    with op.batch_alter_table("bill_text_section", schema=None) as batch_op:
        batch_op.drop_index("ix_bill_text_section_bill_id")
        batch_op.drop_index("ix_bill_text_section_bill_text_id")
    op.drop_table("bill_text_section")
