"""`edtracker db upgrade` killed at any point leaves a database the next upgrade finishes.

Each kill point is a real process killed by SIGKILL: right after each chosen SQL statement of a
fresh upgrade (through every migration, the FTS5 table and its triggers included), as it commits,
and the real `edtracker` command at increasing delays. After every kill the database holds either
nothing or the whole schema, and upgrading again gives exactly a clean upgrade's schema.
"""
from __future__ import annotations

import re

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, ROOT
from tracker.db import make_engine, upgrade

KILLER = ROOT / "tests" / "upgrade_killer.py"
EDTRACKER = Path(sys.executable).parent / "edtracker"
# Statement kill points spread over the whole upgrade, ends included. PostgreSQL runs DDL in
# transactions natively (and each upgrade there takes longer), so it gets fewer.
KILL_POINTS = {"sqlite": 24, "postgresql": 6}
DELAYED_KILLS = {"sqlite": 4, "postgresql": 2}


def _run_killer(jobs: list[dict]) -> list[dict]:
    proc = subprocess.run([sys.executable, str(KILLER), json.dumps(jobs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _canonical(row) -> tuple:
    """A schema object with a SQLite table's column and constraint lines in a fixed order: a
    migration that recreates a table (Alembic's batch mode) writes its constraints in the order
    reflection found them, which varies between processes; the table is the same."""
    kind, name, table, sql = tuple(row)
    if kind == "table" and sql and "(" in sql:
        head, _, body = sql.partition("(")
        body, _, tail = body.rpartition(")")
        parts = sorted(p.strip() for p in re.split(r",\s*\n", body))
        sql = f"{head}({', '.join(parts)}){tail}"
    return (kind, name, table, sql)


def _snapshot(url: str) -> dict:
    """Everything the schema is made of, the version row and the reference rows."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                objects = conn.execute(text(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master "
                    "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")).all()
            else:
                objects = conn.execute(text(
                    "SELECT 'column', table_name || '.' || column_name, data_type, "
                    "is_nullable || ' ' || coalesce(column_default, '') "
                    "FROM information_schema.columns WHERE table_schema = 'public' "
                    "UNION ALL SELECT 'index', indexname, tablename, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public' "
                    "UNION ALL SELECT 'constraint', conname, conrelid::regclass::text, "
                    "pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE connamespace = 'public'::regnamespace "
                    "UNION ALL SELECT 'trigger', tgname, tgrelid::regclass::text, '' "
                    "FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2, 3")).all()
            tables = {r[1] if engine.dialect.name == "sqlite" else r[1].split(".")[0]
                      for r in objects if r[0] in ("table", "column")}
            version = (conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
                       if "alembic_version" in tables else None)
            jurisdictions = (conn.execute(text("SELECT count(*) FROM jurisdiction")).scalar()
                             if "jurisdiction" in tables else None)
        return {"objects": [_canonical(r) for r in objects], "version": version,
                "jurisdictions": jurisdictions}
    finally:
        engine.dispose()


class _Databases:
    """Fresh, empty databases of one backend, dropped at the end."""

    def __init__(self, backend: str, tmp_path: Path):
        self.backend, self.tmp_path, self.made = backend, tmp_path, []
        self.admin = (make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
                      if backend == "postgresql" else None)

    def new(self) -> str:
        name = f"edt_kill_{uuid.uuid4().hex[:10]}"
        self.made.append(name)
        if self.admin is None:
            return f"sqlite:///{self.tmp_path / (name + '.db')}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.admin is None:
            return
        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def databases(request, tmp_path):
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
    dbs = _Databases(request.param, tmp_path)
    yield dbs
    dbs.drop_all()


def _assert_recovers(url: str, clean: dict, what: str, again=upgrade) -> None:
    after_kill = _snapshot(url)
    # All or nothing: a killed upgrade leaves no table behind, or the finished schema.
    assert after_kill["objects"] in ([], clean["objects"]), (
        f"{what}: the kill left a partial schema "
        f"({len(after_kill['objects'])} objects, version {after_kill['version']})")
    again(url)
    assert _snapshot(url) == clean, f"{what}: upgrading again did not give a clean upgrade's schema"


def test_upgrade_killed_after_any_statement_is_finished_by_the_next(databases):
    clean_url = databases.new()
    [counted] = _run_killer([{"url": clean_url}])
    assert counted["exit"] == 0 and counted["signal"] is None, counted
    total = counted["statements"]
    assert total > 50, f"a fresh upgrade ran only {total} statements"
    clean = _snapshot(clean_url)
    assert clean["version"] and clean["jurisdictions"]

    spread = KILL_POINTS[databases.backend]
    marks = counted["marks"]
    if databases.backend == "sqlite":
        assert marks.get("fts5") and marks.get("trigger"), f"no FTS5 table or trigger made: {marks}"
    # Right after the FTS5 table, its triggers and the version row writes, plus an even spread.
    points = sorted({1, 2, total - 1, total, *(n for ns in marks.values() for n in ns)}
                    | {1 + i * (total - 1) // (spread - 1) for i in range(spread)})
    jobs = [{"url": databases.new(), "after": n} for n in points]
    jobs.append({"url": databases.new(), "at_commit": True})
    results = _run_killer(jobs)
    for job, result in zip(jobs, results):
        what = f"killed after statement {job['after']}" if "after" in job else "killed at commit"
        assert result["signal"] == signal.SIGKILL, f"{what}: the process was not killed: {result}"
        _assert_recovers(job["url"], clean, what)


def test_edtracker_db_upgrade_killed_at_increasing_delays_is_finished_by_the_next(databases):
    def run(url: str) -> subprocess.Popen:
        env = dict(os.environ, EDTRACKER_DATABASE_URL=url)
        return subprocess.Popen([str(EDTRACKER), "db", "upgrade"], env=env, cwd=databases.tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def finish(url: str) -> None:
        again = run(url)
        assert again.wait(timeout=120) == 0, again.stderr.read().decode()[-2000:]
        again.stderr.close()

    clean_url = databases.new()
    start = time.monotonic()
    proc = run(clean_url)
    assert proc.wait(timeout=120) == 0, proc.stderr.read().decode()[-2000:]
    took = time.monotonic() - start
    clean = _snapshot(clean_url)

    kills = DELAYED_KILLS[databases.backend]
    for i in range(1, kills + 1):
        delay = took * (0.4 + 0.6 * i / kills)  # from 0.4 of a clean run's time to its end
        url = databases.new()
        proc = run(url)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stderr.close()
        # A run that finished before the kill leaves the full schema, which passes as well.
        _assert_recovers(url, clean, f"edtracker db upgrade killed after {delay:.2f}s",
                         again=finish)


def test_a_second_upgrade_started_meanwhile_waits_and_finishes(databases, tmp_path):
    """Two processes upgrading one fresh database (the migrate service and a restarted API): the
    second waits for the first instead of running into its half-made tables."""
    url, clean_url = databases.new(), databases.new()
    [counted] = _run_killer([{"url": clean_url}])
    clean = _snapshot(clean_url)
    marker, release = tmp_path / "first-is-half-way", tmp_path / "let-the-first-go-on"
    first = subprocess.Popen([sys.executable, str(KILLER), json.dumps(
        [{"url": url, "pause_after": counted["statements"] // 2, "marker": str(marker), "release": str(release)}])],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.05)
        env = dict(os.environ, EDTRACKER_DATABASE_URL=url)
        second = subprocess.Popen([str(EDTRACKER), "db", "upgrade"], env=env, cwd=tmp_path,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            second.wait(timeout=8)
        except subprocess.TimeoutExpired:
            pass  # waiting for the first, as it should
        assert second.poll() is None, f"the second upgrade did not wait: {second.communicate()[1][-2000:]}"
    finally:
        release.touch()
    out, err = first.communicate(timeout=300)
    assert json.loads(out.strip().splitlines()[-1])[0]["exit"] == 0, err[-2000:]
    _, second_err = second.communicate(timeout=300)
    assert second.returncode == 0, second_err[-2000:]
    assert _snapshot(url) == clean
