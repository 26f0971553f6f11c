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
    op.add_column("vote_event", sa.Column("record_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    # Not Alembic's batch mode: on SQLite it would copy the table, and the roll calls' votes
    # refer to it (SQLite has dropped columns in place since 3.35).
    op.execute("ALTER TABLE vote_event DROP COLUMN record_hash")
