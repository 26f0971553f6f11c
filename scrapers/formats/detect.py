"""What a file is, from its whole structure rather than its first bytes.

JSON objects have no key order: a sniffer that looks at the first key (`{"bill": ...}`) confuses
a unitedstates/congress vote with a LegiScan bill. Readers of JSON look at the set of top-level
keys instead (`json_shape`), XML readers at the root element (`xml_root`), and documentation
files (README, PROVENANCE.md, LICENSE, PDFs...) are never offered to any reader.
"""
from __future__ import annotations

import json
import posixpath
import re
from typing import Any

# Files that describe data rather than hold it; no reader is ever shown them.
DOC_SUFFIXES = frozenset({".md", ".markdown", ".rst", ".txt", ".pdf", ".doc", ".docx", ".odt",
                          ".rtf", ".adoc"})
DOC_STEMS = frozenset({"readme", "license", "licence", "copying", "notice", "provenance",
                       "changelog", "changes", "history", "authors", "contributing", "citation"})


def is_documentation(name: str) -> bool:
    """README, LICENSE, PROVENANCE.md, docs in .md/.rst/.txt/.pdf...: never parsed as data."""
    base = posixpath.basename(name).lower()
    stem, dot, _ = base.partition(".")
    if stem in DOC_STEMS:
        return True
    return bool(dot) and posixpath.splitext(base)[1] in DOC_SUFFIXES


def _container(value: Any) -> Any:
    return type(value) if isinstance(value, (dict, list)) else value


def shape_of(obj: Any) -> dict[str, Any] | None:
    """Top-level keys of a JSON object with scalar values kept and containers as `dict`/`list`."""
    if not isinstance(obj, dict):
        return None
    return {k: _container(v) for k, v in obj.items()}


def json_shape(tree, name: str) -> dict[str, Any] | None:
    """The shape (see `shape_of`) of a `.json` file holding one object, else None.

    The whole file is decoded, once per tree and file however many readers ask: the keys that
    tell formats apart may come in any order."""
    if not name.lower().endswith(".json"):
        return None
    cache = tree.__dict__.setdefault("_json_shapes", {})
    if name not in cache:
        cache[name] = None
        if _BRACE.match(tree.head(name, 64)):
            try:
                cache[name] = shape_of(json.loads(tree.read(name).decode("utf-8-sig")))
            except (OSError, ValueError, RecursionError):
                pass  # unreadable or not JSON: no JSON reader claims it, the plan reports it
    return cache[name]


_BRACE = re.compile(rb"^(?:\xef\xbb\xbf)?\s*\{")
# What may come before the root element: XML declaration, comments, PIs, a DOCTYPE.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S)
_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)[\s/>]")


def xml_root(head: bytes) -> str | None:
    """The root element's name (as written, with any prefix) from a file's first bytes, or None
    when they do not start an XML document."""
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        m = _PROLOG.match(head, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _TAG.match(head, pos)
    return m.group(1).decode("ascii", "replace") if m else None
