"""Sections of a bill printed as plain text (New York's OpenLegislation full text, LegiScan's
text documents): located by the lines that open them ("Section 1.", "S 2.", "SEC. 3.")."""
from __future__ import annotations

import re

# The line opening a section: NY writes "Section 1." then "S 2." (the section sign in ASCII);
# California (LegiScan's HTML of it) "SECTION 1." then "SEC. 2.".
_OPEN = re.compile(r"^[ \t]*(Section|SECTION|SEC\.|Sec\.|S|§)[ \t]+(\d+)\.[ \t]", re.M)


def sections(text: str) -> list[dict]:
    """`{num, heading, path, start, end}` for each section of `text`; the text before the first
    one (titles, enacting clause) is left out; each runs to the next one or the end."""
    opens = list(_OPEN.finditer(text))
    out = []
    for i, m in enumerate(opens):
        end = opens[i + 1].start() if i + 1 < len(opens) else len(text)
        body = text[m.start():end].rstrip()
        out.append({"num": f"Section {m.group(2)}", "heading": None, "path": [],
                    "start": m.start(), "end": m.start() + len(body)})
    return out
