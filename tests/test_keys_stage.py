"""Bill keys and the stage rule table."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tracker.jurisdictions.registry import all_jurisdictions
from tracker.bills.keys import bill_key, normalize_identifier, split_amendment
from tracker.bills.stage import derive_stage


@pytest.mark.parametrize("raw, expected", [
    ("H.R. 1234", "HR1234"), ("H R 21", "HR21"), ("S00300", "S300"), ("S300", "S300"),
    ("A04551", "A4551"), ("H.Con.Res. 5", "HCONRES5"), ("AB 123", "AB123"), ("S609A", "S609A"),
    ("hjres 7", "HJRES7"), ("SB-0001", "SB1"),
])
def test_normalize_identifier(raw, expected):
    assert normalize_identifier(raw) == expected


@pytest.mark.parametrize("jur, session, ident, key", [
    ("us", "119", "H.R. 1234", "us-119-hr1234"), ("CA", "20252026", "AB 123", "ca-20252026-ab123"),
    ("ny", "2025", "S00609", "ny-2025-s609"),
])
def test_bill_key(jur, session, ident, key):
    assert bill_key(jur, session, ident) == key


def test_split_amendment():
    assert split_amendment("S609A") == ("S609", "A")
    assert split_amendment("S609") == ("S609", "")


def test_empty_identifier_is_an_error():
    with pytest.raises(ValueError, match="empty bill identifier"):
        normalize_identifier(" . ")


def test_jurisdictions_cover_us_states_dc_pr():
    rows = all_jurisdictions()
    ids = {r["id"] for r in rows}
    assert len(rows) == 53 and {"us", "ca", "ny", "ky", "dc", "pr"} <= ids
    by_id = {r["id"]: r for r in rows}
    assert by_id["ca"]["division_id"] == "ocd-division/country:us/state:ca"
    assert by_id["dc"]["division_id"] == "ocd-division/country:us/district:dc"
    assert by_id["pr"]["division_id"] == "ocd-division/country:us/territory:pr"
    assert by_id["ne"]["unicameral"] and not by_id["ca"]["unicameral"]


def acts(*specs):
    return [SimpleNamespace(date=dt.date(2025, 1, 1) + dt.timedelta(days=i), actor=actor,
                            classification=list(classes))
            for i, (actor, classes) in enumerate(specs)]


INTRO = ("lower", ["introduction", "referral-committee"])


@pytest.mark.parametrize("specs, kwargs, expected", [
    ([], {}, "introduced"),
    ([INTRO], {}, "in_committee"),
    ([INTRO, ("lower", ["committee-passage-favorable"])], {}, "out_of_committee"),
    ([INTRO, ("lower", ["passage"])], {}, "passed_origin"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["referral-committee"])], {}, "passed_origin"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"])], {}, "passed_second"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"]), ("executive", ["executive-receipt"])], {}, "to_executive"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"]), ("executive", ["executive-signature"])], {}, "enacted"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"]), ("executive", ["became-law"])], {}, "enacted"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"]), ("executive", ["executive-veto"])], {}, "vetoed"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"]), ("executive", ["executive-veto"]),
      ("lower", ["veto-override-passage"])], {}, "vetoed"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"]), ("executive", ["executive-veto"]),
      ("lower", ["veto-override-passage"]), ("upper", ["veto-override-passage"])], {}, "enacted"),
    ([INTRO, ("lower", ["failure"])], {}, "failed"),
    ([INTRO, ("lower", ["failure"]), ("lower", ["passage"])], {}, "passed_origin"),
    ([INTRO, ("lower", ["withdrawal"])], {}, "withdrawn"),
    ([INTRO, ("lower", ["passage"])], {"bill_type": "resolution"}, "adopted"),
    ([INTRO, ("lower", ["passage"])], {"bill_type": "concurrent resolution"}, "passed_origin"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"])], {"bill_type": "concurrent resolution"}, "adopted"),
    ([("legislature", ["introduction"]), ("legislature", ["passage"]), ("executive", ["executive-signature"])],
     {"unicameral": True, "origin_chamber": "legislature"}, "enacted"),
    ([INTRO], {"session_end": dt.date(2025, 12, 31), "today": dt.date(2026, 1, 2)}, "dead"),
    ([INTRO], {"session_end": dt.date(2026, 12, 31), "today": dt.date(2026, 1, 2)}, "in_committee"),
    ([INTRO, ("lower", ["passage"]), ("upper", ["passage"]), ("executive", ["executive-signature"])],
     {"session_end": dt.date(2025, 12, 31), "today": dt.date(2026, 1, 2)}, "enacted"),
])
def test_stage_rules(specs, kwargs, expected):
    kwargs.setdefault("origin_chamber", "lower")
    stage, _ = derive_stage(acts(*specs), **kwargs)
    assert stage == expected


def test_stage_date_is_when_stage_was_reached():
    stage, when = derive_stage(acts(INTRO, ("lower", ["passage"]), ("upper", ["referral-committee"])),
                               origin_chamber="lower")
    assert (stage, when) == ("passed_origin", dt.date(2025, 1, 2))
