"""Alembic migrations build exactly the models' schema, on SQLite and on PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from tracker.db import alembic_config, get_engine, include_name, upgrade
from tracker.models import metadata


def test_migrations_have_one_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, f"several Alembic heads: {script.get_heads()} (add a merge revision)"


def test_upgrade_gives_models_schema_without_drift(db_url):
    # db_url is already migrated (from a template); upgrading again must be a no-op.
    upgrade(db_url)
    engine = get_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "compare_server_default": False,
                                                     "include_name": include_name})
        diff = compare_metadata(ctx, metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    assert {t.name for t in metadata.sorted_tables} <= set(inspect(engine).get_table_names())


def test_upgrade_from_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    with get_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}),
                                metadata)
    assert diff == []
