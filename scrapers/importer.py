"""`edtracker import`: read files, folders and zip archives in any registered format.

Documentation files (README, PROVENANCE.md, LICENSE, .md/.rst/.txt/.pdf) are set aside before
any reader sees a tree. A file or archive that cannot be read, or not within the import limits
(`EDTRACKER_IMPORT_MAX_*`), is one error naming it; the other files go on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from scrapers.formats import DirTree, Item, ZipTree, all_formats
from scrapers.formats import school_districts
from scrapers.formats.detect import is_documentation
from scrapers.formats.trees import InputError, Limits
from tracker.contract import RecordError

log = logging.getLogger("edtracker.import")

_HEAD = 8192


@dataclass
class ImportPlan:
    """Which format reads which files, which files nobody recognized, which were documentation,
    and the files or archives that could not be opened."""

    steps: list[tuple[int, str, object, object]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    documentation: list[str] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    # School-district tables (OCD lists, NCES relationship files, crosswalks): (tree, name, kind),
    # stored a file per transaction by tracker.schools.load, not record by record.
    tables: list[tuple[object, str, str]] = field(default_factory=list)


class DataTree:
    """A tree seen without its documentation files. While planning, a file that cannot be read
    is noted (and reads as empty to the sniffers) instead of stopping the plan."""

    def __init__(self, tree, names: list[str]):
        self.tree, self._names, self.label = tree, names, tree.label
        self.unreadable: dict[str, str] = {}

    def names(self) -> list[str]:
        return list(self._names)

    def read(self, name: str) -> bytes:
        try:
            return self.tree.read(name)
        except OSError as exc:
            self.unreadable.setdefault(name, str(exc))
            raise

    def head(self, name: str, size: int) -> bytes:
        try:
            return self.tree.head(name, size)
        except OSError as exc:
            self.unreadable.setdefault(name, str(exc))
            return b""

    def source(self, name: str) -> str:
        return self.tree.source(name)


def _error(source: str, exc: Exception) -> RecordError:
    problem = str(exc)
    if problem.startswith(f"{source}: "):  # InputError messages name their file already
        problem = problem[len(source) + 2:]
    return RecordError(source, None, None, problem)


def _trees(paths: Iterable[str | Path], limits: Limits, result: ImportPlan):
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield DirTree(path, limits=limits), None
        elif path.is_file() and path.suffix.lower() == ".zip":
            try:
                yield ZipTree(str(path), limits=limits), None
            except InputError as exc:
                result.errors.append(_error(str(path), exc))
        elif path.is_file():
            yield DirTree(path.parent, label=str(path), limits=limits), [path.name]
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")


def plan(paths: Iterable[str | Path], limits: Limits | None = None) -> ImportPlan:
    """Match every input file with the format that reads it (without parsing anything yet)."""
    formats = all_formats()
    result = ImportPlan()
    paths = list(paths)
    for p in paths:  # every path is checked before anything is planned
        if not Path(p).exists():
            raise FileNotFoundError(f"{p}: no such file or folder")
    for tree, only in _trees(paths, limits or Limits.from_settings(), result):
        _plan_tree(tree, formats, result, only)
    result.steps.sort(key=lambda s: (s[0], s[1]))
    return result


def _plan_tree(tree, formats, result: ImportPlan, only: list[str] | None = None) -> None:
    names = only if only is not None else tree.names()
    docs = [n for n in names if is_documentation(n)]
    result.documentation.extend(tree.source(n) for n in docs)
    data = DataTree(tree, sorted(set(names) - set(docs)))
    todo = set(data.names())
    for fmt in formats:
        if hasattr(fmt, "claim"):
            claimed = [n for n in fmt.claim(data) if n in todo]
            if claimed:
                todo -= set(claimed)
                result.steps.append((fmt.priority, fmt.name, fmt, (data, claimed)))
    # The decoded shapes the claims shared (detect.json_shape), one per file, are not needed
    # to read the files: kept, they would grow with the folder for the whole import.
    data.__dict__.pop("_json_shapes", None)
    for name in sorted(todo):
        if name.lower().endswith(".zip"):  # GovInfo and LegiScan ship zips of zips
            try:
                nested = tree.open_archive(name)
            except InputError as exc:
                result.errors.append(_error(tree.source(name), exc))
                continue
            _plan_tree(nested, formats, result)
            continue
        head = data.head(name, _HEAD)
        table = school_districts.sniff(name, head)
        if table is not None:
            result.tables.append((data, name, table))
            continue
        fmt = next((f for f in formats if not hasattr(f, "claim") and f.sniff(name, head)), None)
        if fmt is not None:
            result.steps.append((fmt.priority, fmt.name, fmt, (data, [name])))
        elif name in data.unreadable:
            result.errors.append(_error(tree.source(name), InputError(data.unreadable[name])))
        else:
            result.unknown.append(tree.source(name))


def iter_records(import_plan: ImportPlan) -> Iterator[Item]:
    """Parse the planned files in order; a file that fails to parse becomes one error item."""
    yield from import_plan.errors
    for _prio, _name, fmt, (tree, names) in import_plan.steps:
        if hasattr(fmt, "claim"):
            yield from _guard(fmt.parse_tree(tree, names), tree.label)
            continue
        for name in names:
            source = tree.source(name)
            try:
                data = tree.read(name)
            except OSError as exc:
                yield _error(source, InputError(f"cannot read: {exc}") if not isinstance(exc, InputError) else exc)
                continue
            yield from _guard(fmt.parse(data, source), source)


def _guard(items: Iterable[Item], source: str) -> Iterator[Item]:
    """Turn a parser crash into an error naming the file; the import goes on."""
    try:
        yield from items
    except InputError as exc:  # a file of a bundle that cannot be read (readers name it)
        yield RecordError(source, None, None, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop an import
        log.exception("parser failed on %s", source)
        yield RecordError(source, None, None, f"cannot parse: {type(exc).__name__}: {exc}")


def load_tables(import_plan: ImportPlan, engine) -> tuple[dict[str, int], list[RecordError]]:
    """Store the school-district tables of a plan, each file in one transaction: a file that
    cannot be read is one error naming it and nothing of it is stored; bad rows are errors too."""
    from collections import Counter

    from tracker.schools.load import load

    counts, errors = Counter(), []
    for tree, name, kind in import_plan.tables:
        source = tree.source(name)
        try:
            table = school_districts.parse(kind, tree.read(name), source)
            got, notes = load(engine, table, source)
        except InputError as exc:
            errors.append(_error(source, exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop an import
            log.exception("school-district table failed: %s", source)
            errors.append(RecordError(source, None, None, f"cannot be stored: {type(exc).__name__}: {exc}"))
            continue
        counts["files"] += 1
        counts.update(got)
        errors.extend(RecordError(source, rec, None, problem) for rec, problem in table.problems)
        for leaid, note in notes:
            log.info("%s: LEAID %s: %s", source, leaid, note)
    return {k: counts.get(k, 0) for k in ("files", "insert", "update", "noop", "delete")}, errors
