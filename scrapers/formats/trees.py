"""Folders and zip archives as trees of named files, read within limits.

An archive is checked before anything is read from it: the sizes its directory declares (which
Python's zipfile enforces while decompressing: a member never yields more than it declared),
the compression ratio of each member and the nesting depth. A nested archive is copied to a
temporary file, never held in memory, and shares its parent's budget of uncompressed bytes.
Whatever goes wrong is an `InputError` whose message names the file or archive.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

MB = 1024 * 1024
RATIO_FLOOR = MB  # members smaller than this are never called bombs, whatever their ratio
_CHUNK = 1024 * 1024
# What zipfile raises on a damaged, encrypted or unsupported member.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError,
               NotImplementedError, ValueError, OSError)


class InputError(OSError):
    """A file or archive that cannot be read, or not within the limits; the message names it."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what an import reads (settings `EDTRACKER_IMPORT_MAX_*`)."""

    max_file: int = 256 * MB
    max_total: int = 8192 * MB
    max_ratio: float = 200
    max_depth: int = 3

    @classmethod
    def from_settings(cls) -> "Limits":
        from tracker.settings import get_settings

        s = get_settings()
        return cls(max_file=s.import_max_file_mb * MB, max_total=s.import_max_archive_mb * MB,
                   max_ratio=s.import_max_ratio, max_depth=s.import_max_archive_depth)


@dataclass
class Budget:
    """Uncompressed bytes declared so far by one archive and the archives nested in it."""

    used: int = 0


def _mb(n: int) -> str:
    return f"{n / MB:,.1f} MB"


@dataclass
class DirTree:
    root: Path
    label: str = ""
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self):
        self.label = self.label or str(self.root)

    def names(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())

    def _checked(self, name: str) -> Path:
        path = self.root / name
        size = path.stat().st_size
        if size > self.limits.max_file:
            raise InputError(f"{path}: {_mb(size)} is over the limit for one file "
                             f"({_mb(self.limits.max_file)}, EDTRACKER_IMPORT_MAX_FILE_MB)")
        return path

    def read(self, name: str) -> bytes:
        return self._checked(name).read_bytes()

    def head(self, name: str, size: int) -> bytes:
        with open(self.root / name, "rb") as fh:
            return fh.read(size)

    def source(self, name: str) -> str:
        return str(self.root / name)

    def open_archive(self, name: str) -> "ZipTree":
        """A zip file of this folder, as a tree of its own."""
        return ZipTree(str(self._checked(name)), label=self.source(name), limits=self.limits)


@dataclass
class ZipTree:
    """A zip archive (a path, bytes, or an open binary file), checked against `limits` on opening."""

    path: str
    data: bytes | None = None
    label: str = ""
    limits: Limits = field(default_factory=Limits)
    depth: int = 1
    budget: Budget = field(default_factory=Budget)
    file: IO[bytes] | None = None
    _zip: zipfile.ZipFile = field(init=False, repr=False)

    def __post_init__(self):
        import io

        self.label = self.label or self.path
        if self.depth > self.limits.max_depth:
            raise InputError(f"{self.label}: archives nested more than {self.limits.max_depth} deep "
                             "(EDTRACKER_IMPORT_MAX_ARCHIVE_DEPTH)")
        source = self.file or (io.BytesIO(self.data) if self.data is not None else self.path)
        try:
            self._zip = zipfile.ZipFile(source)
            infos = [i for i in self._zip.infolist() if not i.is_dir()]
        except _ZIP_ERRORS as exc:
            raise InputError(f"{self.label}: not a readable zip archive ({exc})") from None
        self._infos = {i.filename: i for i in infos}
        self._check(infos)

    def _check(self, infos: list[zipfile.ZipInfo]) -> None:
        lim = self.limits
        for i in infos:
            if i.file_size > lim.max_file:
                raise InputError(f"{self.label}: member {i.filename} expands to {_mb(i.file_size)}, over the "
                                 f"limit for one file ({_mb(lim.max_file)}, EDTRACKER_IMPORT_MAX_FILE_MB)")
            if i.file_size > RATIO_FLOOR and i.file_size > lim.max_ratio * max(i.compress_size, 1):
                raise InputError(f"{self.label}: member {i.filename} expands {i.file_size / max(i.compress_size, 1):,.0f} "
                                 f"times (limit {lim.max_ratio:g}, EDTRACKER_IMPORT_MAX_RATIO): a zip bomb?")
        self.budget.used += sum(i.file_size for i in infos)
        if self.budget.used > lim.max_total:
            raise InputError(f"{self.label}: expands to more than {_mb(lim.max_total)} "
                             "(EDTRACKER_IMPORT_MAX_ARCHIVE_MB)")

    def names(self) -> list[str]:
        return sorted(self._infos)

    def _open(self, name: str):
        return self._zip.open(self._infos[name])

    def read(self, name: str) -> bytes:
        info = self._infos[name]
        try:
            with self._open(name) as fh:
                parts, got = [], 0
                while chunk := fh.read(_CHUNK):
                    got += len(chunk)
                    if got > info.file_size:  # zipfile stops at the declared size; never trust it alone
                        raise InputError(f"more data than the {info.file_size} bytes declared")
                    parts.append(chunk)
            return b"".join(parts)
        except _ZIP_ERRORS as exc:
            raise InputError(f"{self.source(name)}: cannot read it from the archive ({exc})") from None

    def head(self, name: str, size: int) -> bytes:
        try:
            with self._open(name) as fh:
                return fh.read(size)
        except _ZIP_ERRORS as exc:
            raise InputError(f"{self.source(name)}: cannot read it from the archive ({exc})") from None

    def source(self, name: str) -> str:
        return f"{self.label}!{name}"

    def open_archive(self, name: str) -> "ZipTree":
        """A zip inside this one: copied to a temporary file in chunks, then opened as a tree
        one level deeper that draws on the same budget."""
        if self.depth + 1 > self.limits.max_depth:
            raise InputError(f"{self.source(name)}: archives nested more than {self.limits.max_depth} "
                             "deep (EDTRACKER_IMPORT_MAX_ARCHIVE_DEPTH)")
        spool = tempfile.TemporaryFile()
        try:
            with self._open(name) as fh:
                shutil.copyfileobj(fh, spool, _CHUNK)
        except _ZIP_ERRORS as exc:
            spool.close()
            raise InputError(f"{self.source(name)}: cannot read it from the archive ({exc})") from None
        spool.seek(0)
        return ZipTree(self.source(name), label=self.source(name), limits=self.limits,
                       depth=self.depth + 1, budget=self.budget, file=spool)
