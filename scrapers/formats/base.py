"""What a file format is: something that recognizes files and turns them into records."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol, Union

from scrapers.formats.trees import DirTree, InputError, Limits, ZipTree  # noqa: F401 - re-exported
from tracker.contract import Record, RecordError

Item = Union[Record, RecordError]


def json_object(data: bytes, error: type[ValueError] = ValueError) -> dict:
    """One JSON object from a file's bytes (a UTF-8 BOM allowed); `error` says why it is not one."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise error("expected one JSON object")
    return obj


def read_or_error(tree: "Tree", name: str) -> "bytes | RecordError":
    """A file's bytes, or an error naming it when it cannot be read (damaged archive member,
    over the size limit): for bundle readers, so one such file does not stop the others."""
    try:
        return tree.read(name)
    except OSError as exc:
        problem = str(exc)
        source = tree.source(name)
        return RecordError(source, None, None, problem[len(source) + 2:] if problem.startswith(f"{source}: ") else problem)


def per_file(tree: "Tree", name: str, parse: Callable[[bytes, str], Iterable[Item]]) -> list[Item]:
    """Every item `parse` makes of one file of a bundle, or one error naming the file: a damaged
    file, or a reader failing on it, stops that file only (logged like the importer's guard)."""
    data = read_or_error(tree, name)
    if isinstance(data, RecordError):
        return [data]
    source = tree.source(name)
    try:
        return list(parse(data, source))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop its bundle
        logging.getLogger("edtracker.import").exception("parser failed on %s", source)
        return [RecordError(source, None, None, f"cannot parse: {type(exc).__name__}: {exc}")]


class Tree(Protocol):
    """A folder or zip archive: relative names and a way to read each."""

    label: str

    def names(self) -> list[str]: ...
    def read(self, name: str) -> bytes: ...
    def head(self, name: str, size: int) -> bytes: ...
    def source(self, name: str) -> str: ...


class FileFormat(Protocol):
    """A format read one file at a time."""

    name: str
    priority: int

    def sniff(self, name: str, head: bytes) -> bool: ...
    def parse(self, data: bytes, source: str) -> Iterable[Item]: ...


class BundleFormat(Protocol):
    """A format whose files only make sense together (a CSV dump, a dataset of many files)."""

    name: str
    priority: int

    def claim(self, tree: Tree) -> list[str]: ...
    def parse_tree(self, tree: Tree, names: list[str]) -> Iterable[Item]: ...


@dataclass
class SimpleFormat:
    """A file format made of two functions, for formats that need no state."""

    name: str
    sniff_fn: Callable[[str, bytes], bool]
    parse_fn: Callable[[bytes, str], Iterable[Item]]
    priority: int = 50

    def sniff(self, name: str, head: bytes) -> bool:
        return self.sniff_fn(name, head)

    def parse(self, data: bytes, source: str) -> Iterator[Item]:
        yield from self.parse_fn(data, source)
