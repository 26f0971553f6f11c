"""LegiScan JSON: dataset ZIP files and Pull API responses (`{"status": "OK", "bill": {...}}`).

One JSON object per file: `{"bill": ...}` (getBill), `{"roll_call": ...}` (getRollCall),
`{"person": ...}` (getPerson) or `{"text": ...}` (getBillText). Fixtures: ../shared/fixtures/legiscan.
"""
from __future__ import annotations

from scrapers.formats.base import Tree, json_object
from scrapers.formats.detect import json_shape
from scrapers.formats.legiscan_dataset import KINDS, LegiscanDataset

# Besides its one payload, a LegiScan file holds at most the API envelope: whatever the key
# order, an object with other keys (a unitedstates/congress vote's `{"bill": ..., "chamber": ...}`,
# a Congress.gov `{"bill": ..., "request": ...}`) is someone else's.
_ENVELOPE = frozenset({"status", "alert"})


def is_legiscan(tree: Tree, name: str) -> bool:
    shape = json_shape(tree, name)
    if shape is None:
        return False
    kinds = [k for k in KINDS if shape.get(k) is dict]
    return len(kinds) == 1 and set(shape) <= _ENVELOPE | set(kinds)


def load(data: bytes) -> tuple[str, dict]:
    """(kind, payload) of one LegiScan JSON file; ValueError when it is not one."""
    obj = json_object(data)
    if obj.get("status") not in (None, "OK"):
        raise ValueError(f"API status {obj.get('status')!r}: {obj.get('alert') or obj}")
    for kind in KINDS:
        if isinstance(obj.get(kind), dict):
            return kind, obj[kind]
    raise ValueError(f"none of {list(KINDS)} in keys {sorted(obj)[:6]}")


FORMAT = LegiscanDataset("legiscan-json", is_legiscan, load, priority=20)
