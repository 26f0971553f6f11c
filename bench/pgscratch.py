"""A scratch PostgreSQL database for a benchmark: created for the run, dropped after it.

The server is EDTRACKER_TEST_POSTGRES_URL's, or a throwaway cluster started here the way
`./dev test` starts one (and stopped afterwards).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Callable, Iterator


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> tuple[str, Callable[[], None]]:
    """A throwaway PostgreSQL cluster (as `./dev test` starts one); returns (url, stop)."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins:
        raise SystemExit("no PostgreSQL binaries under /usr/lib/postgresql; set EDTRACKER_TEST_POSTGRES_URL")
    bin_dir, folder, port = bins[-1], Path(tempfile.mkdtemp(prefix="edtracker-bench-pg.")), _free_port()
    run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []  # initdb refuses root
    if run_as:
        shutil.chown(folder, "postgres")
    subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"), "-w",
                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                          "-c synchronous_commit=off -c full_page_writes=off", "start"],
                   check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """The URL of a new, empty database, dropped (and its throwaway server stopped) on exit."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from tracker.db import make_engine

    base, stop = os.environ.get("EDTRACKER_TEST_POSTGRES_URL"), None
    if not base:
        base, stop = start_postgres()
    try:
        name = f"edt_bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(base).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    finally:
        if stop:
            stop()
