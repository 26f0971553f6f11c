"""Read the fields of a BILLSTATUS `<bill>` in one XSLT pass (libxslt, in C) as a flat record stream.

Walking the tree from Python costs a proxy object per element touched, and a 300 KB bill has
tens of thousands; a stylesheet pulls exactly the leaves we use into one string, which Python
splits. The layout below is the only description of what is read from where: each row is a
record tag, the elements it repeats over, and the leaf paths of its fields, in field order.

Values come out unstripped, one field per path (first matching element, as `findtext`).
U+E000 separates fields and U+E001 records: private-use code points that mean nothing in public
text. A file that may hold either (`may_hold_separators`) goes through a second stylesheet that
reads them as U+FFFD, so they can never split a field; it is slower (XPath `translate` on every
value tripled the cost of the pass), hence not the default.
"""
from __future__ import annotations

import re
import threading

from lxml import etree

from scrapers.xmlsafe import parse_xml

FIELD = "\ue000"
RECORD = "\ue001"

# (tag, repeat over, leaf paths): one record per element the second column selects. Paths are
# relative to that element; several paths naming the same datum in different schema
# generations are separate fields, so the reader keeps its order of preference.
BILL = ("congress", "type", "billType", "number", "billNumber", "title", "originChamber",
         "updateDate", "introducedDate", "policyArea/name", "subjects/policyArea/name",
         "subjects/billSubjects/policyArea/name", "primarySubject/name")
_PERSON = ("fullName", "name", "bioguideId", "identifiers/bioguideId", "isOriginalCosponsor",
           "sponsorshipDate", "sponsorshipWithdrawnDate")
_VOTE = ("rollNumber", "chamber", "sessionNumber", "date", "url")
_SUMMARY = ("actionDate", "updateDate", "versionCode", "actionDesc", "text")
LAYOUT: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("b", ".", BILL),
    ("s", "sponsors/item", _PERSON),
    ("c", "cosponsors/item", _PERSON),
    # an action is followed by its own "m" (committee name) and "v" (recorded vote) records
    ("a", "actions/item", ("actionDate", "actionTime", "text", "actionCode", "sourceSystem/code", "type")),
    ("w", "recordedVotes/recordedVote", _VOTE),
    ("u", "summaries/summary", _SUMMARY),
    ("U", "summaries/billSummaries/item", _SUMMARY),
    ("t", "titles/item", ("title", "titleType")),
    ("x", "textVersions/item", ("type", "date")),  # + one field per formats/item/url
    ("r", "relatedBills/item", ("type", "number", "congress", "relationshipDetails/item/type")),
    ("z", "laws/item", ("number", "type")),
)
# records whose fields are every element of the paths, in path order
LISTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("j", ("subjects/legislativeSubjects/item/name", "subjects/billSubjects/legislativeSubjects/item/name",
           "subjects/billSubjects/otherSubjects/item/name")),
    ("k", ("committees/item/systemCode", "committees/billCommittees/item/systemCode")),
    ("n", ("committees/item/name", "committees/billCommittees/item/name")),
)
# inside an action: the committees group (one name per child) before the legacy <committee>
_ACTION_CHILDREN = (("m", ("committees/*/name[1]", "committee/name[1]"), ()),
                    ("v", ("recordedVotes/recordedVote",), _VOTE))
_URLS = "formats/item/url"


def clean(value: str | None) -> str | None:
    """A field's value stripped, None when empty."""
    return (value.strip() or None) if value else None


def _value(path: str, sanitize: bool) -> str:
    return f'<xsl:value-of select="translate({path},$s,$r)"/>' if sanitize else f'<xsl:value-of select="{path}"/>'


def _fields(paths: tuple[str, ...], sanitize: bool) -> str:
    return "".join("&#xE000;" + _value(p, sanitize) for p in paths)


def _repeat(select: str, body: str) -> str:
    return f'<xsl:for-each select="{select}">{body}</xsl:for-each>'


