"""People-facing errors of the installed `edtracker` command (issue 15.9): one line naming the
problem and the fix, no password, a traceback only with --debug, and exit codes that say
whether an import left files or records behind."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests import factories as f
from tests.conftest import PG_URL, real_fixture
from tracker.db import make_engine

EDTRACKER = Path(sys.executable).parent / "edtracker"
PASSWORD = "Sup3r-secret-pw"


def edtracker(*args: str, url: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    assert EDTRACKER.exists(), f"the installed command {EDTRACKER} is missing: run ./dev setup"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDTRACKER_")}
    env.update(EDTRACKER_DATABASE_URL=url, EDTRACKER_DATA_DIR=str(cwd / "data"), EDTRACKER_LOG_LEVEL="WARNING")
    return subprocess.run([str(EDTRACKER), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n{err[-3000:]}"
    assert "Traceback" not in err
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request, tmp_path):
    """A database edtracker never upgraded."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'never-upgraded.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
    name = f"edt_empty_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_unreachable_database_is_one_line_without_the_password(tmp_path):
    url = f"postgresql+psycopg://coalition:{PASSWORD}@127.0.0.1:{closed_port()}/edtracker"
    out = edtracker("bills", "list", url=url, cwd=tmp_path)
    assert out.returncode == 3
    line = one_line(out.stderr)
    assert line.startswith("error: cannot connect to the database at postgresql+psycopg://coalition:***@127.0.0.1")
    assert "EDTRACKER_DATABASE_URL" in line and PASSWORD not in out.stderr + out.stdout


def test_debug_shows_the_traceback(tmp_path):
    url = f"postgresql+psycopg://coalition:{PASSWORD}@127.0.0.1:{closed_port()}/edtracker"
    out = edtracker("--debug", "bills", "list", url=url, cwd=tmp_path)
    assert out.returncode != 0 and "Traceback" in out.stderr and "OperationalError" in out.stderr


@pytest.mark.parametrize("url, says", [
    ("not a url", "is not a database URL"),
    (f"mysql://coalition:{PASSWORD}@db.example/edtracker", "needs a database driver that is not installed"),
])
def test_malformed_or_unsupported_urls(tmp_path, url, says):
    out = edtracker("bills", "list", url=url, cwd=tmp_path)
    assert out.returncode == 3
    line = one_line(out.stderr)
    assert says in line and PASSWORD not in out.stderr


def test_a_database_never_upgraded_says_to_upgrade_then_works(tmp_path, empty_db):
    out = edtracker("bills", "list", url=empty_db, cwd=tmp_path)
    assert out.returncode == 3
    line = one_line(out.stderr)
    assert "has no edtracker tables yet" in line and "run `edtracker db upgrade`" in line
    assert edtracker("db", "upgrade", url=empty_db, cwd=tmp_path).returncode == 0
    listed = edtracker("bills", "list", "--json", url=empty_db, cwd=tmp_path)
    assert listed.returncode == 0 and json.loads(listed.stdout)["total"] == 0


def test_an_invalid_setting_is_one_line(tmp_path):
    env_url = f"sqlite:///{tmp_path / 'x.db'}"
    assert EDTRACKER.exists()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDTRACKER_")}
    env.update(EDTRACKER_DATABASE_URL=env_url, EDTRACKER_IMPORT_MAX_FILE_MB="lots")
    out = subprocess.run([str(EDTRACKER), "bills", "list"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2
    assert "EDTRACKER_IMPORT_MAX_FILE_MB" in one_line(out.stderr)


def test_import_exit_status_says_whether_anything_failed(tmp_path, db_url):
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(f.bill(n)) + "\n" for n in (1, 2)))
    ok = edtracker("import", str(good), "--json", url=db_url, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["counts"]["insert"] == 2

    bad = tmp_path / "mixed.jsonl"
    bad.write_text(json.dumps(f.bill(3)) + "\n" + json.dumps(f.bill(4, title="")) + "\n")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    mixed = edtracker("import", str(bad), str(broken), str(real_fixture("votes-senate-lis")), "--json",
                      url=db_url, cwd=tmp_path)
    assert mixed.returncode == 1, mixed.stderr
    report = json.loads(mixed.stdout)
    # stored: H.R. 3 and the Senate roll call; failed: H.R. 4 (no title) and the archive
    assert report["counts"]["insert"] == 2 and report["counts"]["error"] == 2
    assert {e["source"] for e in report["errors"]} == {f"{bad}:2", str(broken)}

    missing = edtracker("import", str(tmp_path / "nope"), url=db_url, cwd=tmp_path)
    assert missing.returncode == 2 and "nope: no such file or folder" in one_line(missing.stderr)

    again = edtracker("import", str(good), url=db_url, cwd=tmp_path)
    assert again.returncode == 0 and "noop=2" in again.stdout


def test_help_documents_the_exit_codes(tmp_path):
    out = edtracker("import", "--help", url="sqlite://", cwd=tmp_path)
    assert out.returncode == 0
    flat = " ".join(out.stdout.split())
    assert "Exit status: 0 every file and record imported; 1 some files or records failed" in flat
    top = edtracker("--help", url="sqlite://", cwd=tmp_path)
    assert "--debug" in top.stdout and "Exit status" in " ".join(top.stdout.split())


def test_a_corrupt_archive_alone_fails_the_import(tmp_path, db_url):
    archive = tmp_path / "dump.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.jsonl", json.dumps(f.bill(8)) + "\n")
    archive.write_bytes(archive.read_bytes()[:-30])  # cut inside its central directory
    out = edtracker("import", str(archive), url=db_url, cwd=tmp_path)
    assert out.returncode == 1
    assert "dump.zip" in out.stderr + out.stdout and "Traceback" not in out.stderr
