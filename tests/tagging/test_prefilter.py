"""Literal prefilters of tagging patterns: same matches as the bare regex, on real bill text."""
from __future__ import annotations

import re

import pytest

from tracker.tagging.prefilter import is_literal, prefiltered, required_literal
from tracker.tagging.rules import compile_taxonomy, default_taxonomy


@pytest.mark.parametrize("pattern, expected", [
    (r"\bteachers?\b", ("teacher", True)),
    (r"\bcharter schools?\b.{0,80}\bfacilit\w+", ("charter school", True)),
    (r"\b(?:cap|limit) (?:on|of) charter schools?\b", (" charter school", False)),
    (r"(?:per)pupil\b", ("perpupil", True)),           # a plain group is part of the sequence
    (r"x?abcd", ("abcd", False)),
    (r"(?i)teacher", (None, False)),                    # case-insensitive: no literal test
    (r"(?i:tea)cher", (None, False)),                   # a group with flags: give up
    (r"teacher|pupil", (None, False)),                  # top-level alternation: nothing required
    (r"\bab\b", (None, False)),                         # too short to be worth a scan
    (r"(unclosed", (None, False)),
])
def test_required_literal(pattern, expected):
    assert required_literal(pattern) == expected


TEXTS = [
    "", "teacher", "the teachers' salaries", "xteacher teacher", "teachers\nand charter schools",
    "a charter school facility; the charter schools facilities", "abcteacher", "cap on charter schools",
    "limit of charter schools and the cap on charter school", "title i schools under title i",
]


@pytest.mark.parametrize("text", TEXTS)
def test_prefiltered_search_matches_the_bare_regex(text):
    """Every default pattern finds exactly what re.search finds, at the same place."""
    for spec in default_taxonomy()["areas"]:
        for pattern in (spec.get("rules") or {}).get("patterns") or []:
            bare, fast = re.compile(pattern).search(text), prefiltered(pattern).search(text)
            assert (bare and bare.span()) == (fast and fast.span()), (pattern, text)


def test_search_from_the_literal_keeps_the_word_boundary():
    # The first "teacher" is inside a word; \b must still see the character before `pos`.
    m = prefiltered(r"\bteachers?\b").search("xteacher teachers")
    assert m.span() == (9, 17)


def test_compiled_rules_use_prefilters():
    rules = compile_taxonomy(default_taxonomy())
    assert rules.patterns and all(hasattr(rx, "literal") for rx, _, _ in rules.patterns)
    assert sum(rx.literal is not None for rx, _, _ in rules.patterns) >= len(rules.patterns) - 1


@pytest.mark.parametrize("pattern", [r"hearings held", r"roll no\.", r"\bteachers?\b", r"a+b", r"held at (the )?desk"])
def test_found_agrees_with_search_and_skips_the_regex_only_for_literals(pattern):
    fast = prefiltered(pattern)
    assert fast.exact == (pattern in ("hearings held", r"roll no\."))
    for text in ("hearings held today", "roll no. 62", "roll no: 62", "teachers", "aab", "held at desk", ""):
        assert fast.found(text) == (re.search(pattern, text) is not None), (pattern, text)


def test_is_literal_only_for_fixed_strings():
    assert [is_literal(p) for p in ("roll no\\.", "hearings held", "a+b", r"\bx", "x(y)", "[ab]")] == [
        True, True, False, False, False, False]
