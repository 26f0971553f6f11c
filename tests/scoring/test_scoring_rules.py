"""The pure scoring rules, case by case, with the numbers worked out by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from tracker.scoring.rules import (RoleSpan, eligible_role, grade_for, round_score, score_sponsorship,
                                   score_vote, summarize)
from tracker.scoring.settings import ScoringSettings

S = ScoringSettings()


@pytest.mark.parametrize("option,preferred,result,settings,expected", [
    ("yes", "yes", "pass", {}, 1.0),
    ("no", "yes", "pass", {}, 0.0),
    ("no", "no", "fail", {}, 1.0),                      # a motion to table a good bill: "no" is right
    ("not voting", "yes", "pass", {}, 0.0),             # absences count against by default
    ("not voting", "yes", "pass", {"absence_policy": "exclude"}, None),
    ("absent", "yes", "pass", {"absence_policy": "partial", "partial_credit": 0.25}, 0.25),
    ("absent", "yes", "pass", {"absence_policy": "with_outcome"}, 1.0),   # passed, preferred yes
    ("absent", "yes", "fail", {"absence_policy": "with_outcome"}, 0.0),
    ("absent", "no", "fail", {"absence_policy": "with_outcome"}, 1.0),
    ("excused", "yes", "pass", {}, None),               # excused: excluded by default
    ("excused", "yes", "pass", {"excused_policy": "count_against"}, 0.0),
    ("paired", "yes", "pass", {"absence_policy": "count_against"}, None),  # paired is its own setting
    ("present", "yes", "pass", {}, 0.0),
    ("present", "yes", "pass", {"present_policy": "exclude"}, None),
    ("other", "yes", "pass", {}, None),
    ("yes", None, "pass", {}, None),                    # neutral stance: not scored
])
def test_score_vote(option, preferred, result, settings, expected):
    assert score_vote(option, preferred, result, ScoringSettings.from_dict(settings)).agreement == expected


@pytest.mark.parametrize("status,preferred,settings,expected", [
    ("sponsored", "yes", {}, 1.0),
    ("sponsored", "no", {}, 0.0),
    (None, "yes", {}, None),                            # credit-only: non-sponsors are not scored
    (None, "yes", {"sponsorship_mode": "scored"}, 0.0),
    (None, "no", {"sponsorship_mode": "scored"}, 1.0),
    ("withdrawn", "yes", {}, None),                     # withdrawal ignored: as if never sponsored
    ("withdrawn", "yes", {"withdrawal": "debit"}, 0.0),
])
def test_score_sponsorship(status, preferred, settings, expected):
    assert score_sponsorship(status, preferred, ScoringSettings.from_dict(settings)).agreement == expected


def test_summarize_weights_and_minimum():
    # (2 x 1 + 1 x 0 + 1 x 0.5) / (2 + 1 + 1) = 2.5 / 4 = 62.5 -> 63 (half up) -> D
    t = summarize([(2, 1.0), (1, 0.0), (1, 0.5), (5, None)], S)
    assert (t.earned, t.possible, t.counted, t.score, t.grade) == (2.5, 4.0, 3, 63.0, "D")
    assert summarize([(1, 1.0)], ScoringSettings.from_dict({"min_participation": 2})).score is None
    assert summarize([], S).score is None


def test_rounding_and_grade_bands():
    assert round_score(62.5, 0) == 63.0 and round_score(66.666, 1) == 66.7 and round_score(0.125, 2) == 0.13
    bands = ScoringSettings.from_dict({"grade_bands": [[0, "Opposes"], [90, "Champion"], [50, "Mixed"]]}).grade_bands
    assert [grade_for(x, bands) for x in (95, 90, 89.9, 50, 10, None)] == [
        "Champion", "Champion", "Mixed", "Mixed", "Opposes", None]


def test_eligibility_follows_roles():
    roles = [RoleSpan("us", "lower", dt.date(2025, 1, 3), dt.date(2027, 1, 3)),
             RoleSpan("us", "upper", dt.date(2027, 1, 3), None)]
    assert eligible_role(roles, "us", "lower", dt.date(2025, 3, 5)) is roles[0]
    assert eligible_role(roles, "us", "lower", dt.date(2027, 1, 3)) is None   # term over that day
    assert eligible_role(roles, "us", "upper", dt.date(2027, 1, 3)) is roles[1]
    assert eligible_role(roles, "us", "upper", dt.date(2026, 1, 3)) is None   # not yet a senator
    assert eligible_role(roles, "ca", "lower", dt.date(2025, 3, 5)) is None
    assert eligible_role([RoleSpan("ne", "legislature", None, None)], "ne", "upper", dt.date(2025, 1, 1))


@pytest.mark.parametrize("bad,field", [({"absence_policy": "ignore"}, "absence_policy"),
                                       ({"partial_credit": 2}, "partial_credit"),
                                       ({"grade_bands": [[90]]}, "grade_bands"),
                                       ({"colour": "red"}, "colour")])
def test_settings_validation_names_the_field(bad, field):
    with pytest.raises(ValueError, match=field):
        ScoringSettings.from_dict(bad)
