"""The only way edtracker parses XML: no DTDs, no external entities, no network."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from tracker.contract import RecordError

_PARSER_ARGS = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                    huge_tree=False, remove_comments=True)


def parser(**overrides) -> etree.XMLParser:
    """A fresh hardened parser (lxml parsers are not thread-safe, so do not share one)."""
    return etree.XMLParser(**{**overrides, **_PARSER_ARGS})


def parse_xml(data: bytes, **overrides) -> etree._Element:
    """Parse bytes into the root element; raises `etree.XMLSyntaxError` on malformed input.

    `overrides` are further `etree.XMLParser` options (the hardening ones cannot be turned off)."""
    return etree.fromstring(data, parser(**overrides))


def record_root(data: bytes, source: str, expected: str | None = None,
                record: str | None = None) -> "etree._Element | RecordError":
    """The root element of one source file, or a `RecordError` naming the file and why it is
    not one: not well-formed XML, or a root element other than `expected`."""
    from tracker.contract import RecordError

    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as exc:
        return RecordError(source, record, None, f"not well-formed XML: {exc}")
    if expected is not None and root.tag != expected:
        return RecordError(source, record, None, f"unknown root element <{root.tag}>, expected <{expected}>")
    return root
