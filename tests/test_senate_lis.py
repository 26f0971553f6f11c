"""Senate LIS roll-call XML on every real file in votes-senate-lis/, and the vote menu."""
from __future__ import annotations

import datetime as dt

from scrapers.formats import senate_lis
from tests.us_federal import nonzero, parse_one, row_totals, senate_files


def test_every_real_file_totals_match_member_rows():
    files = senate_files()
    assert files
    for path in files:
        event = parse_one(senate_lis, path)
        assert nonzero(event.counts) == row_totals(event), path


def test_2004_passage_vote_fields():
    event = parse_one(senate_lis, senate_files()[0])
    assert event.key == "us-senate-108-2-213" and event.session == "108" and event.roll_number == "213"
    assert event.bill_key == "us-108-s2986" and event.chamber == "upper"
    assert event.date == dt.date(2004, 11, 17) and event.start_time == dt.datetime.fromisoformat("2004-11-17T17:48:00-05:00")
    assert event.motion_text == "On Passage of the Bill S. 2986"
    assert event.motion_classification == ["passage"] and event.result == "pass"
    assert event.counts == {"yes": 52, "no": 44, "present": 1, "not voting": 3}
    reid = next(v for v in event.votes if v.voter_name == "Reid (D-NV)")
    assert (reid.option, reid.raw_option, reid.ids) == ("paired", "Present, Giving Live Pair", {"lis": "S198"})
    assert all(set(v.ids) == {"lis"} for v in event.votes)
    # Two Grahams: the LIS id, not the printed name, tells them apart.
    grahams = {v.voter_name: v.ids["lis"] for v in event.votes if v.voter_name.startswith("Graham")}
    assert len(set(grahams.values())) == len(grahams) == 2


def test_vote_menu_lists_vote_numbers():
    menu = (b"<vote_summary><congress>118</congress><session>1</session><votes>"
            b"<vote><vote_number>00002</vote_number></vote><vote><vote_number>00001</vote_number></vote>"
            b"</votes></vote_summary>")
    assert senate_lis.parse_menu(menu) == [1, 2]
    assert senate_lis.vote_path(118, 1, 2) == "legislative/LIS/roll_call_votes/vote1181/vote_118_1_00002.xml"
