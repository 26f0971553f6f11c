"""New York Senate OpenLegislation against the real files in ../shared/fixtures/ny-openleg."""
from __future__ import annotations

import datetime as dt

import pytest
from zoneinfo import ZoneInfo
from sqlalchemy import text

from scrapers.formats.ny_openleg import bill_ref, decode_feed, parse_api_bill
from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.actions import ny as rules
from tracker.contract import RecordError
from tracker.ingest import Ingestor


def items_of(*paths):
    return list(iter_records(plan([str(p) for p in paths])))


@pytest.mark.parametrize("action,expected", [
    ("REFERRED TO JUDICIARY", ["referral-committee"]),
    ("AMEND (T) AND RECOMMIT TO JUDICIARY", ["amendment-passage", "referral-committee"]),
    ("PASSED SENATE", ["passage"]),
    ("DELIVERED TO GOVERNOR", ["executive-receipt"]),
    ("SIGNED CHAP.123", ["executive-signature", "became-law"]),
    ("VETOED MEMO.45", ["executive-veto"]),
    ("PRINT NUMBER 609A", []),
])
def test_action_rules(action, expected):
    assert rules.classify_action(action) == expected


@pytest.mark.parametrize("status,origin,stage", [
    ("IN_SENATE_COMM", "upper", "in_committee"), ("IN_ASSEMBLY_COMM", "upper", "passed_origin"),
    ("PASSED_ASSEMBLY", "upper", "passed_second"), ("SIGNED_BY_GOV", "upper", "enacted"),
    ("SENATE_FLOOR", "upper", "out_of_committee"),
])
def test_status_stages(status, origin, stage):
    assert rules.stage_from_status(status, origin) == stage


def test_vote_codes():
    assert rules.vote_option("AYEWR") == ("yes", "AYEWR")
    assert rules.vote_option("Aye w/r") == ("yes", "AYEWR")
    assert [rules.vote_option(c)[0] for c in ("AYE", "NAY", "EXC", "ABS", "ABD")] == [
        "yes", "no", "excused", "absent", "abstain"]


def test_feed_numbers_and_sessions():
    assert bill_ref("S00300", 2018) == ("ny-2017-s300", "")
    assert bill_ref("S02956A", 2017) == ("ny-2017-s2956", "A")


def test_nul_and_legacy_bytes_are_reported():
    data, notes = decode_feed(b'<?xml version="1.0" encoding="UTF-8"?><a>\x00\xf5</a>', "x")
    assert notes == ["1 NUL byte(s) dropped", "not valid UTF-8: read as Latin-1"]
    assert "\u00f5" in data.decode("utf-8")


def test_bill_s609_2017():
    raw = real_fixture("ny-openleg", "api-v3", "bill_S609-2017.json").read_bytes()
    bill, *texts = list(parse_api_bill(raw, "bill_S609-2017.json"))
    assert [t.code for t in texts] == ["original", "A"]  # the full text of each amendment
    assert bill.key == "ny-2017-s609" and bill.identifier == "S609"
    assert [v.note for v in bill.versions] == ["S609 (original)", "S609A (amendment A)"]
    assert bill.sponsorships[0].ids == {"ny-member": "433", "ny-session-member": "944"}
    assert bill.stage == "in_committee" and bill.title.startswith("Relates to training")
    assert bill.actions[1].classification == ["amendment-passage", "referral-committee"]
    assert bill.related_bills[0].key == "ny-2015-s5027"


def test_api_votes_from_documented_shape():
    # S609-2017 has no votes; this is the documented vote block (api-v3-docs/bills.rst).
    doc = ('{"success": true, "result": {"basePrintNo": "S2180", "session": 2013, "title": "T",'
           '"billType": {"chamber": "SENATE", "resolution": false}, "votes": {"items": [{'
           '"version": "", "voteType": "COMMITTEE", "voteDate": "2013-04-22",'
           '"committee": {"chamber": "SENATE", "name": "Rules"}, "memberVotes": {"items": {'
           '"EXC": {"items": [{"memberId": 424, "shortName": "HANNON", "sessionYear": 2013}]},'
           '"AYEWR": {"items": [{"memberId": 391, "shortName": "AVELLA", "sessionYear": 2013}]}}}}]}}}')
    bill, vote = list(parse_api_bill(doc.encode(), "doc"))
    assert vote.bill_key == "ny-2013-s2180" and vote.organization == "Rules"
    assert {(v.voter_name, v.option, v.raw_option) for v in vote.votes} == {
        ("HANNON", "excused", "EXC"), ("AVELLA", "yes", "AYEWR")}


def test_feed_floor_vote_resolves_through_members():
    items = items_of(real_fixture("ny-openleg"))
    votes = {v.key: v for v in items if not isinstance(v, RecordError) and v.kind == "vote_event"}
    floor = votes["ny-2017-s100-floor-2017-10-23"]
    assert floor.counts == {"yes": 61, "absent": 1, "excused": 1} and len(floor.votes) == 63
    assert all(v.ids.get("ny-member") for v in floor.votes)
    # The member tables stop at 2021, so the 2023 feed votes carry names only.
    assert not any(v.ids for v in votes["ny-2023-s100-floor-2023-05-08"].votes)
    labor = votes["ny-2017-s905-committee-labor-2017-02-06"]
    assert labor.counts == {"yes": 13, "no": 1} and labor.extras["committee_action"] == "F"
    hearings = {h.key: h for h in items if not isinstance(h, RecordError) and h.kind == "hearing"}
    codes = hearings["ny-2017-agenda5-codes"]
    assert codes.bills[0].bill_key == "ny-2017-s468" and codes.start.astimezone(ZoneInfo("America/New_York")).hour == 0


def test_import_twice_noop_and_votes_resolved(engine):
    paths = [real_fixture("ny-openleg")]
    ingest = Ingestor(engine, today=dt.date(2025, 6, 1))
    first = ingest.ingest(items_of(*paths))
    assert first.summary()["error"] == 0 and first.summary()["insert"] == 411 + 1 + 2 + 36 + 13  # 2: S609's texts
    second = ingest.ingest(items_of(*paths))
    assert second.summary() == {"insert": 0, "update": 0, "noop": 463, "error": 0}
    with engine.connect() as conn:
        unresolved = dict(conn.execute(text(
            "SELECT ve.key, count(*) FROM person_vote pv JOIN vote_event ve ON ve.id = pv.vote_event_id "
            "WHERE pv.legislator_id IS NULL GROUP BY ve.key")).all())
        sponsor = conn.execute(text(
            "SELECT l.name FROM sponsorship s JOIN legislator l ON l.id = s.legislator_id "
            "JOIN bill b ON b.id = s.bill_id WHERE b.key = 'ny-2017-s609'")).scalar()
    assert unresolved == {"ny-2023-s100-floor-2023-05-08": 63, "ny-2023-s1234-floor-2023-06-12": 63}
    assert sponsor == "Phil Boyle"



def test_text_versions_link_to_the_senates_pages_not_its_json_api():
    """A reader who follows a version link gets the Senate's page of that print, not JSON."""
    raw = real_fixture("ny-openleg", "api-v3", "bill_S609-2017.json").read_bytes()
    bill, *_texts = list(parse_api_bill(raw, "bill_S609-2017.json"))
    assert [v.url for v in bill.versions] == [
        "https://www.nysenate.gov/legislation/bills/2017/S609/amendment/original",
        "https://www.nysenate.gov/legislation/bills/2017/S609/amendment/A"]
    assert {v.media_type for v in bill.versions} == {"text/html"}
