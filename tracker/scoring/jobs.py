"""Scheduler job functions of the scorecards (no-argument, `module:function`)."""
from __future__ import annotations

from tracker.db import get_engine


def update_dirty() -> dict:
    """Recompute the scored items queued as stale by ingest and position changes."""
    from tracker.scoring.dirty import process_dirty

    return process_dirty(get_engine())
