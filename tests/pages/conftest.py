"""Fixtures of the page tests: the demo's database (built once per run by `edtracker demo
--no-serve`, the same data a new user sees), copied fresh for each test, and a server on it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.web import free_port, live_server


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "EDTRACKER_DATA_DIR": str(folder), "EDTRACKER_DATABASE_URL": ""}
    out = subprocess.run([sys.executable, "-m", "cli", "demo", "--no-serve", "--mirror-port", str(free_port())],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return folder / "edtracker.db"


@pytest.fixture
def demo_url(demo_db_template, tmp_path) -> str:
    """A private copy of the demo database for one test."""
    copy = tmp_path / "edtracker.db"
    shutil.copy(demo_db_template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def demo_server(demo_url, tmp_path):
    with live_server(demo_url, tmp_path) as base:
        yield base


BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def site(demo_url, tmp_path):
    """The app on a copy of the demo's data, in-process (TestClient), asking as a browser does."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tracker.settings import Settings

    # The tests change the database from outside the app and look at once: the page cache
    # reads the data version on every request instead of once a second (its documented delay).
    settings = Settings(database_url=demo_url, data_dir=tmp_path, secret_key="test-secret-key-test-secret-key-123",
                        public_url="http://testserver", page_cache_check_ms=0, _env_file=None)
    app = create_app(settings)
    with TestClient(app, headers=BROWSER) as client:
        yield client
    app.state.engine.dispose()
