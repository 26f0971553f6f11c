"""GPO's bill DTD XML (GovInfo BILLS `.../xml/BILLS-117hr1ih.xml`, root `<bill>` or
`<resolution>` without a namespace) -> `BillTextIn`, the same shape as the USLM reader.

Sections are `<section>` with `<enum>` and `<header>`, their levels (`<subsection>`,
`<paragraph>`...) one line each; `<division>`, `<title>`, `<subtitle>`, `<part>`... add to the
heading path; appropriations acts are `<appropriations-major|intermediate|small>` headings whose
path is rebuilt from the levels, as in USLM. The version code comes from the file name
(BILLS-117hr1ih.xml), else from the `bill-stage` attribute.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from scrapers.formats.base import Item, SimpleFormat
from scrapers.formats.detect import xml_root
from scrapers.formats.us_vote_rules import federal_bill_key
from scrapers.formats.uslm import NS as USLM_NS, UslmDoc, _capitalize
from scrapers.xmlsafe import record_root
from tracker.contract import RecordError, build

FORMAT_NAME = "bill-xml"
_SPACE = re.compile(r"\s+")
_GROUPS = frozenset({"division", "title", "subtitle", "chapter", "subchapter", "part", "subpart"})
_LEVELS = frozenset({"subsection", "paragraph", "subparagraph", "clause", "subclause", "item",
                     "subitem"})
_APPROPRIATIONS = {"appropriations-major": 0, "appropriations-intermediate": 1, "appropriations-small": 2}
_BODIES = ("legis-body", "resolution-body")
_FILE = re.compile(r"BILLS-(\d+)([a-z]+?)(\d+)([a-z]+)\.xml$", re.I)
# GPO's `bill-stage` values -> the version codes GovInfo names files with.
STAGE_CODES = {
    "introduced-in-house": "ih", "introduced-in-senate": "is", "reported-in-house": "rh",
    "reported-in-senate": "rs", "engrossed-in-house": "eh", "engrossed-in-senate": "es",
    "enrolled-bill": "enr", "referred-in-house": "rfh", "referred-in-senate": "rfs",
    "received-in-house": "rdh", "received-in-senate": "rds", "placed-on-calendar-house": "pch",
    "placed-on-calendar-senate": "pcs", "engrossed-amendment-house": "eah",
    "engrossed-amendment-senate": "eas", "public-print": "pp", "committee-discharged-house": "cdh",
    "committee-discharged-senate": "cds", "considered-and-passed-house": "cph",
    "considered-and-passed-senate": "cps", "agreed-to-house": "ath", "agreed-to-senate": "ats",
}


def sniff(name: str, head: bytes) -> bool:
    if xml_root(head) not in ("bill", "resolution") or USLM_NS.encode() in head:
        return False
    return any(m in head for m in (b"bill-stage", b"resolution-stage", b"<form", b"<legis-body",
                                   b"dms-id"))


def _flat(el) -> str:
    """The element's words on one line (small-caps headings written in lower case capitalized)."""
    if el is None:
        return ""
    out: list[str] = [el.text or ""]

    def walk(e) -> None:
        if isinstance(e.tag, str):
            text = e.text or ""
            if "small-caps" in (e.get("display-inline") or e.get("style") or "") and text.islower():
                text = _capitalize(text)
            out.append(text)
            for child in e:
                walk(child)
        if e.tail:
            out.append(e.tail)
    for child in el:
        walk(child)
    return _SPACE.sub(" ", "".join(out)).strip()


def _head(el) -> str:
    return " ".join(x for x in (_flat(el.find("enum")), _flat(el.find("header"))) if x)


def _level_lines(children, out: list[str]) -> None:
    for child in children:
        if not isinstance(child.tag, str) or child.tag in ("enum", "header"):
            continue
        if child.tag in _LEVELS:
            lead = [c for c in child if c.tag in ("text", "chapeau")]
            out.append(" ".join(x for x in [_head(child)] + [_flat(c) for c in lead] if x))
            _level_lines([c for c in child if c.tag not in ("text", "chapeau")], out)
        elif child.tag in ("text", "chapeau", "continuation-text", "quoted-block", "proviso"):
            out.append(_flat(child))
        else:
            _level_lines(list(child), out)


