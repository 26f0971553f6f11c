"""PostgreSQL connection pool settings (issue 19): every process's engine takes them."""
from __future__ import annotations

import pytest

from tracker.db import make_engine
from tracker.settings import get_settings


def test_pool_settings_reach_the_engine(db_url, monkeypatch):
    if not db_url.startswith("postgresql"):
        pytest.skip("the pool settings are PostgreSQL's (SQLite keeps one file, no server connections)")
    for name, value in (("SIZE", "3"), ("MAX_OVERFLOW", "2"), ("RECYCLE", "600"), ("TIMEOUT", "7")):
        monkeypatch.setenv(f"EDTRACKER_DB_POOL_{name}" if name != "MAX_OVERFLOW" else "EDTRACKER_DB_MAX_OVERFLOW", value)
    get_settings.cache_clear()
    engine = make_engine(db_url)
    try:
        pool = engine.pool
        assert (pool.size(), pool._max_overflow, pool._recycle, pool._timeout) == (3, 2, 600, 7)
        conns = [engine.connect() for _ in range(5)]      # size + overflow: all open at once
        assert pool.checkedout() == 5
        for c in conns:
            c.close()
        assert pool.checkedin() == 3                       # the overflow is closed after use
    finally:
        engine.dispose()
        get_settings.cache_clear()
