"""California's CAML bill XML (the Legislative Counsel's `caml:MeasureDoc`): plain text and sections.

A version's lob holds a description (id, history, authors, title, subject, digest) and the bill
itself (`caml:Bill`: a preamble and `caml:BillSection`s, each with its number, an action line
saying what it amends and the law text). The text is rendered one block (paragraph, number,
action line) per line; each bill section is located by offsets into that text. The document is
kept as received: Counsel's markup (insertion and deletion marks included) stays in the stored
content for the redline work to read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from scrapers.xmlsafe import parse_xml

NS = "http://lc.ca.gov/legalservices/schemas/caml.1#"
_C = "{%s}" % NS
# Elements rendered as one line of text each (XHTML paragraphs and CAML's headings).
_BLOCKS = frozenset({"p", "Num", "ActionLine", "li", "tr", "h1", "h2", "h3", "h4", "Heading", "Title"})
_SPACE = re.compile(r"\s+")
# Counsel's own marks of what this version changed, as processing instructions in the lob:
# `<?xm-insertion_mark_start?>new words<?xm-insertion_mark_end?>` and
# `<?xm-deletion_mark data="old words"?>`. Rendered with `marks=True` as these delimiters.
INS_START, INS_END, DEL_START, DEL_END = "\x01", "\x02", "\x03", "\x04"
_PI_DATA = re.compile(r'data\s*=\s*"(.*)"\s*$', re.S)


@dataclass
class CamlDoc:
    version_id: str | None = None
    title: str | None = None
    subject: str | None = None
    digest: str | None = None
    text: str = ""
    sections: list[dict] = field(default_factory=list)
    measure: dict = field(default_factory=dict)  # SessionYear, SessionNum, MeasureType, MeasureNum
    history: list[tuple[str, str]] = field(default_factory=list)  # (ActionText, ActionDate)


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _mark(pi) -> str:
    """The delimiter a change-mark processing instruction stands for ('' for any other PI)."""
    target = getattr(pi, "target", "")
    if target == "xm-insertion_mark_start":
        return INS_START
    if target == "xm-insertion_mark_end":
        return INS_END
    if target == "xm-deletion_mark":
        m = _PI_DATA.search(pi.text or "")
        return f"{DEL_START}{m.group(1) if m else ''}{DEL_END}" if m else ""
    return ""


def _pieces(el, out: list[str], marks: bool = False) -> None:
    if marks and not isinstance(el.tag, str) and el.tag is etree.ProcessingInstruction:
        out.append(_mark(el))
    if isinstance(el.tag, str):
        if el.text:
            out.append(el.text)
        elif _local(el) in ("span", "br") and len(el) == 0:
            out.append(" ")  # <span class="EnSpace"/>: Counsel's fixed-width space after "(a)"
        for child in el:
            _pieces(child, out, marks)
            if child.tail:
                out.append(child.tail)


def _flat(el, marks: bool = False) -> str:
    out: list[str] = []
    _pieces(el, out, marks)
    return _SPACE.sub(" ", "".join(out)).strip()


def _lines(el, out: list[str], marks: bool = False) -> None:
    if not isinstance(el.tag, str):
        return
    if _local(el) in _BLOCKS:
        line = _flat(el, marks)
        if line:
            out.append(line)
        return
    if el.text and el.text.strip():
        out.append(_SPACE.sub(" ", el.text).strip())
    for child in el:
        _lines(child, out, marks)
        if child.tail and child.tail.strip():
            out.append(_SPACE.sub(" ", child.tail).strip())


def unmark(marked: str) -> tuple[str, list[int], list[dict]]:
    """Text with the mark delimiters -> (plain text, offset map marked->plain, marks): each mark
    `{kind: "ins", start, end}` (inserted words, offsets in the plain text) or `{kind: "del",
    start, end: start, text}` (deleted words, no longer in the text, at `start`)."""
    clean: list[str] = []
    where: list[int] = []
    marks: list[dict] = []
    opened, deleted = 0, None
    for ch in marked:
        where.append(len(clean))
        if ch == INS_START:
            opened = len(clean)
        elif ch == INS_END:
            if len(clean) > opened:
                marks.append({"kind": "ins", "start": opened, "end": len(clean)})
        elif ch == DEL_START:
            deleted = []
        elif ch == DEL_END:
            if deleted and "".join(deleted).strip():
                marks.append({"kind": "del", "start": len(clean), "end": len(clean), "text": "".join(deleted)})
            deleted = None
        elif deleted is not None:
            deleted.append(ch)
        elif ch == " " and clean and clean[-1] in " \n":
            continue  # a deletion between two spaces leaves one space, as the plain rendering
        else:
            clean.append(ch)
    where.append(len(clean))
    return "".join(clean), where, marks


def parse_caml(data: bytes) -> CamlDoc:
    """The plain text and sections of one CAML document; raises `etree.XMLSyntaxError` or
    `ValueError` when it is not one. Counsel's insertion and deletion marks go to each
    section's `marks` (see `unmark`)."""
    root = parse_xml(data)
    if root.tag != f"{_C}MeasureDoc":
        raise ValueError(f"not a CAML MeasureDoc: root element <{_local(root)}>")
    doc = CamlDoc()
    desc = root.find(f"{_C}Description")
    if desc is not None:
        doc.version_id = (desc.findtext(f"{_C}Id") or "").strip() or None
        info = desc.find(f"{_C}LegislativeInfo")
        for el in (info if info is not None else []):
            if isinstance(el.tag, str) and (el.text or "").strip():
                doc.measure[_local(el)] = el.text.strip()
        for action in desc.iter(f"{_C}Action"):
            doc.history.append(((action.findtext(f"{_C}ActionText") or "").strip(),
                                (action.findtext(f"{_C}ActionDate") or "").strip()))
        title = desc.find(f"{_C}Title")
        doc.title = _flat(title) if title is not None else None
        subject = desc.find(f"{_C}GeneralSubject/{_C}Subject")
        doc.subject = _flat(subject) if subject is not None else None
        digest = desc.find(f"{_C}DigestText")
        if digest is not None:
            parts: list[str] = []
            _lines(digest, parts)
            doc.digest = "\n".join(parts) or None
    bill = root.find(f"{_C}Bill")
    chunks: list[str] = []
    size = 0
    for part in (bill if bill is not None else []):
        lines: list[str] = []
        _lines(part, lines, True)
        if not lines:
            continue
        block = "\n".join(lines)
        start = size + (2 if chunks else 0)
        chunks.append(block)
        size = start + len(block)
        if _local(part) == "BillSection":
            num = part.find(f"{_C}Num")
            action = part.find(f"{_C}ActionLine")
            doc.sections.append({"num": _flat(num) if num is not None else None,
                                 "heading": _flat(action) if action is not None else None,
                                 "path": [], "start": start, "end": size})
    doc.text, where, marks = unmark("\n\n".join(chunks))
    for sec in doc.sections:
        sec["start"], sec["end"] = where[sec["start"]], where[sec["end"]]
        inside = [m for m in marks if sec["start"] <= m["start"] and m["end"] <= sec["end"]]
        if inside:
            sec["marks"] = inside
    return doc