def _stylesheet(sanitize: bool) -> bytes:
    rows = []
    for tag, select, paths in LAYOUT:
        body = tag + _fields(paths, sanitize)
        if tag == "a":
            body += "&#xE001;"
            for child, selects, child_paths in _ACTION_CHILDREN:
                for sel in selects:
                    inner = child + (_fields(child_paths, sanitize) if child_paths else "&#xE000;" + _value(".", sanitize))
                    body += _repeat(sel, inner + "&#xE001;")
            rows.append(_repeat(select, body))
            continue
        if tag == "x":
            body += _repeat(_URLS, "&#xE000;" + _value(".", sanitize))
        rows.append(_repeat(select, body + "&#xE001;"))
    for tag, paths in LISTS:
        rows.append(tag + "".join(_repeat(p, "&#xE000;" + _value(".", sanitize)) for p in paths) + "&#xE001;")
    return (
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text" encoding="utf-8"/>'
        "<xsl:variable name=\"s\" select=\"'&#xE000;&#xE001;'\"/>"
        "<xsl:variable name=\"r\" select=\"'&#xFFFD;&#xFFFD;'\"/>"
        '<xsl:template match="/">'
        + _repeat("billStatus/bill", "".join(rows))
        + "</xsl:template></xsl:stylesheet>"
    ).encode()


_STYLESHEETS = {False: _stylesheet(False), True: _stylesheet(True)}
_local = threading.local()
# the separators as UTF-8 bytes, and as character references (decimal or hex, any leading zeros)
_RAW_SEPARATORS = ("\ue000".encode(), "\ue001".encode())
_REF_SEPARATOR = re.compile(rb"&#(?:[xX]0*[eE]00[01]|0*5734[45]);")
_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


def may_hold_separators(data: bytes, encoding: str | None) -> bool:
    """Whether a document (its bytes, and the encoding the parser read it in) could contain
    U+E000 or U+E001: written as UTF-8, as a character reference, or in another encoding."""
    if encoding and encoding.lower() not in _UTF8:
        return True
    # single-byte searches first (memchr, ~50x faster than searching for the sequences): both
    # separators start with byte EE in UTF-8, and every character reference holds a "#"
    if data.find(b"\xee") >= 0 and (_RAW_SEPARATORS[0] in data or _RAW_SEPARATORS[1] in data):
        return True
    return data.find(b"#") >= 0 and _REF_SEPARATOR.search(data) is not None


def _transform(sanitize: bool) -> etree.XSLT:
    # one transformer per thread (lxml documents are not to be shared across threads); and a
    # stylesheet that may neither read nor write files nor open the network
    cache = getattr(_local, "xslt", None)
    if cache is None:
        cache = _local.xslt = {}
    xslt = cache.get(sanitize)
    if xslt is None:
        xslt = cache[sanitize] = etree.XSLT(parse_xml(_STYLESHEETS[sanitize]),
                                            access_control=etree.XSLTAccessControl.DENY_ALL)
    return xslt


def _steps(path: str) -> tuple[bytes, ...]:
    return tuple(step.encode() for step in path.split("/"))


try:  # the compiled reader (setup.py builds it when a C compiler is at hand)
    from scrapers.formats import billstatus_cwalk as _cwalk
except ImportError:
    _cwalk = None
# the layout as the compiled reader takes it: paths as tuples of steps
_C_LAYOUT = (tuple((tag, _steps(sel), tuple(map(_steps, paths))) for tag, sel, paths in LAYOUT),
             tuple((tag, tuple(map(_steps, paths))) for tag, paths in LISTS),
             tuple((tag, tuple(map(_steps, sels)), tuple(map(_steps, paths))) for tag, sels, paths in _ACTION_CHILDREN),
             _steps(_URLS))


def compiled() -> bool:
    """Whether the compiled reader is installed (otherwise every document goes through the stylesheet)."""
    return _cwalk is not None


def records(root, *, sanitize: bool = True, stylesheet: bool = False) -> list[list[str]]:
    """The record stream of a parsed `<billStatus>`: one list of field strings per record,
    its tag first. Empty when the document has no `<bill>`. `sanitize=False` only for a
    document `may_hold_separators` said no to.

    The compiled reader, when installed, reads such documents (it needs no separators) about
    three times faster; `stylesheet=True` forces the stylesheet, for comparison."""
    if _cwalk is not None and not sanitize and not stylesheet:
        try:
            found = _cwalk.records(root, *_C_LAYOUT)
        except UnicodeDecodeError:  # libxml2 holds UTF-8; should it not, the stylesheet copes
            found = None
        if found is not None:  # None: entity references, which the stylesheet resolves
            return found
    return [r.split(FIELD) for r in str(_transform(sanitize)(root)).split(RECORD)[:-1]]
