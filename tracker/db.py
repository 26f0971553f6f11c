"""Engines, sessions and schema upgrades for SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from tracker.store.rows import json_dumps
from tracker.settings import get_settings


def register_store_hooks() -> None:
    """Import the services that listen to the ORM's flushes (position history events, scores
    marked stale); every engine made here has them, whatever imported the models."""
    import tracker.alerts.events  # noqa: F401
    import tracker.scoring.dirty  # noqa: F401


def make_engine(url: str) -> Engine:
    """An engine with the pragmas SQLite needs for foreign keys and concurrent readers."""
    register_store_hooks()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=json_dumps)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # A checkpoint (the WAL copied into the database, both synced) after 10,000 pages
            # (40 MB) of WAL rather than 1,000: an import's batches rewrite the same index and
            # full-text pages, copied and synced once instead of after nearly every batch (issue 19).
            cur.execute("PRAGMA wal_autocheckpoint=10000")
            cur.close()

        return engine
    settings = get_settings()
    engine = create_engine(url, json_serializer=json_dumps, pool_pre_ping=True, pool_size=settings.db_pool_size,
                           max_overflow=settings.db_max_overflow, pool_recycle=settings.db_pool_recycle,
                           pool_timeout=settings.db_pool_timeout)
    event.listen(engine, "connect", _lz4_toast)
    return engine


def _lz4_toast(dbapi_conn, _record) -> None:  # noqa: ANN001
    """PostgreSQL: large values this connection writes (a bill's kept record is ~30 KB of JSON,
    its search document ~9 KB) are compressed with lz4 where the server has it, in about a third
    of the server's time pglz (the default) takes (issue 19). The values read back are the same;
    rows written before keep their compression."""
    cur = dbapi_conn.cursor()
    cur.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    row = cur.fetchone()
    if row and row[0]:
        cur.execute("SET default_toast_compression = lz4")
    cur.close()
    dbapi_conn.commit()  # the pool's rollback on return would undo a SET made in a transaction


# pg_advisory_xact_lock key of schema upgrades: the first 8 bytes of sha256("edtracker:db-upgrade").
MIGRATION_LOCK = int.from_bytes(hashlib.sha256(b"edtracker:db-upgrade").digest()[:8], "big", signed=True)


def migration_engine(url: str) -> Engine:
    """An engine whose transactions include DDL and exclude each other, for schema upgrades.

    sqlite3's legacy transaction handling runs DDL outside any transaction, so each CREATE
    commits on its own and a kill mid-upgrade leaves tables without a version row. Here the
    driver's handling is off and BEGIN IMMEDIATE is sent (SQLAlchemy's documented recipe): the
    whole upgrade commits or leaves nothing. PostgreSQL's DDL is transactional already; there a
    transaction-scoped advisory lock makes a concurrent upgrade wait instead of colliding with
    the first one's uncommitted tables (BEGIN IMMEDIATE does the same on SQLite).
    """
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _no_driver_transactions(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn):  # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif engine.dialect.name == "postgresql":
        @event.listens_for(engine, "begin")
        def _serialize(conn):  # noqa: ANN001
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: the settings' database)."""
    return _engine_for(url or get_settings().effective_database_url)


@lru_cache
def _engine_for(url: str) -> Engine:
    return make_engine(url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def batch_session(engine: Engine) -> Iterator[Session]:
    """One write transaction meant to hold savepoints (`session.begin_nested()`), committed when
    the block ends and rolled back on error.

    sqlite3's legacy transaction handling sends no BEGIN before a SAVEPOINT, so SQLite would
    treat the first savepoint as the transaction and commit at its RELEASE. Here the driver's
    handling is off for this one connection and BEGIN IMMEDIATE is sent: the write lock is
    taken at once (a reader turning writer later could fail at once with SQLITE_BUSY instead
    of waiting), and every savepoint nests in the one transaction.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if engine.dialect.name == "sqlite" else None
        level = raw.isolation_level if raw is not None else None
        try:
            if raw is not None:
                raw.isolation_level = None
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.begin()  # the connection's transaction, which the session joins and does not end
            with Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.flush()
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if raw is not None:
                raw.isolation_level = level


def include_name(name, type_, parent_names) -> bool:  # noqa: ANN001
    """Which database objects Alembic compares with the models."""
    if type_ == "table" and name and name.startswith("apscheduler_"):
        return False  # APScheduler creates and owns its job store table
    from tracker.search.ddl import is_fulltext_column, is_fulltext_index, is_fulltext_table

    # The full-text tables, column and index (made by migrations, not models) are not compared.
    if type_ == "index" and name and is_fulltext_index(name):
        return False
    if type_ == "column" and name and is_fulltext_column((parent_names or {}).get("table_name"), name):
        return False
    return not (type_ == "table" and name and is_fulltext_table(name))


def alembic_config(url: str):
    """Alembic configuration pointing at the packaged migrations, for `url`."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migration_head() -> str | None:
    """The one head revision of the packaged migrations, read from their `revision` and
    `down_revision` lines without loading Alembic; None when that reading is not one head."""
    import ast

    revisions, downs = set(), set()
    try:
        for path in (Path(__file__).parent / "migrations" / "versions").glob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                name, sep, value = line.partition("=")
                key = name.split(":")[0].rstrip()
                if sep and key in ("revision", "down_revision"):  # module level only
                    value = ast.literal_eval(value.strip())
                    if key == "revision":
                        revisions.add(value)
                    else:
                        downs.update([value] if isinstance(value, str) else value or ())
    except (OSError, ValueError, SyntaxError):
        return None
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 and downs <= revisions else None


def _table_count(conn) -> int:  # noqa: ANN001
    if conn.dialect.name == "sqlite":
        return conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    return conn.exec_driver_sql("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_schema = current_schema()").scalar()


def _stored_revision(conn) -> str | None:  # noqa: ANN001
    if conn.dialect.name == "sqlite":
        found = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                     "AND name = 'alembic_version'").scalar()
    else:
        found = conn.exec_driver_sql("SELECT to_regclass('alembic_version') IS NOT NULL").scalar()
    rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() if found else []
    return rows[0][0] if len(rows) == 1 else None


def create_fresh(conn, head: str) -> None:  # noqa: ANN001
    """Make the head schema in an empty database from the models and stamp it at `head`:
    what replaying every migration gives (tests/test_fresh_schema.py), at a fraction of the cost."""
    from tracker.models import metadata
    from tracker.search.ddl import create_head_fulltext

    metadata.create_all(conn)
    create_head_fulltext(conn)
    conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                         "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})


def upgrade(url: str | None = None, revision: str = "head", *, replay: bool = False) -> None:
    """Bring the schema to `revision` and make sure the reference data is present.

    An empty database is made from the models and stamped at the head, and one already at the
    head is left as it is, both without loading Alembic; `replay=True` runs every migration."""
    from tracker.jurisdictions.seed import ensure_jurisdictions

    url = url or get_settings().effective_database_url
    engine = migration_engine(url)
    head = migration_head() if revision == "head" and not replay else None
    try:
        # One transaction for every migration and the reference rows: killed at any point,
        # the database is left as it was and the next upgrade starts over.
        with engine.begin() as conn:
            if head and _table_count(conn) == 0:
                create_fresh(conn, head)
            elif not head or _stored_revision(conn) != head:
                from alembic import command

                cfg = alembic_config(url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
            with Session(bind=conn, expire_on_commit=False) as session:
                ensure_jurisdictions(session)
    finally:
        engine.dispose()
