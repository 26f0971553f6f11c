"""LegiScan JSON: dataset ZIP files and Pull API responses (`{"status": "OK", "bill": {...}}`).

One JSON object per file: `{"bill": ...}` (getBill), `{"roll_call": ...}` (getRollCall),
`{"person": ...}` (getPerson) or `{"text": ...}` (getBillText). Fixtures: ../shared/fixtures/legiscan.
"""
from __future__ import annotations

import re

from scrapers.formats.base import json_object
from scrapers.formats.legiscan_dataset import KINDS, LegiscanDataset

_HEAD = re.compile(rb'^\s*\{\s*(?:"status"\s*:\s*"OK"\s*,\s*)?"(bill|roll_call|person|text)"\s*:')


def sniff(name: str, head: bytes) -> bool:
    return name.lower().endswith(".json") and bool(_HEAD.match(head))


def load(data: bytes) -> tuple[str, dict]:
    """(kind, payload) of one LegiScan JSON file; ValueError when it is not one."""
    obj = json_object(data)
    if obj.get("status") not in (None, "OK"):
        raise ValueError(f"API status {obj.get('status')!r}: {obj.get('alert') or obj}")
    for kind in KINDS:
        if isinstance(obj.get(kind), dict):
            return kind, obj[kind]
    raise ValueError(f"none of {list(KINDS)} in keys {sorted(obj)[:6]}")


FORMAT = LegiscanDataset("legiscan-json", sniff, load, priority=20)
