"""DDL of the full-text indexes, shared by migration 0005 and the search queries.

SQLite: an FTS5 table with external content (`bill_search_doc`), kept in sync by triggers, so
writing a search document is one ordinary upsert. PostgreSQL: a GIN expression index on the
weighted tsvector below; queries must use the very same expression to use the index.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

FTS_TABLE = "bill_fts"
PG_INDEX = "ix_bill_search_doc_tsv"  # a full-text index the models cannot describe
# PostgreSQL keeps the weighted vector in a stored generated column (migration 0010), so ranking
# reads it instead of rebuilding the vector of every matching row.
PG_TSV_COLUMN = "search_tsv"
FTS_COLUMNS = ("title", "summary", "subjects", "actions")
# Title weighs most, then subjects, then summary, then actions (ts_rank weights A-D).
PG_TSVECTOR = ("setweight(to_tsvector('english'::regconfig, title), 'A') || "
               "setweight(to_tsvector('english'::regconfig, subjects), 'B') || "
               "setweight(to_tsvector('english'::regconfig, summary), 'C') || "
               "setweight(to_tsvector('english'::regconfig, actions), 'D')")


def _sqlite_statements() -> list[str]:
    cols = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    delete = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols}) VALUES('delete', old.bill_id, {old});"
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.bill_id, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({cols}, content='bill_search_doc', "
        "content_rowid='bill_id', tokenize='porter unicode61')",
        f"CREATE TRIGGER IF NOT EXISTS bill_search_doc_ai AFTER INSERT ON bill_search_doc BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS bill_search_doc_ad AFTER DELETE ON bill_search_doc BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS bill_search_doc_au AFTER UPDATE ON bill_search_doc BEGIN {delete} {insert} END",
    ]


def create_fulltext(conn: Connection) -> None:
    """Create the full-text index for the connection's database."""
    if conn.dialect.name == "sqlite":
        for stmt in _sqlite_statements():
            conn.execute(text(stmt))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON bill_search_doc "
                          f"USING gin (({PG_TSVECTOR}))"))


def drop_fulltext(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for trig in ("ai", "ad", "au"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS bill_search_doc_{trig}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))


def is_fulltext_column(table: str | None, name: str) -> bool:
    """The generated tsvector column of migration 0010, which Alembic must not compare."""
    return table == "bill_search_doc" and name == PG_TSV_COLUMN


def is_fulltext_index(name: str) -> bool:
    """The PostgreSQL expression index made by migration 0005, which Alembic must not compare."""
    return name in (PG_INDEX, "ix_bill_text_section_tsv")


def is_fulltext_table(name: str) -> bool:
    """FTS5's own tables (bill_fts, bill_fts_data, ...), which Alembic must not compare."""
    return any(name == t or name.startswith(t + "_") for t in (FTS_TABLE, "bill_text_fts"))


def create_head_fulltext(conn: Connection) -> None:
    """Every full-text object as the latest migration leaves it, for a database made from the
    models (`tracker.db.upgrade` on an empty database); tests/test_fresh_schema.py compares."""
    from tracker.search.textddl import create_text_fulltext

    if conn.dialect.name == "sqlite":
        create_fulltext(conn)
    elif conn.dialect.name == "postgresql":  # migration 0010: the stored column and its index
        conn.execute(text(f"ALTER TABLE bill_search_doc ADD COLUMN {PG_TSV_COLUMN} tsvector "
                          f"GENERATED ALWAYS AS ({PG_TSVECTOR}) STORED"))
        conn.execute(text(f"CREATE INDEX {PG_INDEX} ON bill_search_doc USING gin ({PG_TSV_COLUMN})"))
    create_text_fulltext(conn)
