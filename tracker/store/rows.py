"""Writing many rows at once, and the JSON text every engine writes (issue 19).

`insert_rows` sends a table's rows as plain tuples: COPY on PostgreSQL, one executemany of a
prepared INSERT elsewhere. Values go through each column's own bind processor, as SQLAlchemy
would send them, so the stored rows are the same as an `insert(table)` of the same dicts; what is
skipped is SQLAlchemy's per-row work (a parameter dict per row, cache keys, the processor lookup
for every value).

`json_dumps` is the engines' JSON serializer: the same text as `json.dumps(value)` (the same C
encoder with the same options), without building a new encoder for every value.
"""
from __future__ import annotations

import json
from json import encoder as _encoder
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import Connection


def _default(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_markers: dict = {}
_make = getattr(_encoder, "c_make_encoder", None)
# Same arguments as json.dumps' default encoder: ensure_ascii, check_circular, allow_nan, no
# indent, separators (', ', ': '), keys in insertion order, non-string keys not skipped.
_c_encode = _make(_markers, _default, _encoder.encode_basestring_ascii, None, ": ", ", ", False, False,
                  True) if _make else None


def json_dumps(value: Any) -> str:
    """`json.dumps(value)` with the C encoder made once."""
    if _c_encode is None or isinstance(value, str):  # a bare string: json.dumps' own shortcut
        return json.dumps(value)
    try:
        return "".join(_c_encode(value, 0))
    except BaseException:
        _markers.clear()  # an error leaves the circular-reference markers of the values it was in
        raise


def _processors(conn: Connection, table: Table, columns: Sequence[str]) -> list[Callable | None]:
    dialect = conn.dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _processed(rows: Iterable[Sequence], procs: list[Callable | None]) -> Iterable[tuple]:
    active = [(i, p) for i, p in enumerate(procs) if p is not None]
    if not active:
        yield from (tuple(r) for r in rows)
        return
    for row in rows:
        out = list(row)
        for i, proc in active:
            if out[i] is not None:
                out[i] = proc(out[i])
        yield out


def _copy(conn: Connection, sql: str, rows: Iterable[Sequence]) -> None:
    """PostgreSQL: send `rows` through a `COPY ... FROM STDIN` statement."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as err:
        raise DBAPIError.instance(sql, None, err, dbapi.Error) from err


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert `rows` (tuples in `columns` order) into `table` in the connection's transaction.
    A driver error is raised as SQLAlchemy's (`IntegrityError` for a broken key, ...), as an
    `insert(table)` would raise it."""
    rows = list(rows)
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names, target = ", ".join(quote(c) for c in columns), quote(table.name)
    values = _processed(rows, _processors(conn, table, columns))
    raw = conn.connection.driver_connection
    dbapi = conn.dialect.loaded_dbapi
    if conn.dialect.name == "postgresql" and hasattr(raw, "cursor"):
        _copy(conn, f"COPY {target} ({names}) FROM STDIN", values)
        return
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in columns)
    sql = f"INSERT INTO {target} ({names}) VALUES ({marks})"
    cur = conn.connection.cursor()
    try:
        cur.executemany(sql, list(values))
    except dbapi.Error as err:
        raise DBAPIError.instance(sql, None, err, dbapi.Error) from err
    finally:
        cur.close()


def insert_dicts(conn: Connection, table: Table, rows: list[dict], defaults: dict[str, Any] | None = None) -> None:
    """`insert_rows` of dicts: every key any row has; a key a row lacks takes `defaults`, else
    the column's own Python-side default (as `insert(table)` would), else NULL. Columns no row
    names keep their server defaults."""
    if not rows:
        return
    defaults = dict(defaults or {})
    columns = list(dict.fromkeys([*defaults, *(k for r in rows for k in r)]))
    for column in table.c:
        default = column.default
        if column.name not in columns and default is not None and not column.primary_key and (
                default.is_scalar or default.is_callable):
            columns.append(column.name)
            defaults[column.name] = default.arg if default.is_scalar else _Call(default.arg)
    fill = {c: defaults.get(c) for c in columns}
    calls = [c for c in columns if isinstance(fill[c], _Call)]
    insert_rows(conn, table, columns, ([r[c] if c in r else (fill[c]() if c in calls else fill[c]) for c in columns]
                                       for r in rows))


class _Call:
    """A column's callable default, called once a row (SQLAlchemy passes it no context here)."""

    def __init__(self, fn: Callable):
        self.fn = fn

    def __call__(self) -> Any:
        return self.fn(None)
