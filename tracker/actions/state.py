"""State action text -> classifications, and vote tallies printed only in action text.

A source's own classification always wins (Open States classifies most actions). When it has
none, the jurisdiction's table in `tracker/actions/<state>.py` is used (`ACTION_RULES`, or its
`classify_action` function), then the generic table below. Tallies: each state module may give
`COUNT_PATTERNS` (regex with named groups yes/no/... or a `tally` group split on dashes and read
in `COUNT_ORDER`). Adding a state adds a module; nothing here changes.
"""
from __future__ import annotations

import importlib
import re
from functools import lru_cache
from types import ModuleType

# Wording common to most legislatures (first match wins); state tables come first.
GENERIC_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bintroduced\b|\bfirst reading\b|\bread (the )?first time\b", ("introduction", "reading-1")),
    (r"\bprefiled\b|\bfiled\b", ("filing",)),
    (r"\b(re-?)?referred to\b|\breferred to committee\b", ("referral-committee",)),
    (r"\breported (out )?favorabl|\bdo pass\b|\breported with(out)? amendment", ("committee-passage-favorable",)),
    (r"\breported unfavorabl|\bdo not pass\b", ("committee-passage-unfavorable",)),
    (r"\bsecond reading\b|\bread (a )?second time\b", ("reading-2",)),
    (r"\bthird reading\b.*\bpassed\b|\bpassed\b", ("passage",)),
    (r"\bfailed\b|\bdefeated\b", ("failure",)),
    (r"\bsigned by (the )?governor\b|\bapproved by (the )?governor\b", ("executive-signature",)),
    (r"\bvetoed\b", ("executive-veto",)),
    (r"\bdelivered to (the )?governor\b|\bsent to (the )?governor\b|\bto governor\b", ("executive-receipt",)),
    (r"\bwithdrawn\b", ("withdrawal",)),
)
_GENERIC = tuple((re.compile(p, re.I), c) for p, c in GENERIC_RULES)

# "Passed 61-0-1-0-0", "passed 36-0", "Yeas 93, Nays 0".
GENERIC_COUNT_PATTERNS = (
    r"\b(?:passed|adopted|failed|defeated|concurred)\b[^0-9()]{0,40}?\(?(?P<tally>\d+(?:\s*-\s*\d+)+)\)?",
    r"\byeas?\W+(?P<yes>\d+)\W+nays?\W+(?P<no>\d+)",
)
GENERIC_COUNT_ORDER = ("yes", "no")


@lru_cache
def _module(jurisdiction: str) -> ModuleType | None:
    if not re.fullmatch(r"[a-z]{2}", jurisdiction or ""):
        return None
    try:
        return importlib.import_module(f"tracker.actions.{jurisdiction}")
    except ModuleNotFoundError:
        return None


@lru_cache
def _state_rules(jurisdiction: str) -> tuple:
    mod = _module(jurisdiction)
    rules = getattr(mod, "ACTION_RULES", ()) if mod else ()
    return tuple((re.compile(p, re.I), tuple(c)) for p, c in rules
                 if isinstance(p, str) and isinstance(c, (tuple, list)))


def classify_state_action(jurisdiction: str, text: str) -> list[str]:
    """Classifications of one action text: the state's table, else the generic one."""
    mod = _module(jurisdiction)
    fn = getattr(mod, "classify_action", None) if mod else None
    if callable(fn):
        found = fn(text)
        if found:
            return list(found)
    for regex, classes in _state_rules(jurisdiction) + _GENERIC:
        if regex.search(text):
            return list(classes)
    return []


def counts_from_text(jurisdiction: str, text: str) -> dict[str, int]:
    """Vote counts printed in an action's text, or {} when it prints none."""
    mod = _module(jurisdiction)
    patterns = tuple(getattr(mod, "COUNT_PATTERNS", ())) + GENERIC_COUNT_PATTERNS
    order = tuple(getattr(mod, "COUNT_ORDER", GENERIC_COUNT_ORDER))
    for pattern in patterns:
        m = re.search(pattern, text, re.I)
        if not m:
            continue
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        if "tally" in groups:
            numbers = [int(n) for n in re.split(r"\s*-\s*", groups.pop("tally"))]
            counts: dict[str, int] = {}
            for i, n in enumerate(numbers):
                name = order[i] if i < len(order) else "other"
                counts[name] = counts.get(name, 0) + n
            return counts
        return {k: int(v) for k, v in groups.items()}
    return {}
