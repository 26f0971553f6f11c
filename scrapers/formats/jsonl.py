"""edtracker's own exchange format: one contract record per line, as JSON with a `type`."""
from __future__ import annotations

import json
from typing import Iterator

from scrapers.formats.base import Item, SimpleFormat
from tracker.contract import RecordError, build_any


def sniff(name: str, head: bytes) -> bool:
    return name.endswith((".jsonl", ".ndjson")) and b'"type"' in head[:4096]


def parse(data: bytes, source: str) -> Iterator[Item]:
    for lineno, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(where, None, None, f"not JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield RecordError(where, None, None, "a line must hold one JSON object")
            continue
        try:
            yield build_any(obj, source=where)
        except RecordError as err:
            yield err


FORMAT = SimpleFormat("edtracker-jsonl", sniff, parse, priority=50)
