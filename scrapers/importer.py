"""`edtracker import`: read files, folders and zip archives in any registered format."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from scrapers.formats import DirTree, Item, ZipTree, all_formats
from tracker.contract import RecordError

log = logging.getLogger("edtracker.import")

_HEAD = 8192


@dataclass
class ImportPlan:
    """Which format reads which files, and which files nobody recognized."""

    steps: list[tuple[int, str, object, object]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _trees(paths: Iterable[str | Path]) -> Iterator[tuple[object, list[str] | None]]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield DirTree(path), None
        elif path.is_file() and path.suffix.lower() == ".zip":
            yield ZipTree(str(path)), None
        elif path.is_file():
            yield DirTree(path.parent, label=str(path)), [path.name]
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")


def plan(paths: Iterable[str | Path]) -> ImportPlan:
    """Match every input file with the format that reads it (without parsing anything yet)."""
    formats = all_formats()
    result = ImportPlan()
    for tree, only in _trees(paths):
        _plan_tree(tree, formats, result, only)
    result.steps.sort(key=lambda s: (s[0], s[1]))
    return result


def _plan_tree(tree, formats, result: ImportPlan, only: list[str] | None = None) -> None:
    todo = set(only if only is not None else tree.names())
    for fmt in formats:
        if hasattr(fmt, "claim"):
            claimed = [n for n in fmt.claim(tree) if n in todo]
            if claimed:
                todo -= set(claimed)
                result.steps.append((fmt.priority, fmt.name, fmt, (tree, claimed)))
    for name in sorted(todo):
        if name.lower().endswith(".zip"):  # GovInfo and LegiScan ship zips of zips
            _plan_tree(ZipTree(tree.source(name), data=tree.read(name)), formats, result)
            continue
        head = _read_head(tree, name)
        fmt = next((f for f in formats if not hasattr(f, "claim") and f.sniff(name, head)), None)
        if fmt is None:
            result.unknown.append(tree.source(name))
        else:
            result.steps.append((fmt.priority, fmt.name, fmt, (tree, [name])))


def _read_head(tree, name: str) -> bytes:
    return tree.head(name, _HEAD)


def iter_records(import_plan: ImportPlan) -> Iterator[Item]:
    """Parse the planned files in order; a file that fails to parse becomes one error item."""
    for _prio, _name, fmt, (tree, names) in import_plan.steps:
        if hasattr(fmt, "claim"):
            yield from _guard(fmt.parse_tree(tree, names), tree.label)
            continue
        for name in names:
            source = tree.source(name)
            try:
                data = tree.read(name)
            except OSError as exc:
                yield RecordError(source, None, None, f"cannot read: {exc}")
                continue
            yield from _guard(fmt.parse(data, source), source)


def _guard(items: Iterable[Item], source: str) -> Iterator[Item]:
    """Turn a parser crash into an error naming the file; the import goes on."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop an import
        log.exception("parser failed on %s", source)
        yield RecordError(source, None, None, f"cannot parse: {type(exc).__name__}: {exc}")
