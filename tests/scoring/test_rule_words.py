"""A scored cell's audit words in Spanish: every wording the scoring rules can store
(tracker/scoring/rules.py, cells.py) has its Spanish message; English stays as stored."""
from __future__ import annotations

import itertools

from api.scorecards.render import translator
from api.scorecards.rule_words import rule_text
from tracker.scoring import cells, rules
from tracker.scoring.settings import POLICIES, ScoringSettings

ENGLISH = {"voted", "agrees", "disagrees", "counted", "against", "excluded", "credited", "outcome",
           "sponsored", "sponsor", "member", "unmatched", "duplicate", "recorded", "scored", "the"}


def every_stored_wording() -> set[str]:
    out: set[str] = set()
    options = ["yes", "no", "not voting", "absent", "not recorded", "excused", "paired", "present", "abstain", "other"]
    for policy in sorted(POLICIES):
        s = ScoringSettings(absence_policy=policy, excused_policy=policy, paired_policy=policy,
                            present_policy=policy)
        for option, preferred, result in itertools.product(options, ["yes", "no", None], ["pass", "fail", None]):
            out.add(rules.score_vote(option, preferred, result, s).rule)
    for withdrawal, mode in itertools.product(["debit", "ignore"], ["credit_only", "credit_and_debit"]):
        try:
            s = ScoringSettings(withdrawal=withdrawal, sponsorship_mode=mode)
        except ValueError:
            continue
        for status, preferred in itertools.product(["sponsored", "withdrawn", None], ["yes", "no", None]):
            out.add(rules.score_sponsorship(status, preferred, s).rule)
    # (a manual cell's words after "manual:" are the coalition's own: see the examples below)
    out |= {cells.UNMATCHED.rule, cells.DUPLICATE.rule, cells.NOT_MEMBER.rule, cells.NOT_MEMBER_SPONSOR.rule}
    return out


def test_every_wording_reads_in_spanish():
    t = translator("es")
    wordings = every_stored_wording()
    assert len(wordings) > 20, wordings
    untranslated = []
    for rule in sorted(wordings):
        es = rule_text(rule, "es", t)
        if es == rule or {w.strip("(),:'") for w in es.split()} & ENGLISH:
            untranslated.append(f"{rule!r} -> {es!r}")
    assert untranslated == []


def test_examples_and_english_unchanged():
    t = translator("es")
    assert rule_text("voted no, against the coalition's position (yes): disagrees", "es", t) == \
        "votó no, en contra de la posición de la coalición (sí): no coincide"
    assert rule_text("not voting: absence counted against", "es", t) == "no votó: la ausencia cuenta en contra"
    assert rule_text("manual: signed the letter", "es", t) == "manual: signed the letter"      # the coalition's words
    assert rule_text("something new", "es", t) == "something new"                            # unknown: as stored
    assert rule_text("voted yes, the coalition's position: agrees", "en", translator("en")) == \
        "voted yes, the coalition's position: agrees"
