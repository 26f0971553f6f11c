"""GPO's USLM XML of bill versions (GovInfo BILLS, `<bill>`/`<resolution>` in the USLM namespace)
-> `BillTextIn`: plain text, one block per line, and its sections with their heading path.

Appropriations acts are flat lists of `<appropriations level="major|intermediate|small">`
headings under each `<title>`: the path is rebuilt from the levels (a major heading resets the
lower ones). A heading in parentheses ("(including transfer of funds)") qualifies the heading
before it rather than replacing it. Other bills are `<section>`s, possibly inside titles,
subtitles, parts. Fixtures: ../shared/fixtures/bill-text/uslm.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator

from lxml import etree

from scrapers.formats.base import Item, SimpleFormat
from scrapers.formats.detect import xml_root
from scrapers.formats.us_vote_rules import federal_bill_key
from scrapers.xmlsafe import record_root
from tracker.contract import RecordError, build

FORMAT_NAME = "uslm"
NS = "http://schemas.gpo.gov/xml/uslm"
_U = "{%s}" % NS
_DC = "{http://purl.org/dc/elements/1.1/}"
_SPACE = re.compile(r"\s+")
# Levels that only group sections: they add to the path.
_GROUPS = frozenset({"division", "title", "subtitle", "chapter", "subchapter", "part", "subpart"})
# Levels inside a section: one line each (number, heading, chapeau or content).
_LEVELS = frozenset({"subsection", "paragraph", "subparagraph", "clause", "subclause", "item",
                     "subitem"})
_APPROPRIATION_LEVELS = {"major": 0, "intermediate": 1, "small": 2}
_CITABLE = re.compile(r"^(\d+)([a-z]+?)(\d+)([a-z]+)$")


def sniff(name: str, head: bytes) -> bool:
    return xml_root(head) in ("bill", "resolution") and NS.encode() in head


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"})


def _capitalize(text: str) -> str:
    """"hurricane education recovery" -> "Hurricane Education Recovery" (small words kept)."""
    words = text.split(" ")
    return " ".join(w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _flat(el) -> str:
    """The element's words on one line; small-caps headings written in lower case are capitalized."""
    if el is None:
        return ""
    out: list[str] = []

    def walk(e) -> None:
        if not isinstance(e.tag, str):
            if e.tail:
                out.append(e.tail)
            return
        text = e.text or ""
        if _local(e) == "inline" and "smallCaps" in (e.get("class") or "") and text.islower():
            text = _capitalize(text)
        out.append(text)
        for child in e:
            walk(child)
        if e.tail:
            out.append(e.tail)
    out.append(el.text or "")
    for child in el:
        walk(child)
    return _SPACE.sub(" ", "".join(out)).strip()


@dataclass
class UslmDoc:
    bill_key: str | None = None
    code: str | None = None
    name: str | None = None
    date: dt.date | None = None
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    size: int = 0

    def add(self, block: list[str], num: str | None, heading: str | None, path: list[str]) -> None:
        block = [b for b in block if b]
        if not block:
            return
        text = "\n".join(block)
        start = self.size + (2 if self.lines else 0)
        self.lines.append(text)
        self.size = start + len(text)
        self.sections.append({"num": num or None, "heading": heading or None, "path": list(path),
                              "start": start, "end": self.size})

    @property
    def text(self) -> str:
        return "\n\n".join(self.lines)


def _level_lines(children, out: list[str]) -> None:
    """A section's inner levels: one line per level (num, heading, chapeau/content), then its
    own levels, then the continuation text after them."""
    for child in children:
        name = _local(child)
        if name in ("num", "heading"):
            continue
        if name in _LEVELS:
            head = " ".join(x for x in (_flat(child.find(f"{_U}num")), _flat(child.find(f"{_U}heading"))) if x)
            lead = [c for c in child if _local(c) in ("chapeau", "content")]
            out.append(" ".join(x for x in [head] + [_flat(c) for c in lead] if x))
            _level_lines([c for c in child if _local(c) not in ("chapeau", "content")], out)
        elif name in ("chapeau", "content", "continuation", "p", "quotedContent", "proviso"):
            out.append(_flat(child))
        elif isinstance(child.tag, str):
            _level_lines(list(child), out)


