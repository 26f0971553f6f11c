"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL, and time helpers."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Table, insert as sa_insert, select
from sqlalchemy.engine import Connection


def insert_ignore(conn: Connection, table: Table, rows: list[dict], key: str) -> list[int]:
    """Insert the rows whose unique `key` is new; return the ids of those inserted."""
    if not rows:
        return []
    rows = list({r[key]: r for r in rows}.values())
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # other databases: check first (not race-free; only SQLite and PostgreSQL are supported)
        known = set(conn.execute(select(table.c[key]).where(table.c[key].in_([r[key] for r in rows]))).scalars())
        new = [r for r in rows if r[key] not in known]
        return [conn.execute(sa_insert(table).values(**r)).inserted_primary_key[0] for r in new]
    stmt = insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c.id)
    ids = []
    for chunk in range(0, len(rows), 500):
        # RETURNING names exactly the new rows (rowcount is unreliable with ON CONFLICT).
        for row in rows[chunk:chunk + 500]:
            ids.extend(conn.execute(stmt.values(**row)).scalars().all())
    return ids


def insert_ignore_many(conn: Connection, table: Table, rows: list[dict], key: str) -> None:
    """`insert_ignore` as one executemany, for callers that need no ids (SQLite and PostgreSQL)."""
    rows = list({r[key]: r for r in rows}.values())
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(table).on_conflict_do_nothing(index_elements=[key]), rows)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; everything stored is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value
