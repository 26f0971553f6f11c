"""The store's change marker the page cache keys its pages with (issue 19; see api/page_cache.py).

SQLite's `PRAGMA data_version` on a connection of its own, PostgreSQL's `pg_current_snapshot()`:
both move on every committed write of any process. Read at most once per check interval; a
commit made through this process's ORM sessions makes the next request read it again.
"""
from __future__ import annotations

import sqlite3
import threading
import time
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession

_WATCHERS: "weakref.WeakSet[DataVersion]" = weakref.WeakSet()


@event.listens_for(OrmSession, "after_commit")
def _read_again(_session) -> None:  # noqa: ANN001
    """A commit made by this process (staff pages, services) shows on its next page at once;
    other processes' commits within the check interval."""
    for watcher in list(_WATCHERS):
        watcher.commits += 1
        watcher.until = 0.0
        watcher.local_commit = time.monotonic()


class DataVersion:
    """The store's change marker, read at most once per `interval` seconds."""

    def __init__(self, engine: Engine, interval: float):
        self.engine, self.interval = engine, interval
        self.value: str | None = None
        self.until = 0.0
        self.read_at = 0.0   # when `value` was read
        self.lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        self.commits = 0   # this process's commits seen by the hook (one during a read: read again)
        self.local_commit = 0.0
        _WATCHERS.add(self)

    def read(self) -> str | None:
        """The marker now, or None when this store has none (no caching then)."""
        dialect = self.engine.dialect.name
        try:
            if dialect == "sqlite":
                return self._sqlite_version()
            if dialect == "postgresql":
                with self.engine.connect() as conn:
                    return str(conn.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar())
        except Exception:  # noqa: BLE001 - the store is unreachable: serve nothing from memory
            self._sqlite = None
        return None

    def _sqlite_version(self) -> str | None:
        path = self.engine.url.database
        if not path or path == ":memory:":
            return None  # a private in-memory store per connection: nothing to watch
        if self._sqlite is None:
            # A connection that never writes: data_version moves on every other connection's commit.
            # timeout 0: a busy store (an importer's checkpoint) fails the read at once instead of
            # holding every request that waits for the version (then the app renders them)
            self._sqlite = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=0)
        return str(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def current(self) -> str | None:
        """The marker, read again when the last reading is older than the interval."""
        with self.lock:
            now = time.monotonic()
            if now >= self.until:
                commits = self.commits
                self.value, self.read_at = self.read(), now
                self.until = now + self.interval if commits == self.commits else 0.0
            return self.value
