"""Many rows addressed by their integer keys: read, update and delete them at once (issue 19).

On PostgreSQL a list of keys travels as one array parameter (`= ANY(...)`): one statement whose
text is the same whatever the number of rows, so neither psycopg nor the server parses an IN
list of hundreds of placeholders each time; new values go by COPY into a work table and one
`UPDATE ... FROM`. Elsewhere (SQLite) an update or delete is one prepared statement run per row
by executemany, and a read filters by IN lists in chunks. Values go through the columns' bind
processors, as `tracker.store.rows.insert_rows` sends them.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Table, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from tracker.store.rows import _copy, prepare_rows
from tracker.store.statements import run_batch, run_raw

CHUNK = 500


def _pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def key_filters(conn: Connection, column: ColumnElement, keys: Iterable) -> Iterator[ColumnElement]:
    """Conditions `column` in `keys` (ids, natural keys...), to run one query each: one array
    condition on PostgreSQL, IN lists of at most CHUNK keys elsewhere. No keys: no condition."""
    keys = sorted(set(keys))
    if not keys:
        return
    if _pg(conn):
        yield column == any_(bindparam(None, keys, type_=ARRAY(column.type)))
        return
    for i in range(0, len(keys), CHUNK):
        yield column.in_(keys[i:i + CHUNK])


def update_rows(conn: Connection, table: Table, key: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Set `columns` of the rows whose integer `key` is each row's first value (rows are
    `(key, *values in columns order)`). Rows whose key is not stored are ignored. Values are of
    their columns' Python types (on PostgreSQL they may go in binary: a number for a text
    column, or a time without zone for a column with one, is refused there with a TypeError)."""
    rows = list(rows)
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    values = prepare_rows(conn, table, [key, *columns], rows).values
    if _pg(conn):
        # The new values are copied into a work table, then one UPDATE ... FROM
        # (1,480 summaries: as arrays through `unnest` psycopg spent 25 ms encoding them, COPY 5).
        names = ", ".join(quote(n) for n in (key, *columns))
        # One work table per table and list of columns, kept by the connection and emptied at
        # every commit (see tracker.scoring.setcells).
        digest = hashlib.sha1(names.encode()).hexdigest()[:10]
        target, work = quote(table.name), quote(f"_update_{table.name}_{digest}")
        run_batch(conn, [f"CREATE TEMP TABLE IF NOT EXISTS {work} ON COMMIT DELETE ROWS AS SELECT {names}"
                         f" FROM {target} WITH NO DATA", f"DELETE FROM {work}"])
        types = _binary_types(conn, work)
        _copy(conn, f"COPY {work} ({names}) FROM STDIN" + (" (FORMAT BINARY)" if types else ""), values, types)
        sets = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
        run_raw(conn, f"UPDATE {target} AS t SET {sets} FROM {work} AS v WHERE t.{quote(key)} = v.{quote(key)}")
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sets = ", ".join(f"{quote(c)} = {mark}" for c in columns)
    run_raw(conn, f"UPDATE {quote(table.name)} SET {sets} WHERE {quote(key)} = {mark}",
         [(*row[1:], row[0]) for row in values])


# Types whose binary form psycopg writes from the Python values the columns' processors give
# (int, float, bool, str, date, datetime): numbers need no decimal text, times no ISO text.
_BINARY_OK = {16, 20, 21, 23, 25, 700, 701, 1043, 1082, 1114, 1184}


def _binary_types(conn: Connection, work: str) -> list[int] | None:
    """The type oids of a work table's columns when every one has a plain binary form, else
    None (text COPY). Read once per connection (a temporary table lives as long as it):
    1,480 summaries went by COPY in 4.4 ms as text, 2.4 ms in binary (issue 19)."""
    known = conn.connection.info.setdefault("edtracker_work_types", {})
    if work not in known:
        oids = [oid for (oid,) in conn.exec_driver_sql(
            "SELECT atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " AND NOT attisdropped ORDER BY attnum", (work,)).all()]
        known[work] = oids if oids and all(oid in _BINARY_OK for oid in oids) else None
    return known[work]


def delete_keys(conn: Connection, table: Table, key: str, keys: Sequence[int]) -> None:
    """Delete the rows whose integer `key` is one of `keys`."""
    keys = sorted(set(keys))
    if not keys:
        return
    quote = conn.dialect.identifier_preparer.quote
    if _pg(conn):
        run_raw(conn, f"DELETE FROM {quote(table.name)} WHERE {quote(key)} = ANY(%s::INTEGER[])", (keys,))
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    run_raw(conn, f"DELETE FROM {quote(table.name)} WHERE {quote(key)} = {mark}", [(k,) for k in keys])
