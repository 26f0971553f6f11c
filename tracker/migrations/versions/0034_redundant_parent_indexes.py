"""Drop four single-column indexes that a unique index already covers (issue 19): bill_action,
sponsorship and bill_source by bill_id, person_vote by vote_event_id. Each table has a unique
index starting with that column, which serves every lookup, join and cascade by it; the
second index only cost a write per row (about 80 a bill, and every vote of a roll call).

Revision ID: 0034_redundant_parent_indexes
Revises: 0033_score_cell_narrow
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0034_redundant_parent_indexes"
down_revision: Union[str, Sequence[str], None] = "0033_score_cell_narrow"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = (("ix_bill_action_bill_id", "bill_action", "bill_id"),
           ("ix_sponsorship_bill_id", "sponsorship", "bill_id"),
           ("ix_bill_source_bill_id", "bill_source", "bill_id"),
           ("ix_person_vote_vote_event_id", "person_vote", "vote_event_id"))


def upgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)
