"""Wrong types in a source record become a `RecordError` naming the file, the record and the field.

Readers take decoded JSON, YAML or CSV as plain dicts and lists and read them with `.get()`:
a field of an unexpected type (a list where a name was, a string where a list was) surfaces as
a TypeError or AttributeError somewhere inside. `convert` runs a reader's function for one
record; when it fails that way, it runs the function once more on a traced copy of the payload
whose containers note each field read, and the last field read before the failure is the one
named. Nothing is traced on the way when all goes well.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from tracker.contract import RecordError

# What a wrong type or value raises inside a reader.
WRONG = (TypeError, AttributeError, ValueError, KeyError, IndexError, OverflowError, LookupError,
         ArithmeticError, RecursionError)


class _Trail:
    __slots__ = ("last",)

    def __init__(self):
        self.last: tuple = ()


def _wrap(value: Any, path: tuple, trail: _Trail) -> Any:
    if isinstance(value, dict) and not isinstance(value, _TDict):
        return _TDict(value, path, trail)
    if isinstance(value, list) and not isinstance(value, _TList):
        return _TList(value, path, trail)
    return value


class _TDict(dict):
    """A dict noting the path of each value read from it."""

    def __init__(self, data: dict, path: tuple, trail: _Trail):
        super().__init__(data)
        self._path, self._trail = path, trail

    def _read(self, key, value):
        self._trail.last = self._path + (key,)
        return _wrap(value, self._path + (key,), self._trail)

    def __getitem__(self, key):
        return self._read(key, dict.__getitem__(self, key))

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return self[key]
        self._trail.last = self._path + (key,)
        return default

    def items(self):
        return [(k, self._read(k, v)) for k, v in dict.items(self)]

    def values(self):
        return [self._read(k, v) for k, v in dict.items(self)]


class _TList(list):
    """A list noting the index of each item read from it."""

    def __init__(self, data: list, path: tuple, trail: _Trail):
        super().__init__(data)
        self._path, self._trail = path, trail

    def _read(self, i, value):
        self._trail.last = self._path + (i,)
        return _wrap(value, self._path + (i,), self._trail)

    def __getitem__(self, i):
        value = list.__getitem__(self, i)
        return value if isinstance(i, slice) else self._read(i, value)

    def __iter__(self):
        for i, value in enumerate(list.__iter__(self)):
            yield self._read(i, value)


def field_name(path: tuple, prefix: str | None = None) -> str:
    """`("history", 0, "action")` -> `history.0.action` (after `prefix` when given); the
    record itself (as the contract's errors say) when it is not of the expected type."""
    parts = ([prefix] if prefix else []) + [str(p) for p in path]
    return ".".join(parts) or "<record>"


def locate(fn: Callable, payload: Any, *args, **kwargs) -> tuple | None:
    """The path of the last field `fn` read from `payload` before failing, or None when it does
    not fail again on the traced copy."""
    trail = _Trail()
    try:
        result = fn(_wrap(payload, (), trail), *args, **kwargs)
        if isinstance(result, Iterator):
            for _ in result:
                pass
    except RecordError:
        return None
    except WRONG:
        return trail.last
    return None


def convert(fn: Callable, payload: Any, *args, source: str | None, record: str | None,
            prefix: str | None = None, **kwargs):
    """`fn(payload, *args, **kwargs)`, or a `RecordError` naming source, record and field when
    it raises one or fails on a value of the wrong type."""
    try:
        result = fn(payload, *args, **kwargs)
    except RecordError as err:
        result = err
    except WRONG as exc:
        path = locate(fn, payload, *args, **kwargs)
        return RecordError(source, record, field_name(path, prefix) if path is not None else prefix or "<record>",
                           f"unexpected value: {type(exc).__name__}: {exc}")
    return _named(result, source, record)


def _named(item, source: str | None, record: str | None):
    """An error from inside a record's conversion names the file and record it is about."""
    if isinstance(item, RecordError):
        item.source = item.source or source
        item.record = item.record or record
    return item


def convert_all(fn: Callable[..., Iterable], payload: Any, *args, source: str | None,
                record: str | None, prefix: str | None = None, **kwargs) -> list:
    """Like `convert` for a function yielding several items: all of them, or one error."""
    result = convert(lambda p, *a, **k: list(fn(p, *a, **k)), payload, *args, source=source,
                     record=record, prefix=prefix, **kwargs)
    return [result] if isinstance(result, RecordError) else [_named(i, source, record) for i in result]


def record_name(payload: Any, *keys: str, default: str | None = None) -> str | None:
    """A name for a record from the first of `keys` holding a string or a number (never raises)."""
    if isinstance(payload, dict):
        for k in keys:
            v = payload.get(k)
            if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
                return str(v).strip()
    return default
