"""PostgreSQL full-text: a stored generated tsvector column with the GIN index on it

Ranking with ts_rank over the indexed expression rebuilt the vector of every matching row
(seconds for a common word at 100,000 bills); a stored column is read instead.

Revision ID: 0010
Revises: 0009
"""
from typing import Sequence, Union

from alembic import op
from sqlalchemy import text

from tracker.search.ddl import PG_INDEX, PG_TSV_COLUMN, PG_TSVECTOR

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return  # SQLite searches its FTS5 table
    conn.execute(text(f"ALTER TABLE bill_search_doc ADD COLUMN IF NOT EXISTS {PG_TSV_COLUMN} tsvector "
                      f"GENERATED ALWAYS AS ({PG_TSVECTOR}) STORED"))
    conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))
    conn.execute(text(f"CREATE INDEX {PG_INDEX} ON bill_search_doc USING gin ({PG_TSV_COLUMN})"))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))
    conn.execute(text(f"ALTER TABLE bill_search_doc DROP COLUMN IF EXISTS {PG_TSV_COLUMN}"))
    conn.execute(text(f"CREATE INDEX {PG_INDEX} ON bill_search_doc USING gin (({PG_TSVECTOR}))"))
