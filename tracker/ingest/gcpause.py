"""The cyclic garbage collector paused while a batch of records is stored (issue 19).

A batch allocates a great many small objects that live until it ends (records, their dumps,
planned rows, ORM state); each time the young generations fill, the collector walks them, and
every few times the whole heap, imported modules and the batch's records included. Reference
counting still frees everything a batch drops as it goes; only reference cycles wait, for the
collector's next pass once the batch is over. A batch is bounded (`INGEST_BATCH_RECORDS`,
`INGEST_BATCH_SECONDS`), so what waits is bounded too.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is enabled again after it only if
    it was enabled before (a caller that turned it off keeps it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
