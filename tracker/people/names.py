"""Committee names as sources print them, reduced to one key: "House Committee on Education and
Workforce", "Education and Workforce Committee" and "EDUCATION & WORKFORCE" are one committee;
"Assembly Education Committee" and "to Education (H)" also say which chamber."""
from __future__ import annotations

import re
from functools import lru_cache

# Words that name the chamber, in names and referral texts -> chamber.
CHAMBER_WORDS = {"house": "lower", "assembly": "lower", "h": "lower", "senate": "upper", "s": "upper",
                 "joint": "legislature"}
# Words that say "committee" and nothing about which one.
_FILLER = {"committee", "committees", "com", "coms", "standing", "select", "permanent", "on", "the",
           "of", "subcommittee"}
_WORD = re.compile(r"[a-z0-9]+")


def name_key(name: str | None) -> str:
    """The words that tell a committee from another, lowercase ("education and workforce")."""
    words = _WORD.findall((name or "").lower().replace("&", " and "))
    return " ".join(w for w in words if w not in _FILLER and w not in CHAMBER_WORDS)


def chamber_in(name: str | None) -> str | None:
    """The chamber a committee name or referral text names ("Senate Education" -> upper), if one."""
    found = {CHAMBER_WORDS[w] for w in _WORD.findall((name or "").lower())
             if w in CHAMBER_WORDS and (len(w) > 1 or re.search(rf"\({w}\)", (name or "").lower()))}
    return found.pop() if len(found) == 1 else None


@lru_cache
def _education_patterns() -> tuple[re.Pattern, ...]:
    # The default taxonomy's committee rules say which committees are education committees.
    from tracker.tagging.rules import compile_taxonomy, default_taxonomy

    return tuple(regex for regex, _, _ in compile_taxonomy(default_taxonomy()).committees)


def is_education_committee(name: str | None) -> bool:
    return any(p.search(name or "") for p in _education_patterns())
