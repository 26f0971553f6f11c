"""Bill text: one version of a bill's text, as the source published it (CAML, USLM, HTML...)."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from tracker.contract.base import Record, _Strict

# What `content` is: California's CAML XML, GPO's USLM XML or older bill DTD XML, HTML, plain text.
TEXT_FORMATS = frozenset({"caml", "uslm", "bill-xml", "html", "text"})


class TextMarkIn(_Strict):
    """The source's own mark of a change in this version (California's lobs): inserted words
    `text[start:end]`, or deleted words (`text`, no longer in the text) at `start`."""

    kind: Literal["ins", "del"]
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str | None = None


class TextSectionIn(_Strict):
    """A section of the plain-text rendering: `text[start:end]`, its number and heading, and the
    headings that enclose it (`path`: "Title III", "Part B"), outermost first."""

    num: str | None = None
    heading: str | None = None
    path: list[str] = Field(default_factory=list)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    marks: list[TextMarkIn] = Field(default_factory=list)


class BillTextIn(Record):
    kind: ClassVar[str] = "bill_text"
    type: Literal["bill_text"] = "bill_text"
    bill_key: str
    code: str = Field(min_length=1, description="the version's short code: GPO's ih/enr, CA's version id, "
                                                "NY's amendment letter ('' is not allowed: 'original')")
    name: str | None = Field(default=None, description="Introduced, Amended Assembly, Enrolled Bill, ...")
    date: dt.date | None = None
    format: Literal[tuple(sorted(TEXT_FORMATS))]  # type: ignore[valid-type]
    content: str = Field(min_length=1, description="the document as received")
    url: str | None = None
    text: str | None = Field(default=None, description="plain-text rendering of the content")
    sections: list[TextSectionIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sections_inside(self) -> "BillTextIn":
        size = len(self.text or "")
        for i, s in enumerate(self.sections):
            if s.start > s.end or s.end > size:
                raise ValueError(f"section {i} ({s.num or ''}) spans {s.start}..{s.end}, outside the "
                                 f"text of {size} characters")
        return self

    def natural_key(self) -> str:
        return f"{self.bill_key}@{self.code}"
