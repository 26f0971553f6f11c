"""The audit words of a scored cell ("voted no, against the coalition's position (yes):
disagrees") in the reader's language. The scoring service stores them in English
(tracker/scoring/rules.py and cells.py); pages in another language read them through this table
of patterns, each naming its message (`rule_*` in messages.yaml). Unknown words are shown as
stored."""
from __future__ import annotations

import re
from typing import Callable

# (pattern of the stored English words, message key); named groups are filled in the message.
RULES: list[tuple[re.Pattern, str]] = [(re.compile(p), key) for p, key in (
    (r"^not scored: no preferred option \(the coalition takes no side\)$", "rule_no_preferred"),
    (r"^voted (?P<option>yes|no), the coalition's position: agrees$", "rule_agrees"),
    (r"^voted (?P<option>yes|no), against the coalition's position \((?P<preferred>yes|no)\): disagrees$",
     "rule_disagrees"),
    (r"^recorded as '(?P<option>[^']*)': not counted$", "rule_not_counted"),
    (r"^(?P<option>[a-z ]+): (?P<label>[a-z]+) counted against$", "rule_counted_against"),
    (r"^(?P<option>[a-z ]+): (?P<label>[a-z]+) excluded$", "rule_excluded"),
    (r"^(?P<option>[a-z ]+): (?P<label>[a-z]+) earns partial credit (?P<credit>[0-9.]+)$", "rule_partial"),
    (r"^(?P<option>[a-z ]+): (?P<label>[a-z]+) credited with the outcome, but the outcome is unknown$",
     "rule_outcome_unknown"),
    (r"^(?P<option>[a-z ]+): (?P<label>[a-z]+) credited with the outcome \((?P<won>yes|no)\): agrees$",
     "rule_outcome_agrees"),
    (r"^(?P<option>[a-z ]+): (?P<label>[a-z]+) credited with the outcome \((?P<won>yes|no)\): disagrees$",
     "rule_outcome_disagrees"),
    (r"^withdrew sponsorship of a supported bill: debited$", "rule_withdrew"),
    (r"^sponsored a supported bill: agrees$", "rule_sponsored_supported"),
    (r"^sponsored an opposed bill: disagrees$", "rule_sponsored_opposed"),
    (r"^not a sponsor: not counted \(credit-only sponsorship\)$", "rule_not_sponsor"),
    (r"^did not sponsor a supported bill: disagrees$", "rule_not_sponsored_supported"),
    (r"^did not sponsor an opposed bill: agrees$", "rule_not_sponsored_opposed"),
    (r"^unmatched: the printed name is not matched to a legislator$", "rule_unmatched"),
    (r"^duplicate: a second vote by the same legislator$", "rule_duplicate"),
    (r"^not a member of that body on that date$", "rule_not_member"),
    (r"^not a member of the legislature on the sponsorship date$", "rule_not_member_sponsor"),
    (r"^manual: (?P<text>.*)$", "rule_manual"),
)]
LABELS = ("absence", "excused", "paired", "present")


def rule_text(rule: str | None, lang: str, t: Callable[..., str]) -> str:
    """`rule` in `lang` (English: as stored)."""
    from api.i18n import format as fmt

    if not rule or lang == "en":
        return rule or ""
    for pattern, key in RULES:
        m = pattern.match(rule)
        if m:
            values = dict(m.groupdict())
            for name in ("option", "preferred", "won"):
                if values.get(name):
                    values[name] = fmt.vote_option(values[name], lang).lower()
            if values.get("label") in LABELS:
                values["label"] = t(f"rule_label_{values['label']}")
            return t(key, **values)
    return rule
