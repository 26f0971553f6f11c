"""Alembic environment: the models' metadata, the URL from settings unless given."""
from __future__ import annotations

from alembic import context
from alembic.util import CommandError

import tracker.models  # noqa: F401  (registers every table)
from tracker.models import metadata
from tracker.db import include_name as _include_name, migration_engine
from tracker.settings import get_settings

config = context.config


def _url() -> str:
    # `alembic` run from the repository reads pyproject.toml only (no alembic.ini), so the
    # URL comes from EDTRACKER_DATABASE_URL; `edtracker db upgrade` passes it explicitly.
    try:
        url = config.get_main_option("sqlalchemy.url")
    except CommandError:
        url = None
    return url or get_settings().effective_database_url


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True,
                      include_name=_include_name,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                          include_name=_include_name)
        with context.begin_transaction():
            context.run_migrations()
        return
    # The `alembic` command: the same single transaction as `edtracker db upgrade`.
    engine = migration_engine(_url())
    try:
        with engine.begin() as conn:
            context.configure(connection=conn, target_metadata=metadata, render_as_batch=True,
                              include_name=_include_name)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