def _walk(container, doc: UslmDoc, path: list[str]) -> None:
    approp: list[tuple[int, str]] = []
    for el in container:
        if not isinstance(el.tag, str):
            continue
        if el.tag in _GROUPS:
            label = " — ".join(x for x in (_flat(el.find("enum")), _flat(el.find("header"))) if x)
            _walk(el, doc, path + ([label] if label else []))
        elif el.tag in _APPROPRIATIONS:
            level = _APPROPRIATIONS[el.tag]
            heading = _flat(el.find("header"))
            if heading.startswith("(") and approp:
                item, parent = f"{approp[-1][1]} {heading}", [h for _, h in approp[:-1]]
            else:
                while approp and approp[-1][0] >= level:
                    approp.pop()
                parent, item = [h for _, h in approp], heading
                if heading:
                    approp.append((level, heading))
            lines: list[str] = []
            _level_lines(list(el), lines)
            if lines:
                doc.add([item] + lines, None, item or None, path + parent)
        elif el.tag == "section":
            enum, heading = _flat(el.find("enum")), _flat(el.find("header"))
            num = f"Sec. {enum}" if enum else ""  # as USLM prints it, so versions in both align
            lines = [" ".join(x for x in (num, heading) if x)]
            _level_lines(list(el), lines)
            doc.add(lines, num or None, heading, path)
        elif el.tag in ("text", "continuation-text"):
            doc.add([_flat(el)], None, None, path)


def _date(root) -> dt.date | None:
    """The version's date: the last dated action of the form or attestation (`date="20210104"`)."""
    found = None
    for el in root.iter("action-date", "attestation-date"):
        try:
            found = dt.datetime.strptime((el.get("date") or "")[:8], "%Y%m%d").date()
        except ValueError:
            continue
    return found


def parse_billxml(data: bytes, source: str) -> UslmDoc | RecordError:
    """One bill DTD version, or an error naming the file and the problem."""
    root = record_root(data, source)
    if isinstance(root, RecordError):
        return root
    if root.tag not in ("bill", "resolution"):
        return RecordError(source, None, None, f"not a GPO bill XML file: root element <{root.tag}>")
    doc = UslmDoc()
    named = _FILE.search(source)
    stage = (root.get("bill-stage") or root.get("resolution-stage") or "").strip()
    form = root.find("form")
    congress = re.sub(r"\D", "", (form.findtext("congress") if form is not None else "") or "")
    printed = _flat(form.find("legis-num")) if form is not None else ""
    doc.bill_key = federal_bill_key(congress, printed)
    if named:
        doc.bill_key = doc.bill_key or federal_bill_key(named.group(1), named.group(2) + named.group(3))
        doc.code = named.group(4).lower()
    else:
        doc.code = STAGE_CODES.get(stage.lower())
    if doc.bill_key is None:
        return RecordError(source, None, "legis-num", "no <congress> and <legis-num> (nor file name) "
                                                      "names the bill")
    if not doc.code:
        return RecordError(source, doc.bill_key, "bill-stage",
                           f"unknown version: bill-stage {stage!r} and no BILLS-... file name")
    doc.name = stage.replace("-", " ") or doc.code.upper()
    doc.title = _flat(root.find(".//official-title")) or None
    doc.date = _date(root)
    body = next((b for b in (root.find(t) for t in _BODIES) if b is not None), None)
    if body is None:
        return RecordError(source, doc.bill_key, "legis-body", "the document has no <legis-body> text")
    _walk(body, doc, [])
    return doc


def parse(data: bytes, source: str) -> Iterator[Item]:
    doc = parse_billxml(data, source)
    if isinstance(doc, RecordError):
        yield doc
        return
    _, congress, number = doc.bill_key.split("-", 2)
    pkg = f"BILLS-{congress}{number}{doc.code}"
    try:
        yield build("bill_text", {
            "bill_key": doc.bill_key, "code": doc.code, "name": doc.name, "date": doc.date,
            "format": FORMAT_NAME, "content": data.decode("utf-8"), "text": doc.text,
            "sections": doc.sections,
            "url": f"https://www.govinfo.gov/content/pkg/{pkg}/xml/{pkg}.xml",
            "source": {"url": source, "format": FORMAT_NAME}}, source=source)
    except RecordError as err:
        yield err
    except UnicodeDecodeError as exc:
        yield RecordError(source, doc.bill_key, None, f"not UTF-8: {exc}")


FORMAT = SimpleFormat(FORMAT_NAME, sniff, parse, priority=70)
