"""What a file format is: something that recognizes files and turns them into records."""
from __future__ import annotations

import json
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
