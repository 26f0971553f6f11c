"""HTML fragments (bill summaries, CDATA blocks) reduced to plain text.

Only text comes out: tags are dropped, script and style blocks with their content, character
references decoded. Block elements become line breaks and list items `- ` lines. Nothing is
fetched or run, and the result is never markup: whoever displays it escapes it like any text.
Regular expressions rather than an HTML parser: summaries are small, well-formed fragments,
and this runs for every bill of a congress.
"""
from __future__ import annotations

import html
import re

_DROP = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>", re.I | re.S)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_BLOCK = re.compile(r"</?(?:p|div|br|ul|ol|li|pre|h[1-6]|table|tr|blockquote|section)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>|<!--.*?-->", re.S)


def html_to_text(fragment: str | None) -> str | None:
    """Plain text of an HTML fragment: paragraphs on their own lines, list items as `- ` lines."""
    if not fragment or not fragment.strip():
        return None
    text = fragment
    if "<" in text:
        text = _DROP.sub("", text)
        text = _ITEM.sub("\n- ", text)
        text = _BLOCK.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    # each line's runs of blanks (tabs, no-break spaces and the like too) become one space
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line and line != "-") or None
