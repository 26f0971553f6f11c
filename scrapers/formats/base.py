"""What a file format is: something that recognizes files and turns them into records."""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, Union

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


@dataclass
class DirTree:
    root: Path
    label: str = ""

    def __post_init__(self):
        self.label = self.label or str(self.root)

    def names(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def head(self, name: str, size: int) -> bytes:
        with open(self.root / name, "rb") as fh:
            return fh.read(size)

    def source(self, name: str) -> str:
        return str(self.root / name)


@dataclass
class ZipTree:
    path: str
    data: bytes | None = None
    label: str = ""
    _zip: zipfile.ZipFile = field(init=False, repr=False)

    def __post_init__(self):
        self._zip = zipfile.ZipFile(io.BytesIO(self.data) if self.data is not None else self.path)
        self.label = self.label or self.path

    def names(self) -> list[str]:
        return sorted(i.filename for i in self._zip.infolist() if not i.is_dir())

    def read(self, name: str) -> bytes:
        return self._zip.read(name)

    def head(self, name: str, size: int) -> bytes:
        with self._zip.open(name) as fh:
            return fh.read(size)

    def source(self, name: str) -> str:
        return f"{self.label}!{name}"


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
