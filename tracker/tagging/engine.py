"""Apply compiled rules to one bill's text: issue areas with a score and an explanation."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.tagging.rules import CompiledRules, lookup_phrase

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass
class BillText:
    """The fields the tagger reads; `from_values` builds it from stored or contract data."""

    title: str = ""
    summary: str = ""
    actions: str = ""
    subjects: list[str] = field(default_factory=list)
    committees: list[str] = field(default_factory=list)

    @classmethod
    def from_values(cls, *, title: str | None, summary: str | None = None,
                    subjects: list[str] | None = None, policy_area: str | None = None,
                    committees: list[str] | None = None, actions: list[str] | None = None) -> "BillText":
        subj = [s for s in (subjects or []) if s]
        if policy_area:
            subj.append(policy_area)
        return cls(title=title or "", summary=_TAGS.sub(" ", summary or ""),
                   actions="\n".join(actions or []), subjects=subj,
                   committees=[c for c in committees or [] if c])


@dataclass
class TagResult:
    slug: str
    score: float
    explanation: list[dict]


@lru_cache(maxsize=65536)   # subjects repeat across thousands of bills
def _subject_keys(subject: str) -> tuple[str, ...]:
    """`Education--Primary & Secondary--Charter Schools` -> the whole, each prefix, each part."""
    parts = [p.strip().lower() for p in subject.split("--") if p.strip()]
    keys = {"--".join(parts[:i]) for i in range(1, len(parts) + 1)} | set(parts)
    return tuple(sorted(keys))


def _snippet(text: str, start: int, end: int, pad: int = 40) -> str:
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    return ("…" if lo else "") + _SPACE.sub(" ", text[lo:hi]).strip() + ("…" if hi < len(text) else "")


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def tag_bill(rules: CompiledRules, bill: BillText) -> list[TagResult]:
    """Issue areas whose score reaches the threshold, highest first, each with its explanation."""
    hits: dict[str, dict[tuple, dict]] = {}

    def hit(area: str, kind: str, value: str, fld: str, matched: str, context: str | None = None) -> None:
        a = rules.areas.get(area)
        if a is None:
            return
        weight = rules.kind_weights.get(kind, 1.0) * a.weight * rules.field_weights.get(fld, 1.0)
        entry = {"rule": kind, "value": value, "field": fld, "matched": matched, "weight": round(weight, 3)}
        if context:
            entry["context"] = context
        hits.setdefault(area, {}).setdefault((kind, value, fld), entry)

    texts = {}
    for fld in ("title", "summary", "actions"):
        raw = getattr(bill, fld)
        if not raw:
            continue
        low = raw.lower()
        # Blank out ignored phrases but keep offsets, so snippets still line up.
        if rules.ignore is not None:
            low = rules.ignore.sub(_blank, low)
        for pat in rules.ignore_patterns:
            if pat.literal is None or pat.literal in low:
                low = pat.regex.sub(_blank, low)
        texts[fld] = low
        if rules.phrase_re is not None:
            seen = set()
            for m in rules.phrase_re.finditer(low):
                words = m.group(0)
                if words in seen:   # "school" 40 times in a summary: the first one explains it
                    continue
                seen.add(words)
                found = lookup_phrase(rules, words)
                if found is None:
                    continue
                phrase, areas = found
                for area, kind in areas:
                    hit(area, kind, phrase, fld, raw[m.start():m.end()],
                        _snippet(raw, m.start(), m.end()) if fld != "title" else None)
        for regex, source, area in rules.patterns:
            m = regex.search(low)
            if m:
                hit(area, "pattern", source, fld, raw[m.start():m.end()][:120],
                    _snippet(raw, m.start(), m.end()) if fld != "title" else None)
    for subject in bill.subjects:
        for key in _subject_keys(subject):
            for area in rules.subjects.get(key, ()):
                hit(area, "subject", key, "subjects", subject)
    for committee in bill.committees:
        for regex, source, area in rules.committees:
            if regex.search(committee):
                hit(area, "committee", source, "committees", committee)

    results: dict[str, TagResult] = {}
    for area, entries in hits.items():
        exclude = rules.areas[area].exclude
        if exclude is not None and any(exclude.search(t) for t in texts.values()):
            continue
        expl = sorted(entries.values(), key=lambda e: -e["weight"])
        score = round(sum(e["weight"] for e in expl), 3)
        if score >= rules.threshold:
            results[area] = TagResult(area, score, expl)
    # A tagged sub-area tags its parent too (e.g. homeless-students -> equity).
    for slug in list(results):
        parent = rules.areas[slug].parent
        while parent and parent in rules.areas:
            child = results[slug]
            if parent not in results:
                results[parent] = TagResult(parent, child.score, [
                    {"rule": "sub-area", "value": slug, "field": None, "matched": rules.areas[slug].name,
                     "weight": child.score}])
            slug, parent = parent, rules.areas[parent].parent
    return sorted(results.values(), key=lambda r: (-r.score, r.slug))
