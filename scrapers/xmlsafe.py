"""The only way edtracker parses XML: no DTDs, no entities of any kind, no files, no network.

Three locks, each enough alone against external entities:
- the parser options that keep libxml2 from loading anything (no DTD, no entity substitution,
  no network), which callers cannot change: an option outside `ALLOWED_OPTIONS` is refused.
  (`collect_ids=False`, harmless-looking, makes libxml2 load external parameter entities and
  external DTD subsets even with `load_dtd=False`: an entity pointing at /dev/zero then hangs
  the parser, one pointing at /etc/passwd opens it.)
- a resolver on every parser that refuses each external load libxml2 still asks for, before
  any file is opened;
- a document whose DTD declares entities (external or internal: billion laughs) is rejected.
Deep nesting (over 256 levels) and over-long text nodes are refused by libxml2's own limits,
which `huge_tree=False` keeps.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from tracker.contract import RecordError

_HARDENED = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                 attribute_defaults=False, huge_tree=False, collect_ids=True, decompress=False,
                 remove_comments=True)
# Options that change what is kept of a document, never what is loaded.
ALLOWED_OPTIONS = frozenset({"remove_blank_text", "remove_pis", "strip_cdata", "ns_clean", "compact",
                             "encoding"})


class HostileXML(etree.XMLSyntaxError):
    """A document refused for what it asks the parser to do (entities, external loads)."""

    def __init__(self, message: str):
        super().__init__(message, 0, 0, 0)
        self.msg = message

    def __str__(self) -> str:
        return self.msg


class _RefuseAll(etree.Resolver):
    """Asked for any external resource (entity, DTD, XInclude): refuse before anything is opened."""

    def resolve(self, url, pubid, context):  # noqa: ANN001
        raise HostileXML(f"refers to an external resource ({url or pubid}); external entities "
                         "and DTDs are never loaded")


def parser(**options) -> etree.XMLParser:
    """A fresh hardened parser (lxml parsers are not thread-safe, so do not share one).

    `options` may only be among `ALLOWED_OPTIONS`; anything else raises ValueError."""
    refused = sorted(set(options) - ALLOWED_OPTIONS)
    if refused:
        raise ValueError(f"xmlsafe refuses the parser option(s) {refused}: only {sorted(ALLOWED_OPTIONS)} "
                         "may be set (the others could make libxml2 load external entities)")
    p = etree.XMLParser(**{**options, **_HARDENED})
    p.resolvers.add(_RefuseAll())
    return p


def parse_xml(data: bytes, **options) -> etree._Element:
    """Parse bytes into the root element; raises `etree.XMLSyntaxError` on malformed input and
    `HostileXML` (a subclass) on a document declaring entities or referring to external ones.

    `options` are further `etree.XMLParser` options among `ALLOWED_OPTIONS`."""
    root = etree.fromstring(data, parser(**options))
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        declared = [e.name for e in dtd.iterentities()]
        if declared:
            shown = ", ".join(declared[:5]) + (" ..." if len(declared) > 5 else "")
            raise HostileXML(f"declares XML entities ({shown}); documents with entity "
                             "declarations are refused")
    return root


def record_root(data: bytes, source: str, expected: str | None = None,
                record: str | None = None) -> "etree._Element | RecordError":
    """The root element of one source file, or a `RecordError` naming the file and why it is
    not one: not well-formed XML, refused (entities), or a root element other than `expected`."""
    from tracker.contract import RecordError

    try:
        root = parse_xml(data)
    except HostileXML as exc:
        return RecordError(source, record, None, f"refused XML: {exc}")
    except etree.XMLSyntaxError as exc:
        return RecordError(source, record, None, f"not well-formed XML: {exc}")
    if expected is not None and root.tag != expected:
        return RecordError(source, record, None, f"unknown root element <{root.tag}>, expected <{expected}>")
    return root
