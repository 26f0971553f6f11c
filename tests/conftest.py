"""Shared test fixtures: fresh databases (SQLite always, PostgreSQL when a server is given)
and the real data in ../shared/fixtures."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tracker.db import get_engine, make_engine, upgrade

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures"))
PG_URL = os.environ.get("EDTRACKER_TEST_POSTGRES_URL")


def real_fixture(*parts: str) -> Path:
    """Path of a real data file; skip the test, saying why, when the shared fixtures are absent."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real fixture {path} not found: put the shared fixtures at ../shared/fixtures "
                    f"or point EDTRACKER_FIXTURES at them")
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    get_engine(url).dispose()
    return path


@pytest.fixture(scope="session")
def pg_template():
    if not PG_URL:
        return None
    name = f"edt_tmpl_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    get_engine(url).dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _sqlite_db(tmp_path: Path, template: Path) -> str:
    path = tmp_path / "edtracker.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def _pg_db(template: str | None) -> tuple[str, callable]:
    """A new PostgreSQL database (a copy of `template`, or empty) and the function that drops it."""
    name = f"edt_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def drop():
        get_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, sqlite_template) -> str:
    """A fresh, migrated database: each test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield _sqlite_db(tmp_path, sqlite_template)
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
    url, drop = _pg_db(request.getfixturevalue("pg_template"))
    yield url
    drop()


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    """A fresh, migrated SQLite database, for tests that need not run on both."""
    return _sqlite_db(tmp_path, sqlite_template)


@pytest.fixture
def engine(db_url):
    eng = get_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def app_env(db_url, monkeypatch, tmp_path):
    """Point the settings (and so the CLI and API) at the test database."""
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("EDTRACKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()
