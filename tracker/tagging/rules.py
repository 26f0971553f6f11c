"""Tagging rules as data: the taxonomy format, the packaged defaults and the compiled matcher.

A taxonomy is `{threshold, field_weights, kind_weights, ignore, ignore_patterns, areas: [{slug, name, parent,
description, rules: {phrases, keywords, patterns, subjects, committees, exclude, weight}}]}`; see
docs/coalitions.md. `compile_taxonomy` turns it into one `CompiledRules` that tags bills fast:
all phrases and keywords of all areas are one regular expression (one pass per field), subjects
are a dict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from tracker.tagging.prefilter import Prefiltered, prefiltered

RULE_KINDS = ("phrases", "keywords", "patterns", "subjects", "committees", "exclude")
TEXT_FIELDS = ("title", "summary", "actions")
DEFAULT_FIELD_WEIGHTS = {"title": 2.0, "summary": 1.0, "subjects": 1.5, "committees": 1.0, "actions": 0.5}
# A keyword is a broad word ("school", "pupil"): enough in a title (2 x 0.5), but a passing
# mention in a long description needs a second hit to tag the bill.
DEFAULT_KIND_WEIGHTS = {"phrase": 1.0, "keyword": 0.5, "pattern": 1.0, "subject": 1.0, "committee": 1.0}


@lru_cache
def default_taxonomy() -> dict[str, Any]:
    """The packaged default taxonomy (tracker/data/taxonomy.yaml) as plain data."""
    text = resources.files("tracker").joinpath("data/taxonomy.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # packaged file: LibYAML when present


def _phrase_regex(phrase: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase.strip().lower()) if w]
    body = r"[\s\-]+".join(words)
    last = words[-1] if words else ""
    # Plurals for ordinary words only: "title i" must not match "title is".
    plural = r"(?:s|es)?" if len(last) >= 3 and last.isalpha() else ""
    return rf"\b{body}{plural}\b"


def _alternation(phrases: list[str]) -> re.Pattern | None:
    if not phrases:
        return None
    return re.compile("|".join(_phrase_regex(p) for p in sorted(set(phrases), key=len, reverse=True)))


_SEP = re.compile(r"[\s\-]+")


def phrase_key(text: str) -> str:
    """How a phrase (or the words a phrase matched) is looked up: lowercase, single spaces."""
    return _SEP.sub(" ", text.strip().lower())


def _trie_regex(keys: list[str]) -> re.Pattern:
    """One regex for all phrases, as a character trie: Python's re then checks one branch per
    character instead of every phrase at every position (hundreds of phrases, long summaries).
    Also used for the ignored phrases, which run over every field of every bill."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = [(r"[\s\-]+" if ch == " " else re.escape(ch)) + build(child)
                    for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return re.compile(r"\b(?:" + build(trie) + r")(?:es|s)?\b")


def _ies_plural(key: str) -> str | None:
    """`agency` -> `agencies`, `library` -> `libraries` (not `day`, `key`: a vowel before the y)."""
    if len(key) >= 4 and key.endswith("y") and key[-2].isalpha() and key[-2] not in "aeiou":
        return key[:-1] + "ies"
    return None


