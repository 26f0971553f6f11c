"""LegiScan's older XML dataset flavour (`<legiscan><bill>...</bill></legiscan>`), as in the
Mississippi 2012-2014 files of ../shared/fixtures/legiscan-ms-xml.

The XML is turned into the same dicts as the JSON flavour. It has fewer fields: no
`year_start`/`year_end` (the session years come from `session_name`), no chamber on roll calls,
no state or district on people.
"""
from __future__ import annotations

from lxml import etree

from scrapers.formats.base import Tree
from scrapers.formats.detect import xml_root
from scrapers.formats.legiscan_dataset import KINDS, LegiscanDataset
from scrapers.xmlsafe import HostileXML, parse_xml

# Elements that hold a list of same-named children, even when there is only one.
LIST_TAGS = frozenset({"progress", "history", "sponsors", "texts", "votes", "subjects",
                       "amendments", "supplements", "calendar", "sasts"})


def is_legiscan(tree: Tree, name: str) -> bool:
    return name.lower().endswith(".xml") and xml_root(tree.head(name, 1024)) == "legiscan"


def to_dict(el: etree._Element):
    """An element as a dict (children by tag), a list (LIST_TAGS) or its text."""
    children = [c for c in el if isinstance(c.tag, str)]
    if el.tag in LIST_TAGS:
        return [to_dict(c) for c in children]
    if not children:
        return (el.text or "").strip()
    return {c.tag: to_dict(c) for c in children}


def load(data: bytes) -> tuple[str, dict]:
    """(kind, payload) of one LegiScan XML file; ValueError when it is not one."""
    try:
        root = parse_xml(data)
    except HostileXML as exc:
        raise ValueError(f"refused XML: {exc}") from None
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"malformed XML: {exc}") from None
    status = (root.findtext("status") or "").strip()
    if status not in ("", "OK"):
        raise ValueError(f"API status {status!r}")
    for kind in KINDS:
        el = root.find(kind)
        if el is not None:
            return kind, to_dict(el)
    raise ValueError(f"none of {list(KINDS)} under <{root.tag}>")


FORMAT = LegiscanDataset("legiscan-xml", is_legiscan, load, priority=20)
