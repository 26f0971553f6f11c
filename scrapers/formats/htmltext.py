"""HTML fragments (bill summaries, CDATA blocks) reduced to plain text, safely.

The standard library's tokenizer only splits tags from text: it fetches nothing, expands no
external entities and runs nothing, and we keep text alone, so no markup survives.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                    "table", "tr", "blockquote", "section"})
_DROP = frozenset({"script", "style", "head", "title"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROP:
            self.dropping += 1
        elif tag in _BLOCK:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag):
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.dropping:
            self.parts.append(data)


def html_to_text(fragment: str | None) -> str | None:
    """Plain text of an HTML fragment: paragraphs on their own lines, list items as `- ` lines."""
    if not fragment or not fragment.strip():
        return None
    if "<" not in fragment and "&" not in fragment:
        return _SPACES.sub(" ", fragment).strip() or None
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line and line != "-")
    return _BLANK_LINES.sub("\n", text).strip() or None
