"""Database locks that several processes respect: PostgreSQL advisory locks, or a lease row
on SQLite. Used for scheduler leadership and so that no job overlaps itself."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class DbLock:
    """A named lock held by this process until `release()` (or until it dies).

    PostgreSQL: a session advisory lock on a connection kept open, so the server frees it
    when the process or its connection dies. SQLite: a lease row that expires after `ttl`
    seconds unless renewed.
    """

    def __init__(self, engine: Engine, name: str, *, ttl: float = 60, holder: str | None = None):
        self.engine, self.name, self.ttl = engine, name, ttl
        self.holder = holder or default_holder()
        self._conn: Connection | None = None
        self.held = False

    @property
    def _pg(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def acquire(self) -> bool:
        """Take the lock if it is free (or already ours); never waits."""
        if self._pg:
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self.held = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                                {"k": lock_key(self.name)}).scalar())
            if not self.held:
                self._conn.close()
                self._conn = None
            return self.held
        now = _utcnow()
        expires = now + dt.timedelta(seconds=self.ttl)
        with self.engine.begin() as conn:
            taken = conn.execute(text(
                "UPDATE scheduler_lease SET holder = :me, expires_at = :exp "
                "WHERE name = :n AND (holder = :me OR expires_at < :now)"),
                {"me": self.holder, "exp": expires, "n": self.name, "now": now}).rowcount
        if not taken:
            try:
                with self.engine.begin() as conn:
                    conn.execute(text("INSERT INTO scheduler_lease (name, holder, expires_at) "
                                      "VALUES (:n, :me, :exp)"),
                                 {"n": self.name, "me": self.holder, "exp": expires})
                taken = 1
            except IntegrityError:
                taken = 0
        self.held = bool(taken)
        return self.held

    def renew(self) -> bool:
        """Keep holding; False means the lock was lost (connection gone, lease taken over)."""
        if not self.held:
            return False
        if self._pg:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception:  # noqa: BLE001 - a dead connection means a lost lock
                self.held = False
                self._conn = None
                return False
        return self.acquire()

    def release(self) -> None:
        if not self.held:
            return
        if self._pg:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(self.name)})
                self._conn.close()
            finally:
                self._conn = None
        else:
            with self.engine.begin() as conn:
                conn.execute(text("DELETE FROM scheduler_lease WHERE name = :n AND holder = :me"),
                             {"n": self.name, "me": self.holder})
        self.held = False

    def __enter__(self) -> "DbLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()
