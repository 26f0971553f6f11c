"""Statements sent straight through the driver (issue 19): no SQLAlchemy statement object, cache
key or result wrapper, for the few statements a hot path repeats; and several parameterless
statements in one round trip where the database allows it."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError


def run_raw(conn: Connection, sql: str, params=None) -> None:
    """Run `sql` on the connection's driver cursor (executemany for a list of parameter tuples).
    A driver error is raised as SQLAlchemy's, naming the statement."""
    dbapi = conn.dialect.loaded_dbapi
    cur = conn.connection.cursor()
    try:
        if isinstance(params, list):
            cur.executemany(sql, params)
        elif params is None:
            cur.execute(sql)
        else:
            cur.execute(sql, params)
    except dbapi.Error as err:
        raise DBAPIError.instance(sql, None, err, dbapi.Error) from err
    finally:
        cur.close()


def run_batch(conn: Connection, statements: Sequence[str]) -> None:
    """Run parameterless statements in order: one round trip on PostgreSQL (the simple query
    protocol takes several statements), one call each elsewhere (SQLite's driver takes one)."""
    if conn.dialect.name == "postgresql":
        run_raw(conn, "; ".join(statements))
        return
    for sql in statements:
        run_raw(conn, sql)
