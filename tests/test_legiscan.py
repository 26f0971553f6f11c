"""LegiScan JSON and XML datasets, against the real files in ../shared/fixtures."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from scrapers.formats.legiscan_json import load as load_json
from scrapers.formats.legiscan_records import Context, bill_record, roll_call_record
from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.actions import legiscan as codes
from tracker.contract import RecordError
from tracker.ingest import Ingestor


def records(*paths):
    return list(iter_records(plan([str(p) for p in paths])))


def by_kind(items, kind):
    return [r for r in items if not isinstance(r, RecordError) and r.kind == kind]


def run(engine, items):
    return Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(items)


@pytest.mark.parametrize("session,expected", [
    ({"year_start": 2025, "year_end": 2026, "special": 0, "session_name": "2025-2026 Regular Session"},
     ("20252026", False)),
    ({"year_start": 2013, "year_end": 2013, "special": 0}, ("2013", False)),
    ({"session_name": "2013 Regular Session"}, ("2013", False)),
    ({"year_start": 2021, "year_end": 2021, "special": 1, "session_name": "2021 1st Special Session"},
     ("2021s1", True)),
])
def test_session_identifier(session, expected):
    ident, special, *_ = codes.session_identifier(session)
    assert (ident, special) == expected


def test_state_ids_match_the_fixtures():
    assert codes.STATE_IDS[2] == "ak" and codes.STATE_IDS[4] == "ar"
    assert codes.STATE_IDS[24] == "ms" and codes.STATE_IDS[50] == "wy" and codes.STATE_IDS[52] == "us"


def test_alaska_bill_fields():
    kind, payload = load_json(real_fixture("legiscan", "bill", "HB1.json").read_bytes())
    bill = bill_record(payload, "HB1.json", "legiscan-json")
    assert kind == "bill" and bill.key == "ak-20112012-hb1"
    assert bill.stage == "passed_origin"  # status 2 Engrossed
    assert bill.origin_chamber == "lower"
    assert [s.name for s in bill.sponsorships][:2] == ["Carl Gatto", "Robert Lynn"]
    assert bill.sponsorships[0].ids == {"legiscan": "6033"} and bill.sponsorships[0].classification == "sponsor"
    assert bill.extras["license"] == "CC BY 4.0" and bill.extras["attribution"] == "LegiScan"
    assert bill.actions[0].classification == ["introduction"]  # PREFILE RELEASED (event 1)
    assert bill.actions[1].description == "READ THE FIRST TIME - REFERRALS"
    assert bill.actions[1].classification == ["referral-committee"]  # event 9
    passed = [a for a in bill.actions if "passage" in a.classification]
    assert [a.date for a in passed] == [dt.date(2011, 4, 11)]
    assert {v.note for v in bill.versions} == {"Introduced", "Comm Sub"}


def test_arkansas_committee_sponsor_and_enacted():
    _, payload = load_json(real_fixture("legiscan", "bill", "HB1044.json").read_bytes())
    bill = bill_record(payload, "HB1044.json", "legiscan-json")
    assert bill.session == "2012" and bill.stage == "enacted"
    assert bill.sponsorships[0].entity_type == "organization"
    assert bill.sponsorships[0].name == "Joint Budget Committee"
    assert any("became-law" in a.classification for a in bill.actions)


def test_pull_api_envelope_and_error_status():
    payload = json.loads(real_fixture("legiscan", "bill", "HB2.json").read_bytes())
    api = json.dumps({"status": "OK", **payload}).encode()
    assert load_json(api)[0] == "bill"
    with pytest.raises(ValueError, match="ERROR"):
        load_json(b'{"status": "ERROR", "alert": {"message": "Unknown op"}}')


def test_result_follows_the_record_text_over_the_passed_flag():
    ctx = Context()
    _, payload = load_json(real_fixture("legiscan", "bill", "HB1044.json").read_bytes())
    from scrapers.formats.legiscan_records import bill_info
    ctx.bills[396373] = bill_info(bill_record(payload, "x", "legiscan-json"))
    rc = {"roll_call_id": 1, "bill_id": 396373, "date": "2012-02-15", "chamber": "H",
          "desc": "Read the third time and failed.", "yea": 1, "nay": 0, "nv": 0, "absent": 0,
          "passed": 1, "votes": [{"people_id": 5, "vote_id": 1, "vote_text": "Yea"}]}
    vote = roll_call_record(rc, ctx, "x", "legiscan-json")
    assert vote.result == "fail"
    assert vote.extras["legiscan_passed"] == 1
    assert vote.extras["result_disagreement"] == {"record": "fail", "legiscan_passed": "pass"}
    no_text = roll_call_record({**rc, "desc": "S Introduced and Referred to S10"}, ctx, "x", "legiscan-json")
    assert no_text.result == "pass"


def test_vote_codes_and_unknown_bill_is_named():
    items = records(real_fixture("legiscan"))
    errors = [e for e in items if isinstance(e, RecordError)]
    # The two sample roll calls are Wyoming votes on bills not shipped with the sample.
    assert sorted(e.field for e in errors) == ["bill_id", "bill_id"]
    assert all("vote/1543" in e.source and "not in this dataset" in e.problem for e in errors)
    assert len(by_kind(items, "bill")) == 5 and len(by_kind(items, "committee")) == 2


def test_mississippi_charter_schools_act_2013():
    items = records(real_fixture("legiscan-ms-xml", "ms-2013"))
    assert not [e for e in items if isinstance(e, RecordError)]
    bill = next(b for b in by_kind(items, "bill") if b.identifier == "HB369")
    assert bill.key == "ms-2013-hb369" and bill.title.startswith("Mississippi Charter Schools Act of 2013")
    assert bill.stage == "enacted" and bill.origin_chamber == "lower"
    assert [(s.name, s.primary, s.classification) for s in bill.sponsorships] == [
        ("John Moore", True, "primary"), ("Deborah Butler Dixon", True, "primary")]
    assert [a.actor for a in bill.actions[:2]] == ["lower", "lower"]
    votes = {v.extras["legiscan_roll_call_id"]: v for v in by_kind(items, "vote_event")
             if v.bill_key == "ms-2013-hb369"}
    assert sorted(votes) == [221575, 248845, 257240, 258529]
    senate = votes[248845]
    assert senate.chamber == "upper" and senate.result == "pass"
    assert senate.counts == {"yes": 30, "no": 21, "not voting": 1, "absent": 0}
    for v in votes.values():
        rows = {}
        for pv in v.votes:
            rows[pv.option] = rows.get(pv.option, 0) + 1
        assert {k: n for k, n in v.counts.items() if n} == rows
    assert votes[221575].chamber == "lower"
    # The roll call links to LegiScan's page of it (the one the dataset's bill file lists), not JSON.
    assert votes[221575].extras["page_url"] == "https://legiscan.com/MS/rollcall/HB369/id/221575"


VOTERS = {221575: 121, 248845: 52, 257240: 119, 258529: 52}


def test_mississippi_voters_all_resolve(engine):
    report = run(engine, records(real_fixture("legiscan-ms-xml", "ms-2013")))
    assert report.summary()["error"] == 0
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT count(*), sum(CASE WHEN pv.legislator_id IS NULL THEN 1 ELSE 0 END) "
            "FROM person_vote pv JOIN vote_event ve ON ve.id = pv.vote_event_id "
            "WHERE ve.bill_key = 'ms-2013-hb369'")).one()
        sponsors = conn.execute(text(
            "SELECT count(*) FROM sponsorship s JOIN bill b ON b.id = s.bill_id "
            "WHERE b.key = 'ms-2013-hb369' AND s.legislator_id IS NOT NULL")).scalar()
        stage = conn.execute(text("SELECT stage FROM bill WHERE key = 'ms-2013-hb369'")).scalar()
        unmatched = {n for (n,) in conn.execute(text(
            "SELECT DISTINCT pv.voter_name FROM person_vote pv JOIN vote_event ve "
            "ON ve.id = pv.vote_event_id WHERE pv.legislator_id IS NULL"))}
    assert rows[0] == sum(VOTERS.values())  # every member row stored
    # Every voter with a people file resolves. LegiScan people_id 6492 votes Yea in the two House
    # roll calls 221575 and 257240, but its people file is in none of the three MS datasets of the
    # fixture (ms-2012/13/14 people/), so those two rows cannot resolve through the session's files.
    assert rows[1] == 2
    assert unmatched == {"LegiScan person 6492"}
    assert sponsors == 2 and stage == "enacted"
    with engine.connect() as conn:
        urls = {u for (u,) in conn.execute(text("SELECT source_url FROM vote_event WHERE bill_key = 'ms-2013-hb369'"))}
    assert urls == {f"https://legiscan.com/MS/rollcall/HB369/id/{n}" for n in VOTERS}


def test_import_twice_second_is_all_noop(engine):
    paths = [real_fixture("legiscan"), real_fixture("legiscan-ms-xml")]
    first = run(engine, records(*paths))
    # 3 errors: the two above and text/100932.json, the text of a bill (CA SB 151 of 2011) not in the folder
    assert first.summary()["insert"] > 200 and first.summary()["error"] == 3
    second = run(engine, records(*paths))
    assert second.summary() == {"insert": 0, "update": 0, "noop": first.summary()["insert"], "error": 3}
