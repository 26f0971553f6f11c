"""Reading pubinfo `.dat` files: one row per line, fields by the table's layout.

The Counsel's load scripts say `FIELDS TERMINATED BY '\\t' OPTIONALLY ENCLOSED BY '`' LINES
TERMINATED BY '\\n'` with MySQL's default escape character (backslash): text fields are wrapped in
backticks and may hold tabs and line ends, an unquoted `NULL` (or `\\N`) is SQL NULL, and `\\t`,
`\\n`, `\\\\`, ... are escapes. A row with the wrong number of fields is an error naming the file,
its line and the column where it goes wrong; the other rows are read.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from scrapers.formats.ca_pubinfo_schema import Table
from tracker.contract import RecordError

_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "\\": "\\", "`": "`",
            "'": "'", '"': '"'}
_ESCAPE = re.compile(r"\\(.)", re.S)


class Row(dict):
    """One row: column -> value (str or None), plus where it was read."""

    __slots__ = ("source", "line")

    def where(self) -> str:
        return f"{self.source}:{self.line}"


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as older dumps were written."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text) if "\\" in text else text


def _closes(piece: str) -> bool:
    """Whether a piece of a backtick-quoted field ends the field (an odd run of closing backticks
    not escaped by a backslash; doubled backticks are a literal one)."""
    run = len(piece) - len(piece.rstrip("`"))
    if run == 0:
        return False
    body = piece[:len(piece) - run]
    slashes = len(body) - len(body.rstrip("\\"))
    return (run - (slashes % 2)) % 2 == 1


def split_fields(text: str) -> Iterator[tuple[int, list[str | None]]]:
    """(first line number, fields) for every row of a file's text; quoted fields may span lines."""
    lines = text.split("\n")
    i, n = 0, len(lines)
    while i < n:
        start = i
        line = lines[i].rstrip("\r")
        i += 1
        if not line:
            continue
        pieces = line.split("\t")
        fields: list[str | None] = []
        k = 0
        while k < len(pieces):
            piece = pieces[k]
            k += 1
            if piece[:1] == "`":
                size = len(piece)
                # the usual case: `text` with no backtick or backslash before the closing one
                if size >= 2 and piece[-1] == "`" and (size == 2 or piece[-2] not in "`\\"):
                    inner = piece[1:-1]
                    fields.append(_unescape(inner.replace("``", "`")) if "`" in inner or "\\" in inner
                                  else inner)
                    continue
                if size >= 2 and _closes(piece[1:]):
                    fields.append(_unescape(piece[1:-1].replace("``", "`")))
                    continue
                # the field holds a tab or a line end: join pieces (and lines) until it closes
                parts = [piece[1:]]
                while True:
                    if k < len(pieces):
                        parts.append("\t")
                        piece = pieces[k]
                        k += 1
                    elif i < n:
                        parts.append("\n")
                        pieces = lines[i].rstrip("\r").split("\t")
                        i += 1
                        k = 1
                        piece = pieces[0]
                    else:
                        break
                    parts.append(piece)
                    if _closes(piece):
                        break
                joined = "".join(parts)
                fields.append(_unescape(joined[:-1] if joined.endswith("`") else joined).replace("``", "`"))
            elif piece == "NULL" or piece == "\\N":
                fields.append(None)
            else:
                fields.append(_unescape(piece))
        yield start + 1, fields


def read_table(data: bytes, table: Table, source: str) -> Iterator[Row | RecordError]:
    """The rows of one `.dat` file; a row with the wrong number of fields is a `RecordError`."""
    width = len(table.columns)
    columns = table.columns
    for line, fields in split_fields(decode(data)):
        if len(fields) != width:
            record = fields[0] if fields and fields[0] else None
            if len(fields) < width:
                column = columns[len(fields)]
                problem = (f"{len(fields)} fields where {table.name} has {width} columns: "
                           f"nothing for {column} and after")
            else:
                column = columns[-1]
                problem = (f"{len(fields)} fields where {table.name} has {width} columns: "
                           f"{len(fields) - width} more after {column}")
            yield RecordError(f"{source}:{line}", record, column, problem)
            continue
        row = Row(zip(columns, fields))
        row.source, row.line = source, line
        yield row


class BadValue(ValueError):
    """A field that cannot be read as its column's type (names the column)."""

    def __init__(self, column: str, problem: str):
        super().__init__(problem)
        self.column = column


def as_datetime(row: Row, column: str) -> dt.datetime | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadValue(column, f"not a date and time: {value[:40]!r}") from None


def as_date(row: Row, column: str) -> dt.date | None:
    stamp = as_datetime(row, column)
    return stamp.date() if stamp else None


def as_int(row: Row, column: str) -> int | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise BadValue(column, f"not a whole number: {value[:40]!r}") from None


def error(row: Row, column: str | None, problem: str, record: str | None = None) -> RecordError:
    """An error naming the row's file and line and the column."""
    return RecordError(row.where(), record or row.get("BILL_ID") or None, column, problem)
