"""The contract's building blocks: the strict base model, source references, shared checks."""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tracker.jurisdictions.registry import JURISDICTION_IDS
from tracker.vocab import ID_SCHEMES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceRef(_Strict):
    """Where a record came from: URL (or file path), format name and fetch time."""

    url: str | None = None
    format: str
    fetched_at: dt.datetime | None = None


def _check_jurisdiction(v: str) -> str:
    v = v.lower()
    if v not in JURISDICTION_IDS:
        raise ValueError(f"unknown jurisdiction {v!r} (expected us, a state postal code, dc or pr)")
    return v


def _check_ids(ids: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(ids) - set(ID_SCHEMES))
    if unknown:
        raise ValueError(f"unknown id scheme(s) {unknown}; known: {sorted(ID_SCHEMES)}")
    return {k: v for k, v in ids.items() if v not in (None, "", [])}


class Record(_Strict):
    """Base of every top-level record."""

    kind: ClassVar[str]
    source: SourceRef

    def natural_key(self) -> str:
        raise NotImplementedError


class PersonRef(_Strict):
    """A person as a source names them: the printed name plus any ids it gives."""

    name: str
    ids: dict[str, str] = Field(default_factory=dict)

    _ids = field_validator("ids")(_check_ids)


class RecordError(Exception):
    """A record that cannot be stored, naming its source, the record and the field."""

    def __init__(self, source: str | None, record: str | None, field: str | None, problem: str):
        self.source, self.record, self.field, self.problem = source, record, field, problem
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"field {self.field!r}: " if self.field else ""
        return f"{self.source or '<unknown source>'}: record {self.record or '<unknown>'}: {where}{self.problem}"

    def as_dict(self) -> dict[str, str | None]:
        return {"source": self.source, "record": self.record, "field": self.field,
                "problem": self.problem}
