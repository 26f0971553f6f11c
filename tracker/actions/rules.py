"""The machinery of action classification: rule tables and the classifier that applies them.

A jurisdiction's rules are data (see `tracker/actions/us.py`): each `Rule` row maps an action
code or a text pattern to OCD classifications, optionally to the actor and to "stop here"
(procedural motions whose words would otherwise look like a passage). Vote details (roll /
voice / unanimous consent, passed / failed, roll number, tally) come from a second small table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from tracker.tagging.prefilter import prefiltered
from tracker.vocab import ACTION_CLASSIFICATIONS, CHAMBER_WORDS, VOTE_RESULTS

VOTE_TYPES = frozenset({"roll", "voice", "unanimous consent"})


def compile_lower(pattern: str) -> re.Pattern:
    """`pattern` for lower-cased text: its literals lower-cased, escapes (\\S, \\D) kept.

    Case-insensitive matching is several times slower in Python's `re` than matching the
    lower-cased text once (it cannot skip ahead to a literal), and every rule runs on every action.
    """
    if "\\N{" in pattern or "\\p" in pattern:
        return re.compile(pattern, re.I)
    out, escaped = [], False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return re.compile("".join(out))


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern: `a|b(c|d)|[|]` -> `a`, `b(c|d)`, `[|]`."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1 if pattern[i + 1:i + 2] == "^" else 0
            i += 1 if pattern[i + 1:i + 2] == "]" else 0  # a "]" first in a class is a literal
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


class AnyOf:
    """Whether a pattern occurs in a lower-cased text, tried one top-level alternative at a time.

    Python's `re` tries every alternative at every position of the text; most of ours hold a
    literal every match contains (`referred` in `\\breferred\\b...`), so each alternative runs
    only on texts holding its literal, from the literal's first occurrence when it starts the
    match (see `tracker.tagging.prefilter`). Same answer as `compile_lower(pattern).search`.
    """

    def __init__(self, pattern: str):
        self.parts = [prefiltered(regex.pattern, regex.flags) for regex in map(compile_lower, alternatives(pattern))]

    def search(self, lower: str) -> bool:
        for part in self.parts:
            if part.found(lower):
                return True
        return False


@dataclass(frozen=True)
class Rule:
    """One row: action `codes` (any of) and/or a text `pattern` -> `classifications`.

    `hint` is a lower-case literal (or a tuple of them) the text must contain before the regex
    is tried: a cheap filter, since most actions match few rules. `final` stops the table after
    this row. `regex` is matched against the lower-cased text (see `compile_lower`).
    """

    classifications: tuple[str, ...] = ()
    pattern: str | None = None
    codes: tuple[str, ...] = ()
    hint: str | tuple[str, ...] | None = None
    actor: str | None = None
    final: bool = False
    regex: re.Pattern | None = field(default=None, compare=False, repr=False)
    matcher: AnyOf | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        bad = [c for c in self.classifications if c not in ACTION_CLASSIFICATIONS]
        if bad:
            raise ValueError(f"rule {self.pattern or self.codes}: unknown classification(s) {bad}")
        if not (self.pattern or self.codes):
            raise ValueError("a rule needs a pattern or action codes")
        if self.pattern:
            object.__setattr__(self, "regex", compile_lower(self.pattern))
            object.__setattr__(self, "matcher", AnyOf(self.pattern))
        object.__setattr__(self, "hint", _hints(self.hint))
        object.__setattr__(self, "codes", frozenset(self.codes))


def _hints(hint: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if not hint:
        return ()
    return (hint,) if isinstance(hint, str) else tuple(hint)


@dataclass(frozen=True)
class VoteRule:
    """A text pattern that tells how a question was decided (`vote_type`) or its `result`."""

    pattern: str
    vote_type: str | None = None
    result: str | None = None
    hint: str | tuple[str, ...] | None = None
    regex: re.Pattern | None = field(default=None, compare=False, repr=False)
    matcher: AnyOf | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.vote_type and self.vote_type not in VOTE_TYPES:
            raise ValueError(f"vote type {self.vote_type!r} is not one of {sorted(VOTE_TYPES)}")
        if self.result and self.result not in VOTE_RESULTS:
            raise ValueError(f"vote result {self.result!r} is not one of {sorted(VOTE_RESULTS)}")
        object.__setattr__(self, "regex", compile_lower(self.pattern))
        object.__setattr__(self, "matcher", AnyOf(self.pattern))
        object.__setattr__(self, "hint", _hints(self.hint))


@dataclass(frozen=True)
class ChamberRule:
    """A text pattern that names the acting chamber: `chamber`, or the House/Senate word it captures.

    `hint`, as in `Rule`: lower-case literal(s), one of which every match contains."""

    pattern: str
    chamber: str | None = None
    hint: str | tuple[str, ...] | None = None
    regex: re.Pattern | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", compile_lower(self.pattern))
        object.__setattr__(self, "hint", _hints(self.hint))

    def chamber_in(self, m: re.Match | None) -> str | None:
        """The chamber a match of this rule's pattern names (None for no match)."""
        if m is None:
            return None
        if self.chamber:
            return self.chamber
        word = next((g for g in m.groups() if g), "")
        return CHAMBER_WORDS.get(word.lower())


