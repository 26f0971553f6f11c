"""DDL of the full-text index of bill text sections (migration 0028), shared with the queries.

SQLite: FTS5 over `bill_text_section` (external content, kept in step by triggers).
PostgreSQL: a GIN expression index; queries use the very same expression.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

TEXT_FTS = "bill_text_fts"
TEXT_PG_INDEX = "ix_bill_text_section_tsv"
TEXT_TSVECTOR = ("setweight(to_tsvector('english'::regconfig, label), 'A') || "
                 "setweight(to_tsvector('english'::regconfig, body), 'B')")


def create_text_fulltext(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        ins = f"INSERT INTO {TEXT_FTS}(rowid, label, body) VALUES (new.id, new.label, new.body);"
        dele = f"INSERT INTO {TEXT_FTS}({TEXT_FTS}, rowid, label, body) VALUES('delete', old.id, old.label, old.body);"
        for stmt in (
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {TEXT_FTS} USING fts5(label, body, content='bill_text_section', "
                "content_rowid='id', tokenize='porter unicode61')",
                f"CREATE TRIGGER IF NOT EXISTS bill_text_section_ai AFTER INSERT ON bill_text_section BEGIN {ins} END",
                f"CREATE TRIGGER IF NOT EXISTS bill_text_section_ad AFTER DELETE ON bill_text_section BEGIN {dele} END",
                f"CREATE TRIGGER IF NOT EXISTS bill_text_section_au AFTER UPDATE ON bill_text_section "
                f"BEGIN {dele} {ins} END"):
            conn.execute(text(stmt))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {TEXT_PG_INDEX} ON bill_text_section "
                          f"USING gin (({TEXT_TSVECTOR}))"))


def drop_text_fulltext(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for trig in ("ai", "ad", "au"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS bill_text_section_{trig}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {TEXT_FTS}"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(f"DROP INDEX IF EXISTS {TEXT_PG_INDEX}"))
