"""A scorecard's methodology in words, written from its settings and items, so the page that
explains the scores cannot contradict them (English and Spanish, from tracker/data/methodology.yaml).

A coalition's own methodology text is its note: shown apart, never a rule. `note_warnings` tells
staff when a note reads like a rule (absences, weights, grades...), which it cannot change."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

from tracker.scoring.settings import ScoringSettings

LANGS = ("en", "es")
# The rules of votes that are not yes or no, in the order a reader meets them.
OPTION_SETTINGS = (("absence", "absence_policy"), ("excused", "excused_policy"),
                   ("paired", "paired_policy"), ("present", "present_policy"))
SPONSOR_KINDS = ("sponsorship", "cosponsorship")


@lru_cache
def texts() -> dict:
    """The packaged words (both languages and the note's rule patterns)."""
    raw = resources.files("tracker").joinpath("data/methodology.yaml").read_text(encoding="utf-8")
    return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # packaged file: LibYAML when present


@dataclass(frozen=True)
class RuleText:
    """One rule of the methodology: a stable key (the page's element id) and its sentence."""

    key: str
    text: str


def _num(value: float, lang: str) -> str:
    """A number as readers of the language write it (89.5 / 89,5)."""
    out = f"{value:g}"
    return out.replace(".", ",") if lang == "es" else out


def _grades(bands: Iterable[tuple[float, str]], w: dict, lang: str) -> str:
    bands = sorted(bands, reverse=True)
    parts, upper = [], None
    for floor, grade in bands:
        if upper is None:
            parts.append(w["grade_top"].format(grade=grade, floor=_num(floor, lang)))
        else:
            parts.append(w["grade_band"].format(grade=grade, floor=_num(floor, lang), upper=_num(upper, lang)))
        upper = floor
    if bands and bands[-1][0] > 0:
        parts.append(w["grade_none_below"].format(floor=_num(bands[-1][0], lang)))
    return w["grade_join"].join(parts)


def rules(settings: ScoringSettings | dict, items: list[dict], lang: str = "en") -> list[RuleText]:
    """Every rule that decides a score on this scorecard, in `lang`; `items` as `views.items` gives them."""
    s = settings if isinstance(settings, ScoringSettings) else ScoringSettings.from_dict(settings)
    w = texts()[lang if lang in LANGS else "en"]
    out = [RuleText("formula", w["formula"]), RuleText("eligibility", w["eligibility"]),
           RuleText("preferred", w["preferred"])]
    for key, setting in OPTION_SETTINGS:
        policy = getattr(s, setting)
        text = w[f"policy_{policy}"].format(percent=_num(round(s.partial_credit * 100, 1), lang))
        out.append(RuleText(key, f"{w['option_' + key]}: {text}"))
    out.append(RuleText("missing_from_roll", w[f"missing_{s.missing_from_roll}"]))
    n = s.min_participation
    out.append(RuleText("min_participation", w["min_participation_one"] if n <= 1
                        else w["min_participation_n"].format(n=n)))
    out.append(RuleText("weights", _weights(items, w, lang)))
    if any(it["kind"] in SPONSOR_KINDS for it in items):
        out.append(RuleText("sponsorship", f"{w['sponsorship_' + s.sponsorship_mode]} {w['withdrawal_' + s.withdrawal]}"))
    else:
        out.append(RuleText("sponsorship", w["sponsorship_none"]))
    manual = [it for it in items if it["kind"] == "manual"]
    out.append(RuleText("manual", w["manual_some"].format(n=len(manual), labels=", ".join(it["label"] for it in manual))
                        if manual else w["manual_none"]))
    out.append(RuleText("grades", w["grades"].format(bands=_grades(s.grade_bands, w, lang))))
    out.append(RuleText("rounding", w["rounding_0"] if s.rounding == 0 else w["rounding_n"].format(n=s.rounding)))
    out.append(RuleText("lifetime", w["lifetime_on"] if s.lifetime else w["lifetime_off"]))
    return out


def _weights(items: list[dict], w: dict, lang: str) -> str:
    if not items:
        return w["weights_equal"].format(weight=_num(1, lang))
    weights = [float(it["weight"]) for it in items]
    common = max(set(weights), key=lambda x: (weights.count(x), x == 1.0))
    if all(x == common for x in weights):
        return w["weights_equal"].format(weight=_num(common, lang))
    odd = [w["weight_of"].format(label=it["label"], weight=_num(float(it["weight"]), lang))
           for it in items if float(it["weight"]) != common]
    return w["weights_differ"].format(list=w["list_join"].join(odd), weight=_num(common, lang))


def chrome(lang: str = "en") -> dict[str, str]:
    """The headings of the rules and of the coalition's note."""
    w = texts()[lang if lang in LANGS else "en"]
    return {k: w[k] for k in ("rules_title", "rules_intro", "note_title", "note_intro")}


@lru_cache
def _patterns() -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in texts()["rule_patterns"]]


def note_warnings(note: str | None) -> list[str]:
    """The words of a coalition's note that read like a scoring rule (staff are told; the page
    shows the note apart, under the rules written from the settings)."""
    found: dict[str, int] = {}
    for pattern in _patterns():
        for m in pattern.finditer(note or ""):
            found.setdefault(m.group(0), m.start())
    return sorted(found, key=found.get)
