"""Writing many rows at once, and the JSON text every engine writes (issue 19).

`insert_rows` sends a table's rows as plain tuples: COPY on PostgreSQL, one executemany of a
prepared INSERT elsewhere. Values go through each column's own bind processor, as SQLAlchemy
would send them, so the stored rows are the same as an `insert(table)` of the same dicts; what is
skipped is SQLAlchemy's per-row work (a parameter dict per row, cache keys, the processor lookup
for every value). Rows can be prepared (`prepare_rows`) apart from being written (`write_rows`);
`rows_sent` writes rows while the caller goes on (PostgreSQL's pipeline mode). On PostgreSQL the
JSON values are encoded as they are prepared, the same text psycopg would send.

`json_dumps` is the engines' JSON serializer: the same text as `json.dumps(value)` (the same C
encoder with the same options), without building a new encoder for every value.
"""
from __future__ import annotations

import datetime as dt
import json
import weakref
from itertools import chain
from operator import itemgetter
from json import encoder as _encoder
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from sqlalchemy import Table
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.elements import Null
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import Connection

from tracker.store.statements import run_raw


def _default(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_make = getattr(_encoder, "c_make_encoder", None)


def c_encoder(markers: dict | None, default: Callable, sort_keys: bool) -> Callable | None:
    """json.dumps' C encoder made once (None where the C accelerator is missing), with its
    arguments: ensure_ascii, allow_nan, no indent, separators (', ', ': '), non-string keys not
    skipped; `markers` a dict checks for circular references (None: no check), `default`
    serializes other objects. `"".join(encoder(value, 0))` is json.dumps' text."""
    return _make(markers, default, _encoder.encode_basestring_ascii, None, ": ", ", ", sort_keys, False,
                 True) if _make else None


_markers: dict = {}
_c_encode = c_encoder(_markers, _default, sort_keys=False)  # keys in insertion order


_EMPTY = {list: "[]", dict: "{}"}


def json_dumps(value: Any) -> str:
    """`json.dumps(value)` with the C encoder made once."""
    if type(value) in _EMPTY and not value:  # [] and {}: a quarter of the values of a bill's rows
        return _EMPTY[type(value)]
    if _c_encode is None or isinstance(value, str):  # a bare string: json.dumps' own shortcut
        return json.dumps(value)
    try:
        return "".join(_c_encode(value, 0))
    except BaseException:
        _markers.clear()  # an error leaves the circular-reference markers of the values it was in
        raise


class EncodedJSON(str):
    """JSON text already encoded (by pydantic, say), for a JSON column of rows written here: it is
    stored as it is, where any other value is encoded. Decoded, it is the value it encodes; the
    text may differ from `json_dumps`' (no spaces, non-ASCII characters as they are)."""

    __slots__ = ()


_PROCESSORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # dialect -> (table, columns) -> processors


def _processors(conn: Connection, table: Table, columns: Sequence[str]) -> list[Callable | None]:
    """The columns' bind processors (made once per dialect, table and columns)."""
    dialect = conn.dialect
    made = _PROCESSORS.setdefault(dialect, {})
    key = (table, tuple(columns))
    procs = made.get(key)
    if procs is None:
        procs = made[key] = [_processor(dialect, table.c[name].type) for name in columns]
    return procs


def _processor(dialect, kind) -> Callable | None:
    if _json_as_text(dialect, kind) or (isinstance(kind, sqltypes.JSON)
                                        and kind._str_impl.bind_processor(dialect) is None):
        # SQLAlchemy's JSON processor, without its own wrapper call a value. On PostgreSQL, psycopg's
        # own processor wraps the value, which is encoded only as the row is sent (inside COPY,
        # after `rows_sent`'s block): encoded here instead, as the same text.
        return _json_text(getattr(dialect, "_json_serializer", None) or json.dumps, kind.NULL)
    proc = kind.dialect_impl(dialect).bind_processor(dialect)
    if proc is not None and dialect.name == "sqlite" and type(kind) is sqltypes.Date:
        return _iso_date(proc)
    return proc


def _iso_date(proc: Callable) -> Callable:
    """SQLite's date processor with a shortcut for plain dates: their ISO text is its
    "YYYY-MM-DD" (a datetime, a date subclass, goes through `proc`, which keeps its date)."""
    date = dt.date

    def process(value: Any) -> Any:
        return value.isoformat() if type(value) is date else proc(value)
    return process


def _json_as_text(dialect, kind) -> bool:
    return dialect.name == "postgresql" and dialect.driver == "psycopg" and isinstance(kind, sqltypes.JSON)


def _json_text(serialize: Callable, null: Any) -> Callable:
    def process(value: Any) -> Any:  # SQLAlchemy's JSON processor, values not None
        if type(value) is EncodedJSON:
            return str(value)
        if isinstance(value, Null):
            return None
        return serialize(None if value is null else value)
    return process


def _processed(rows: Iterable[Sequence], procs: list[Callable | None]) -> list:
    """The rows as tuples, each value not None through its column's processor (column by column:
    one Python loop a column, not a row)."""
    rows = [tuple(r) for r in rows]
    active = [(i, p) for i, p in enumerate(procs) if p is not None]
    if not active or not rows:
        return rows
    columns = list(zip(*rows))
    for i, proc in active:
        columns[i] = [None if v is None else proc(v) for v in columns[i]]
    return list(zip(*columns))


def _copy(conn: Connection, sql: str, rows: Iterable[Sequence], types: Sequence[int] | None = None) -> None:
    """PostgreSQL: send `rows` through a `COPY ... FROM STDIN` statement; in binary with `types`
    (the columns' type oids, the statement ending in `(FORMAT BINARY)`)."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
            if types is not None:
                copy.set_types(list(types))
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as err:
        raise DBAPIError.instance(sql, None, err, dbapi.Error) from err


class Prepared(NamedTuple):
    """Rows of a table ready for the driver: values in `columns` order, through the columns' bind
    processors."""

    table: Table
    columns: list[str]
    values: list


def prepare_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence]) -> Prepared:
    """`rows` (tuples in `columns` order) ready to be written by `write_rows` (JSON encoded, ...)."""
    return Prepared(table, list(columns), _processed(rows, _processors(conn, table, columns)))


def _insert_sql(conn: Connection, rows: Prepared) -> str:
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    marks = []
    for name in rows.columns:
        kind = rows.table.c[name].type
        # JSON as text (`_processor`): cast to the column's type
        marks.append(f"CAST({mark} AS {dialect.type_compiler_instance.process(kind)})"
                     if _json_as_text(dialect, kind) else mark)
    return (f"INSERT INTO {quote(rows.table.name)} ({', '.join(quote(c) for c in rows.columns)}) "
            f"VALUES ({', '.join(marks)})")


def _copying(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql" and hasattr(conn.connection.driver_connection, "cursor")


def write_rows(conn: Connection, rows: Prepared) -> None:
    """Insert prepared rows in the connection's transaction: COPY on PostgreSQL, one executemany
    elsewhere. A driver error is raised as SQLAlchemy's (`IntegrityError` for a broken key, ...),
    as an `insert(table)` would raise it."""
    if not rows.values:
        return
    if _copying(conn):
        quote = conn.dialect.identifier_preparer.quote
        _copy(conn, f"COPY {quote(rows.table.name)} ({', '.join(quote(c) for c in rows.columns)}) FROM STDIN",
              rows.values)
        return
    run_raw(conn, _insert_sql(conn, rows), rows.values)


@contextmanager
def rows_sent(conn: Connection, rows: Prepared) -> Iterator[None]:
    """Insert prepared rows without waiting for the database while the block runs: on PostgreSQL
    they are sent in pipeline mode and the server inserts them (computing generated columns, say)
    while this process goes on. The block must not use the connection; the answer, an error
    included (raised as SQLAlchemy's), is had when the block ends. In the same transaction as
    everything else. Elsewhere (SQLite) the rows are written before the block runs: a thread
    writing them while the block ran was measured slower (issue 19, docs/benchmarks.md)."""
    raw = conn.connection.driver_connection
    if rows.values and _copying(conn) and _pipelines(raw):
        with _pipelined(conn, raw, rows):
            yield
    else:
        write_rows(conn, rows)
        yield


@contextmanager
def _pipelined(conn: Connection, raw: Any, rows: Prepared) -> Iterator[None]:
    sql, dbapi = _insert_sql(conn, rows), conn.dialect.loaded_dbapi
    cur = raw.cursor()
    try:
        with raw.pipeline():
            try:
                cur.executemany(sql, rows.values)
            except dbapi.Error as err:
                raise DBAPIError.instance(sql, None, err, dbapi.Error) from err
            yield
    except dbapi.Error as err:  # the server's answer, read as the pipeline ends
        raise DBAPIError.instance(sql, None, err, dbapi.Error) from err
    finally:
        cur.close()


def _pipelines(raw: Any) -> bool:
    """The driver connection has psycopg's pipeline mode (libpq 14 or later)."""
    try:
        from psycopg import Pipeline
    except ImportError:
        return False
    return hasattr(raw, "pipeline") and Pipeline.is_supported()


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert `rows` (tuples in `columns` order) into `table` in the connection's transaction
    (`prepare_rows`, then `write_rows`)."""
    write_rows(conn, prepare_rows(conn, table, columns, rows))


def prepare_dicts(conn: Connection, table: Table, rows: list[dict], defaults: dict[str, Any] | None = None) -> Prepared:
    """`prepare_rows` of dicts: every key any row has; a key a row lacks takes `defaults`, else
    the column's own Python-side default (as `insert(table)` would), else NULL. Columns no row
    names keep their server defaults."""
    defaults = dict(defaults or {})
    columns = list(dict.fromkeys(chain(defaults, chain.from_iterable(rows))))
    for column in table.c:
        default = column.default
        if column.name not in columns and default is not None and not column.primary_key and (
                default.is_scalar or default.is_callable):
            columns.append(column.name)
            defaults[column.name] = default.arg if default.is_scalar else _Call(default.arg)
    fill = {c: defaults.get(c) for c in columns}
    if not rows:
        return prepare_rows(conn, table, columns, [])
    static = {c: v for c, v in fill.items() if not isinstance(v, _Call)}
    calls = [(c, v) for c, v in fill.items() if isinstance(v, _Call)]  # called for each row that lacks it
    pick = itemgetter(*columns) if len(columns) > 1 else (lambda row, c=columns[0]: (row[c],))
    if calls:
        return prepare_rows(conn, table, columns, (pick({**static, **{c: f() for c, f in calls if c not in r}, **r})
                                                   for r in rows))
    return prepare_rows(conn, table, columns, (pick({**static, **r}) for r in rows))


def insert_dicts(conn: Connection, table: Table, rows: list[dict], defaults: dict[str, Any] | None = None) -> None:
    """`prepare_dicts`, then `write_rows`."""
    if rows:
        write_rows(conn, prepare_dicts(conn, table, rows, defaults))


class _Call:
    """A column's callable default, called once a row (SQLAlchemy passes it no context here)."""

    def __init__(self, fn: Callable):
        self.fn = fn

    def __call__(self) -> Any:
        return self.fn(None)
