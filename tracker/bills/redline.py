"""Redline between two versions of a bill's text, section by section (docs/bill-text.md).

Sections are paired in order (a monotone alignment): same heading path and heading first, then
by how many words they share, so a renumbered section ("S 3." becoming "S 2." in NY S609A) is
still compared with itself. Within a pair, words are compared: runs of `same`, `del`, `ins`.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_WORD = re.compile(r"\s*\S+")
_WORDS = re.compile(r"\w+")
_TITLE_NUM = re.compile(r"^(?:TITLE|DIVISION|SUBTITLE) [IVXLC\dA-Z]+ — ", re.I)
# Below this share of words in common, two sections are different sections.
MIN_SIMILARITY = 0.35


@dataclass
class Section:
    num: str | None
    heading: str | None
    path: list[str]
    text: str

    @property
    def label(self) -> tuple:
        # title numbers move between versions (title VII becomes VIII): the words identify
        return (tuple(_TITLE_NUM.sub("", p) for p in self.path), self.heading or "", self.num or "")


def sections_of(text: str | None, sections: list[dict] | None) -> list[Section]:
    """The stored sections of a version as `Section`s; a text without sections is one section."""
    text = text or ""
    if not sections:
        return [Section(None, None, [], text)] if text.strip() else []
    return [Section(s.get("num"), s.get("heading"), list(s.get("path") or []), text[s["start"]:s["end"]])
            for s in sections]


def _similarity(a: Section, b: Section, wa: set, wb: set) -> float:
    if a.text == b.text:
        return 2.0
    share = len(wa & wb) / max(1, len(wa | wb))
    if a.heading and b.heading:
        # appropriations are written from one template: the heading, not the words, says which
        # account a paragraph funds
        return share + (1.0 if a.label == b.label else 0.3 if a.heading == b.heading else -0.3)
    return share + (0.2 if a.num and a.num == b.num else 0.0)


# Above this many section pairs, sections with the same label or the same text are matched
# first (cheap) and only the gaps between them are aligned pair by pair; a gap of more than
# MAX_PAIRS pairs (an omnibus rewritten throughout) is paired in order.
ANCHOR_ABOVE = 2_500
MAX_PAIRS = 250_000


def _align_large(old: list[Section], new: list[Section], wo: list[set], wn: list[set]):
    def key(s: Section) -> tuple:
        return s.label if s.heading else ("", " ".join(s.text.split()))
    out: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, [key(s) for s in old], [key(s) for s in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += list(zip(range(i1, i2), range(j1, j2)))
            continue
        if (i2 - i1) * (j2 - j1) <= MAX_PAIRS:  # what lies between two matches: aligned fully
            out += [(None if a is None else i1 + a, None if b is None else j1 + b)
                    for a, b in align(old[i1:i2], new[j1:j2], anchored=False)]
            continue
        k = 0
        while i1 + k < i2 and j1 + k < j2 and _similarity(old[i1 + k], new[j1 + k], wo[i1 + k], wn[j1 + k]) >= MIN_SIMILARITY:
            out.append((i1 + k, j1 + k))
            k += 1
        out += [(i, None) for i in range(i1 + k, i2)] + [(None, j) for j in range(j1 + k, j2)]
    return out


def align(old: list[Section], new: list[Section], anchored: bool = True) -> list[tuple[int | None, int | None]]:
    """Pairs (i, j) of old and new sections in order; (i, None) removed, (None, j) added."""
    wo = [set(_WORDS.findall(s.text.lower())) for s in old]
    wn = [set(_WORDS.findall(s.text.lower())) for s in new]
    n, m = len(old), len(new)
    if anchored and n * m > ANCHOR_ABOVE:
        return _align_large(old, new, wo, wn)
    # score[i][j]: best total similarity of old[i:] with new[j:]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sim = {}
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = _similarity(old[i], new[j], wo[i], wn[j])
            best = max(score[i + 1][j], score[i][j + 1])
            if s >= MIN_SIMILARITY:
                sim[i, j] = s
                best = max(best, score[i + 1][j + 1] + s)
            score[i][j] = best
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if (i, j) in sim and score[i][j] == score[i + 1][j + 1] + sim[i, j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Runs of ("same" | "del" | "ins", text) turning `a` into `b`, compared word by word."""
    wa, wb = _WORD.findall(a), _WORD.findall(b)
    out: list[tuple[str, str]] = []

    def add(kind: str, words: list[str]) -> None:
        if not words:
            return
        text = "".join(words)
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        else:
            out.append((kind, text))
    matcher = difflib.SequenceMatcher(None, [w.strip() for w in wa], [w.strip() for w in wb], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("same", wb[j1:j2])
        else:
            add("del", wa[i1:i2])
            add("ins", wb[j1:j2])
    return out


@dataclass
class SectionChange:
    status: str  # same, changed, added, removed
    old: Section | None
    new: Section | None
    runs: list[tuple[str, str]]

    @property
    def section(self) -> Section:
        return self.new or self.old  # type: ignore[return-value]


def redline(old: list[Section], new: list[Section]) -> list[SectionChange]:
    """Every section of either version with its status and its word runs."""
    out = []
    for i, j in align(old, new):
        a = old[i] if i is not None else None
        b = new[j] if j is not None else None
        if a is None:
            out.append(SectionChange("added", None, b, [("ins", b.text)]))
        elif b is None:
            out.append(SectionChange("removed", a, None, [("del", a.text)]))
        elif a.text.split() == b.text.split():  # reflowed (NY reprints re-space every line)
            out.append(SectionChange("same", a, b, [("same", b.text)]))
        else:
            out.append(SectionChange("changed", a, b, word_diff(a.text, b.text)))
    return out