def _walk(container, doc: UslmDoc, path: list[str]) -> None:
    approp: list[tuple[int, str]] = []  # (level, heading) of the appropriations headings above
    for el in container:
        name = _local(el)
        if name in _GROUPS:
            label = " — ".join(x for x in (_flat(el.find(f"{_U}num")), _flat(el.find(f"{_U}heading"))) if x)
            _walk(el, doc, path + ([label] if label else []))
        elif name == "appropriations":
            level = _APPROPRIATION_LEVELS.get(el.get("level") or "", 2)
            heading = _flat(el.find(f"{_U}heading"))
            content = el.find(f"{_U}content")
            if heading.startswith("(") and approp:
                # "(including transfer of funds)" qualifies the heading above it
                item, parent = f"{approp[-1][1]} {heading}", [h for _, h in approp[:-1]]
            else:
                while approp and approp[-1][0] >= level:
                    approp.pop()
                parent = [h for _, h in approp]
                item = heading
                if heading:
                    approp.append((level, heading))
            if content is not None:
                doc.add([item, _flat(content)], None, item or None, path + parent)
        elif name == "section":
            num, heading = _flat(el.find(f"{_U}num")), _flat(el.find(f"{_U}heading"))
            lines = [" ".join(x for x in (num, heading) if x)]
            _level_lines(list(el), lines)
            doc.add(lines, num, heading, path)


def _date(root) -> dt.date | None:
    """The version's date: the last dated action of the preface or attestation."""
    found = None
    for el in root.iter(f"{_U}date"):
        value = (el.get("date") or "")[:10]
        try:
            found = dt.date.fromisoformat(value)
        except ValueError:
            continue
    return found


def parse_uslm(data: bytes, source: str) -> UslmDoc | RecordError:
    """One USLM bill version, or an error naming the file and the problem."""
    root = record_root(data, source)
    if isinstance(root, RecordError):
        return root
    if _local(root) not in ("bill", "resolution") or etree.QName(root).namespace != NS:
        return RecordError(source, None, None, f"not a USLM bill: root element <{root.tag}>")
    doc = UslmDoc()
    meta = root.find(f"{_U}meta")
    citable = [(c.text or "").strip() for c in (meta.findall(f"{_U}citableAs") if meta is not None else [])]
    compact = next((c for c in citable if _CITABLE.match(c)), None)
    if compact is None:
        return RecordError(source, None, "citableAs", "no citation like 116hr2157ih names the bill and version")
    congress, kind, number, code = _CITABLE.match(compact).groups()
    doc.bill_key = federal_bill_key(congress, f"{kind.upper()}{number}")
    doc.code = code
    doc.name = (meta.findtext(f"{_U}docStage") or "").strip() or code.upper()
    doc.title = _flat(root.find(f".//{_U}officialTitle")) or None
    doc.date = _date(root)
    main = root.find(f"{_U}main")
    if main is None:
        return RecordError(source, compact, "main", "the document has no <main> text")
    _walk(main, doc, [])
    return doc


def parse(data: bytes, source: str) -> Iterator[Item]:
    doc = parse_uslm(data, source)
    if isinstance(doc, RecordError):
        yield doc
        return
    if doc.bill_key is None:
        yield RecordError(source, None, "citableAs", "the citation names no federal bill")
        return
    try:
        yield build("bill_text", {
            "bill_key": doc.bill_key, "code": doc.code, "name": doc.name, "date": doc.date,
            "format": "uslm", "content": data.decode("utf-8"), "text": doc.text,
            "sections": doc.sections,
            "url": f"https://www.govinfo.gov/content/pkg/BILLS-{doc.bill_key.split('-')[1]}"
                   f"{doc.bill_key.split('-')[2]}{doc.code}/uslm/BILLS-{doc.bill_key.split('-')[1]}"
                   f"{doc.bill_key.split('-')[2]}{doc.code}.xml",
            "source": {"url": source, "format": FORMAT_NAME}}, source=source)
    except RecordError as err:
        yield err
    except UnicodeDecodeError as exc:
        yield RecordError(source, doc.bill_key, None, f"not UTF-8: {exc}")


FORMAT = SimpleFormat(FORMAT_NAME, sniff, parse, priority=70)
