"""Score summaries are updated in place (issue 19): drop `ix_score_summary_scorecard_id`, which the
unique (scorecard_id, legislator_id, session) index already covers, and on PostgreSQL leave 30%
of each page of `score_summary` free (fillfactor 70), so an update of a summary's sums (no
indexed column) stays on its page and writes no index entry (a heap-only tuple). One roll call
rewrites the summaries of every member of its body: 1,480 rows in the national benchmark. The
fill factor applies to pages written from now on; existing pages fill up the same way as rows
are rewritten.

Revision ID: 0035_score_summary_in_place
Revises: 0034_redundant_parent_indexes
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0035_score_summary_in_place"
down_revision: Union[str, Sequence[str], None] = "0034_redundant_parent_indexes"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index("ix_score_summary_scorecard_id", table_name="score_summary")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE score_summary SET (fillfactor = 70)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE score_summary RESET (fillfactor)")
    op.create_index("ix_score_summary_scorecard_id", "score_summary", ["scorecard_id"], unique=False)
