"""`vote_event.record_hash` (issue 19): the content hash of the roll call's record last stored, so
an import of the same record again is a noop answered from one query per batch, without reading
and comparing its votes (a national re-import spent most of its time there). Roll calls stored
before get their hash the next time their record is imported (the whole way, once).

Revision ID: 0036_vote_event_record_hash
Revises: 0035_score_summary_in_place
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0036_vote_event_record_hash"
down_revision: Union[str, Sequence[str], None] = "0035_score_summary_in_place"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("vote_event") as batch_op:
        batch_op.add_column(sa.Column("record_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vote_event") as batch_op:
        batch_op.drop_column("record_hash")