class HintIndex:
    """Which rows of a set of tables have a hint in a text, found in one pass.

    An Aho-Corasick automaton (in C) reports every occurrence of every hint at once, where a
    substring search per hint scanned the text sixty times. Rows are numbered across the tables
    given; `rows(lower)` is a bit mask of them: every row with no hints, and each row one of
    whose hints occurs in the lower-cased text.
    """

    def __init__(self, hints_per_row: list[tuple[str, ...]]):
        self.unhinted = 0
        masks: dict[str, int] = {}
        for i, hints in enumerate(hints_per_row):
            if not hints:
                self.unhinted |= 1 << i
            for hint in hints:
                masks[hint] = masks.get(hint, 0) | 1 << i
        self._automaton = None
        if masks:
            self._automaton = ahocorasick.Automaton()
            for hint, mask in masks.items():
                self._automaton.add_word(hint, mask)
            self._automaton.make_automaton()

    def rows(self, lower: str) -> int:
        found = self.unhinted
        if self._automaton is not None:
            for _, mask in self._automaton.iter(lower):
                found |= mask
        return found


@dataclass
class Classified:
    """What the rules say about one action."""

    classifications: list[str]
    actor: str | None = None
    vote: dict[str, Any] | None = None
    rules: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"classification": self.classifications, "actor": self.actor, "vote": self.vote}


@dataclass
class Classifier:
    """Applies a jurisdiction's tables to (text, code) pairs."""

    rules: tuple[Rule, ...]
    vote_rules: tuple[VoteRule, ...] = ()
    chamber_rules: tuple[ChamberRule, ...] = ()
    roll_patterns: tuple[str, ...] = ()
    tally_pattern: str | None = None
    tally_hint: str | None = None  # a literal every tally contains (the tally search is costly)

    def __post_init__(self) -> None:
        self._rolls = [re.compile(p, re.I) for p in self.roll_patterns]
        self._tally = re.compile(self.tally_pattern) if self.tally_pattern else None
        # Rows are numbered across the three tables for one hint scan per text: rules first,
        # then vote rules, then chamber rules. Each row is tried only when its bit is set.
        n, v = len(self.rules), len(self.vote_rules)
        self._hints = HintIndex([r.hint for r in self.rules] + [r.hint for r in self.vote_rules]
                                + [r.hint for r in self.chamber_rules])
        self._rule_rows = (1 << n) - 1
        self._codeless = sum(1 << i for i, r in enumerate(self.rules) if not r.codes)
        self._code_rows: dict[str, int] = {}
        for i, r in enumerate(self.rules):
            for code in r.codes:
                self._code_rows[code] = self._code_rows.get(code, 0) | 1 << i
        # the table as plain tuples: this runs for every distinct action text
        self._table = [(r.matcher, r.classifications, r.actor, r.final) for r in self.rules]
        self._result_rules = [(1 << (n + i), r) for i, r in enumerate(self.vote_rules) if r.result]
        self._type_rules = [(1 << (n + i), r) for i, r in enumerate(self.vote_rules) if r.vote_type]
        self._chamber_rules = [(1 << (n + v + i), r) for i, r in enumerate(self.chamber_rules)]

    def classify(self, text: str, code: str | None = None, *, actor: str | None = None) -> Classified:
        """Classifications, actor and vote details of one action; `actor` is the source's own."""
        lower = text.lower()
        present = self._hints.rows(lower)
        rows = present & self._rule_rows & (self._codeless | self._code_rows.get(code, 0)) if code else \
            present & self._codeless
        found: list[str] = []
        hits: list[int] = []
        rule_actor = None
        while rows:  # the candidate rows in table order: lowest bit first
            low = rows & -rows
            rows ^= low
            i = low.bit_length() - 1
            matcher, classes, who_acts, final = self._table[i]
            if matcher is not None and not matcher.search(lower):
                continue
            found.extend(classes)
            hits.append(i)
            rule_actor = rule_actor or who_acts
            if final:
                break
        who = rule_actor or actor or self._chamber(lower, present)
        return Classified(list(dict.fromkeys(found)), who, self._vote(text, lower, who, present), hits)

    def _chamber(self, lower: str, present: int) -> str | None:
        for bit, rule in self._chamber_rules:
            if present & bit:
                found = rule.chamber_in(rule.regex.search(lower))
                if found:
                    return found
        return None

    def _vote(self, text: str, lower: str, chamber: str | None, present: int) -> dict[str, Any] | None:
        # the result first: most texts decide nothing, and then how they were decided is moot
        found = _first_match(self._result_rules, lower, present)
        result = found.result if found else None
        roll = None
        if "roll" in lower or "record vote" in lower:  # every roll pattern names one of these
            roll = next((m.group(1) for m in (r.search(text) for r in self._rolls) if m), None)
        if result is None and roll is None:
            return None
        found = _first_match(self._type_rules, lower, present)
        vote_type = found.vote_type if found else None
        vote: dict[str, Any] = {"chamber": chamber if chamber in ("upper", "lower") else None,
                                "vote_type": vote_type or ("roll" if roll else None),
                                "result": result, "roll_number": roll}
        tally = None
        if self._tally is not None and (self.tally_hint is None or self.tally_hint in text):
            tally = self._tally.search(text)
        if tally:
            vote["counts"] = {"yes": int(tally.group(1)), "no": int(tally.group(2))}
        return vote


def _first_match(rules: list[tuple[int, VoteRule]], lower: str, present: int) -> VoteRule | None:
    """The first of `rules` (in table order) whose hint is present and pattern is in the lower-cased text."""
    for bit, rule in rules:
        if present & bit and rule.matcher.search(lower):
            return rule
    return None
