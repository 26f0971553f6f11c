"""Run `edtracker db upgrade` in forked children that SIGKILL themselves at chosen points.

Used by tests/test_migrations_kill.py: `python tests/upgrade_killer.py JOBS_JSON` where each job
is {"url": ..., "after": N} (killed right after its N-th SQL statement), {"url": ..., "at_commit":
true} (killed as the upgrade commits), {"url": ..., "pause_after": N, "marker": PATH, "release": PATH2}
(touches PATH after its N-th statement, then waits for PATH2 to exist) or {"url": ...} (not killed). Prints one JSON list of
{"signal": ..., "exit": ..., "statements": ..., "marks": {...}} (marks: the numbers of the
statements creating the FTS5 table, its triggers, and writing alembic_version). Importing the CLI once and forking keeps dozens
of kill points fast; each child is a real process killed by a real SIGKILL.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

_plan: dict = {}
_count = 0
_marks: dict[str, list[int]] = {}  # statement numbers of the steps tests want to kill right after
_MARKS = {"fts5": ("CREATE VIRTUAL TABLE",), "trigger": ("CREATE TRIGGER",),
          "version": ("CREATE TABLE alembic_version", "INSERT INTO alembic_version", "UPDATE alembic_version")}


@event.listens_for(Engine, "after_cursor_execute")
def _after_statement(conn, cursor, statement, params, context, executemany):  # noqa: ANN001
    global _count
    _count += 1
    for mark, texts in _MARKS.items():
        if any(t in statement for t in texts):
            _marks.setdefault(mark, []).append(_count)
    if _plan.get("after") and _count >= _plan["after"]:
        os.kill(os.getpid(), signal.SIGKILL)
    if _plan.get("pause_after") == _count:  # hold the upgrade half-done while another one starts
        Path(_plan["marker"]).touch()
        deadline = time.monotonic() + 120
        while not Path(_plan["release"]).exists() and time.monotonic() < deadline:
            time.sleep(0.05)


@event.listens_for(Engine, "commit")
def _at_commit(conn):  # noqa: ANN001
    if _plan.get("at_commit"):
        os.kill(os.getpid(), signal.SIGKILL)


def _child(job: dict, out_fd: int) -> None:
    from cli.main import app
    from tracker.settings import get_settings

    _plan.update(job)
    os.environ["EDTRACKER_DATABASE_URL"] = job["url"]
    get_settings.cache_clear()
    code = 0
    try:
        app(["db", "upgrade"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    os.write(out_fd, json.dumps({"statements": _count, "marks": _marks}).encode())
    os._exit(code)


def main() -> None:
    import cli.main  # noqa: F401  (imported once, before forking)

    results = []
    for job in json.loads(sys.argv[1]):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child(job, write_fd)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            reported = pipe.read()
        _, status = os.waitpid(pid, 0)
        result = {"signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                  "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None}
        result.update(json.loads(reported) if reported else {})
        results.append(result)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
