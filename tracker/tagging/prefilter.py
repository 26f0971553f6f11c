"""Cheap literal prefilters for tagging patterns.

Python's `re` has no literal-prefix speed-up for patterns that start with `\\b` (all of ours do), so
`regex.search` tries the pattern at every position of a long summary. Most patterns contain a
literal that every match must contain (`teacher` in `\\bteachers?\\b`); `literal in text` is a
memchr-speed scan, so a pattern runs only on texts that contain its literal, and when the literal
starts every match, only from the literal's first occurrence on. Exact: a pattern we cannot
analyse simply has no prefilter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

try:   # the parser behind re.compile; private, so everything below degrades to "no prefilter"
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - other Python versions
    _parser = _c = None

_ZERO_WIDTH = {"AT"}          # \b, ^, $: consume nothing, so a literal after them still starts the match
_TRANSPARENT = {"SUBPATTERN"}  # a plain group is a sequence of its own; its literals are required too


@dataclass(frozen=True)
class Prefiltered:
    """A compiled pattern with its required literal (None: always run) and whether the literal
    starts every match (then the search may begin at the literal's first occurrence)."""

    regex: re.Pattern
    literal: str | None = None
    starts_match: bool = False
    exact: bool = False  # the pattern is its literal and nothing else: `in` is the whole test

    def found(self, text: str) -> bool:
        """Whether the pattern occurs in `text` (no match object: a literal pattern needs no regex)."""
        if self.exact:
            return self.literal in text  # type: ignore[operator]
        return self.search(text) is not None

    def search(self, text: str) -> re.Match | None:
        lit = self.literal
        if lit is None:
            return self.regex.search(text)
        at = text.find(lit)
        if at < 0:
            return None
        # search(text, pos) keeps the real string start, so \b at `pos` still sees the char before.
        return self.regex.search(text, at if self.starts_match else 0)


def _flatten(items, out: list) -> bool:
    """The top-level sequence with plain groups inlined; False if a group carries flags."""
    for op, av in items:
        name = str(op)
        if name in _TRANSPARENT:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return False
            if not _flatten(sub, out):
                return False
        else:
            out.append((name, av))
    return True


def _parse(pattern: str, flags: int):
    """The parsed pattern, or None when it cannot be analysed (then no prefilter)."""
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(pattern, flags)
    except Exception:   # noqa: BLE001 - re.compile reports bad patterns; we just skip the prefilter
        return None
    return None if parsed.state.flags & (re.IGNORECASE | re.LOCALE) else parsed


def required_literal(pattern: str, flags: int = 0) -> tuple[str | None, bool]:
    """(longest literal every match contains, whether it starts every match)."""
    parsed = _parse(pattern, flags)
    if parsed is None:
        return None, False
    seq: list = []
    if not _flatten(list(parsed), seq):
        return None, False
    best, best_start, run, run_start = "", False, [], True
    prefix = True   # only zero-width items seen so far
    for name, av in seq + [("END", None)]:
        if name == "LITERAL":
            if not run:
                run_start = prefix
            run.append(chr(av))
            continue
        if len("".join(run)) > len(best):
            best, best_start = "".join(run), run_start
        if run:
            prefix = False
        run = []
        if name not in _ZERO_WIDTH:
            prefix = False
    # A one-letter literal filters almost nothing and costs a scan.
    return (best, best_start) if len(best) >= 3 else (None, False)


def prefiltered(pattern: str, flags: int = 0) -> Prefiltered:
    """Compile `pattern` with its literal prefilter."""
    literal, starts = required_literal(pattern, flags)
    return Prefiltered(re.compile(pattern, flags), literal, starts,
                       exact=literal is not None and is_literal(pattern, flags))


def is_literal(pattern: str, flags: int = 0) -> bool:
    """Whether `pattern` matches one fixed string and nothing else (then `in` is the whole test)."""
    parsed = _parse(pattern, flags)
    return parsed is not None and all(str(op) == "LITERAL" for op, _ in parsed)
