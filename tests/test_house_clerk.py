"""House Clerk roll-call XML on every real file in votes-house-clerk/."""
from __future__ import annotations

import datetime as dt

import pytest

from scrapers.formats import house_clerk
from tests.us_federal import house_files, nonzero, parse_one, row_totals
from tracker.contract import RecordError


def test_every_real_file_parses_and_totals_match_member_rows():
    files = house_files()
    assert len(files) == 2
    for path in files:
        event = parse_one(house_clerk, path)
        if "excerpt" in path.name:
            # The excerpt keeps 8 of 440 rows (PROVENANCE.md): its totals are the full vote's.
            assert len(event.votes) == 8 and sum(event.counts.values()) == 440
            continue
        assert nonzero(event.counts) == row_totals(event), path


def test_speaker_election_is_stored_as_candidate_votes():
    event = parse_one(house_clerk, next(p for p in house_files() if "speaker" in p.name))
    assert event.key == "us-house-2025-2" and event.roll_number == "2" and event.session == "119"
    assert event.motion_classification == ["election"] and event.result == "other"
    assert event.counts == {"Johnson (LA)": 218, "Jeffries": 215, "Emmer": 1, "present": 0, "not voting": 0}
    assert {v.option for v in event.votes} == {"other"}  # never yes/no
    assert {v.raw_option for v in event.votes} == {"Johnson (LA)", "Jeffries", "Emmer"}
    assert event.extras["elected"] == "Johnson (LA)"
    assert event.bill_key is None and event.date == dt.date(2025, 1, 3)
    assert event.start_time == dt.datetime.fromisoformat("2025-01-03T14:33:00-05:00")
    adams = next(v for v in event.votes if v.ids == {"bioguide": "A000370"})
    assert (adams.voter_name, adams.raw_option) == ("Adams", "Jeffries")
    assert len({v.ids["bioguide"] for v in event.votes}) == 434


def test_committee_of_the_whole_amendment_vote_with_delegates():
    event = parse_one(house_clerk, next(p for p in house_files() if "excerpt" in p.name))
    assert event.key == "us-house-2023-37" and event.bill_key == "us-118-hr21"
    assert event.organization == "Committee of the Whole" and event.chamber == "lower"
    assert event.motion_classification == ["amendment"] and event.result == "fail"
    assert event.counts == {"yes": 205, "no": 220, "present": 0, "not voting": 15}
    assert event.extras["amendment_author"] == "Tlaib of Michigan Amendment No. 11"
    delegates = {v.ids["bioguide"]: (v.option, v.raw_option) for v in event.votes if v.note}
    assert delegates == {"G000582": ("not voting", "Not Voting"), "M001219": ("not voting", "Not Voting"),
                         "N000147": ("yes", "Aye"), "P000610": ("yes", "Aye"),
                         "R000600": ("not voting", "Not Voting"), "S001177": ("yes", "Aye")}
    assert next(v for v in event.votes if v.ids["bioguide"] == "G000582").voter_name == "González-Colón (PR)"


def test_dtd_is_never_resolved(tmp_path):
    # An external entity that would read a local file: the document is refused, nothing read.
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE rollcall-vote [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<rollcall-vote><vote-metadata><congress>119</congress><rollcall-num>5</rollcall-num>'
            '<vote-question>On Passage &x;</vote-question><vote-result>Passed</vote-result>'
            '<action-date>7-Jan-2025</action-date></vote-metadata><vote-data/></rollcall-vote>').encode()
    (error,) = house_clerk.parse(data, "mem://x")
    assert isinstance(error, RecordError) and "refused XML" in error.problem
    assert "TOP SECRET" not in str(error)


@pytest.mark.parametrize("data, field, problem", [
    (b"<html><body>Service unavailable</body></html>", None, "unknown root element <html>"),
    (b"<rollcall-vote><vote-metadata><rollcall-num>1</rollcall-num>", None, "not well-formed"),
    (b"<rollcall-vote><vote-metadata><rollcall-num>1</rollcall-num><action-date>Jan 3</action-date>"
     b"</vote-metadata></rollcall-vote>", "action-date", "cannot read"),
])
def test_malformed_files_are_errors_naming_the_source(data, field, problem):
    (err,) = house_clerk.parse(data, "https://clerk.house.gov/evs/2025/roll001.xml")
    assert isinstance(err, RecordError)
    assert err.source == "https://clerk.house.gov/evs/2025/roll001.xml"
    assert err.field == field and problem in err.problem