def lookup_phrase(rules: "CompiledRules", matched: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(the phrase as written, [(area slug, "phrase" or "keyword"), ...]) for the words matched."""
    key = phrase_key(matched)
    for k in (key, key[:-2] if key.endswith("es") else None, key[:-1] if key.endswith("s") else None):
        if k and k in rules.phrase_groups:
            return rules.phrase_groups[k]
    return None


@dataclass
class Area:
    slug: str
    name: str
    parent: str | None = None
    description: str | None = None
    weight: float = 1.0
    exclude: re.Pattern | None = None


@dataclass
class CompiledRules:
    """Every area's rules compiled once; `tracker.tagging.engine.tag_bill` applies them."""

    threshold: float
    field_weights: dict[str, float]
    kind_weights: dict[str, float]
    areas: dict[str, Area]
    phrase_re: re.Pattern | None
    phrase_groups: dict[str, tuple[str, list[tuple[str, str]]]]  # phrase_key -> (phrase, [(area, kind)])
    patterns: list[tuple[Prefiltered, str, str]]        # (regex + literal prefilter, source, area slug)
    subjects: dict[str, list[str]]                      # lowercase subject -> area slugs
    committees: list[tuple[re.Pattern, str, str]]       # (regex, source text, area slug)
    ignore: re.Pattern | None = None                    # ignored phrases, one trie
    ignore_patterns: list[Prefiltered] = field(default_factory=list)
    fingerprint: str = ""
    children: dict[str, list[str]] = field(default_factory=dict)


def compile_taxonomy(tax: dict[str, Any]) -> CompiledRules:
    """Compile a validated taxonomy (see `tracker.coalitions.schema`) into a matcher."""
    areas: dict[str, Area] = {}
    by_phrase: dict[str, list[tuple[str, str]]] = {}
    patterns, committees = [], []
    subjects: dict[str, list[str]] = {}
    for spec in tax.get("areas") or []:
        rules = spec.get("rules") or {}
        slug = spec["slug"]
        areas[slug] = Area(slug=slug, name=spec.get("name") or slug, parent=spec.get("parent"),
                           description=spec.get("description"), weight=float(rules.get("weight", 1.0)),
                           exclude=_alternation(rules.get("exclude") or []))
        for kind, values in (("phrase", rules.get("phrases")), ("keyword", rules.get("keywords"))):
            for phrase in values or []:
                by_phrase.setdefault(phrase.strip().lower(), []).append((slug, kind))
        for pat in rules.get("patterns") or []:
            # Bill text is lowercased before matching, so patterns are written in lowercase and
            # need no IGNORECASE (which is slower) and get a literal prefilter.
            patterns.append((prefiltered(pat), pat, slug))
        for subject in rules.get("subjects") or []:
            subjects.setdefault(subject.strip().lower(), []).append(slug)
        for pat in rules.get("committees") or []:
            committees.append((re.compile(pat, re.IGNORECASE), pat, slug))
    phrases: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for phrase, slugs in by_phrase.items():
        key = phrase_key(phrase)
        for k in (key, _ies_plural(key)):
            if k is None:
                continue
            if k in phrases:   # "per-pupil" and "per pupil" are one phrase
                phrases[k] = (phrases[k][0], list(dict.fromkeys([*phrases[k][1], *slugs])))
            else:
                phrases[k] = (phrase, slugs)
    children: dict[str, list[str]] = {}
    for a in areas.values():
        if a.parent:
            children.setdefault(a.parent, []).append(a.slug)
    return CompiledRules(
        threshold=float(tax.get("threshold", 1.0)),
        field_weights={**DEFAULT_FIELD_WEIGHTS, **(tax.get("field_weights") or {})},
        kind_weights={**DEFAULT_KIND_WEIGHTS, **(tax.get("kind_weights") or {})},
        areas=areas, phrase_re=_trie_regex(list(phrases)) if phrases else None,
        phrase_groups=phrases, patterns=patterns, subjects=subjects, committees=committees,
        ignore=_trie_regex(sorted({phrase_key(p) for p in tax["ignore"]})) if tax.get("ignore") else None,
        ignore_patterns=[prefiltered(p) for p in tax.get("ignore_patterns") or []],
        fingerprint=fingerprint(tax), children=children)


def normalize_rules(rules: dict[str, Any] | None) -> dict[str, Any]:
    """A rule block without empty lists or default weight, so equal rules compare equal."""
    return {k: v for k, v in (rules or {}).items()
            if v not in (None, [], {}) and not (k == "weight" and float(v) == 1.0)}


def fingerprint(tax: dict[str, Any]) -> str:
    """A short hash of the taxonomy, to tell whether rules changed since the last run."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(tax, sort_keys=True, default=str).encode()).hexdigest()[:16]


def merge_taxonomy(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """A coalition's issue areas over the defaults: `rename`, `drop`, `add`, extra `rules`.

    `overlay` is the `issue_areas` section of a coalition file plus its top-level `rules`.
    """
    use_defaults = overlay.get("use_defaults", True)
    areas = [dict(a) for a in (base.get("areas") or [])] if use_defaults else []
    dropped = set(overlay.get("drop") or [])
    renames = overlay.get("rename") or {}
    result = []
    for a in areas:
        if a["slug"] in dropped or a.get("parent") in dropped:
            continue
        if a["slug"] in renames:
            a["name"] = renames[a["slug"]]
        result.append(a)
    result.extend(dict(a) for a in overlay.get("add") or [])
    extra = overlay.get("rules") or {}
    for a in result:
        more = extra.get(a["slug"])
        if more:
            rules = {k: list(v) if isinstance(v, list) else v for k, v in (a.get("rules") or {}).items()}
            for kind, values in more.items():
                if kind == "weight":
                    rules["weight"] = values
                else:
                    rules[kind] = [*(rules.get(kind) or []), *values]
            a["rules"] = rules
    merged = {k: v for k, v in base.items() if k != "areas"}
    if "threshold" in overlay:
        merged["threshold"] = overlay["threshold"]
    merged["ignore"] = [*(base.get("ignore") or []), *(overlay.get("ignore") or [])]
    merged["areas"] = result
    return merged
