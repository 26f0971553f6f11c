"""Congress.gov API v3 JSON: every real file of ../shared/fixtures/congress-gov-api-json parsed.

`loc-sample-output/` is a complete bill (117 H.R. 21 with every sub-resource); `httptest2/` holds
a bill with some of its sub-resources (117 H.R. 3076, first page of actions only), a law, member
lists and detail, and a full House roll call (119th, 1st session, roll 17, 434 members).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from sqlmodel import Session, select

from scrapers.formats import all_formats
from scrapers.formats import congress_api as api
from scrapers.formats.base import DirTree
from scrapers.formats.congress_api_members import member_record
from scrapers.formats.congress_api_records import bill_record, house_vote_record, normalize_party
from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tests.us_federal import current_ids, load_legislators
from tracker.contract import BillIn, LegislatorIn, RecordError, VoteEventIn
from tracker.ingest import Ingestor
from tracker.models import Bill, PersonVote, VoteEvent


def folder(name: str) -> DirTree:
    return DirTree(real_fixture("congress-gov-api-json", name))


def records(name: str) -> list:
    tree = folder(name)
    return list(api.FORMAT.parse_tree(tree, api.FORMAT.claim(tree)))


def by_key(items) -> dict:
    return {getattr(r, "key", None): r for r in items if not isinstance(r, RecordError)}


def test_every_real_file_is_claimed_and_nothing_fails():
    for name in ("loc-sample-output", "httptest2"):
        tree = folder(name)
        assert api.FORMAT.claim(tree) == tree.names()
        assert [r for r in records(name) if isinstance(r, RecordError)] == []


def test_complete_bill_117_hr21_field_by_field():
    bill = by_key(records("loc-sample-output"))["us-117-hr21"]
    assert isinstance(bill, BillIn)
    assert (bill.identifier, bill.session, bill.bill_type, bill.origin_chamber) == ("H.R. 21", "117", "bill", "lower")
    assert bill.title == "FedRAMP Authorization Act"
    assert bill.introduced_date == dt.date(2021, 1, 4)
    sponsor = [s for s in bill.sponsorships if s.primary]
    assert [(s.name, s.ids) for s in sponsor] == [("Rep. Connolly, Gerald E. [D-VA-11]", {"bioguide": "C001078"})]
    cosponsors = [s for s in bill.sponsorships if not s.primary]
    assert [s.ids["bioguide"] for s in cosponsors] == ["C001108", "H001071"]
    assert all(s.original and s.date == dt.date(2021, 1, 4) for s in cosponsors)
    # 10 actions; the Library of Congress copies of the introduction and the passage merge.
    assert len(bill.actions) == 8
    passage = [a for a in bill.actions if "passage" in a.classification]
    assert len(passage) == 1 and passage[0].actor == "lower" and passage[0].code == "H37300"
    assert passage[0].extras["source_systems"] == ["2", "9"] and passage[0].extras["vote"]["vote_type"] == "voice"
    assert bill.actions[0].classification == ["introduction"]
    assert bill.actions[-1].actor == "upper" and "referral-committee" in bill.actions[-1].classification
    assert bill.committees == ["Homeland Security and Governmental Affairs Committee", "Oversight and Reform Committee"]
    assert bill.extras["committee_codes"] == ["ssga00", "hsgo00"]
    assert len(bill.subjects) == 13 and "Computer security and identity theft" in bill.subjects
    assert bill.policy_area == "Government Operations and Politics"
    # 8 titles, two of them repeated under the same type: 8 distinct (text, type) pairs remain
    assert len(bill.other_titles) == 8 and bill.other_titles[0].type == "Display Title"
    assert bill.summary.startswith("Federal Risk and Authorization Management Program Authorization Act")
    assert "<" not in bill.summary and bill.extras["summary_version"]["action_desc"] == "Passed House"
    assert len(bill.versions) == 12 and {v.note for v in bill.versions} == {
        "Referred in Senate", "Engrossed in House", "Introduced in House"}
    assert [(r.identifier, r.session, r.relation_type) for r in bill.related_bills] == [("S. 3099", "117", "related")]
    assert bill.sources == ["https://www.congress.gov/bill/117th-congress/house-bill/21"]
    assert "incomplete" not in bill.extras


def test_partial_bill_3076_flags_what_is_missing():
    items = by_key(records("httptest2"))
    bill = items["us-117-hr3076"]
    assert bill.title == "Postal Service Reform Act of 2022"
    assert [(law.type, law.number) for law in bill.laws] == [("public", "117-108")]
    assert [s.ids for s in bill.sponsorships] == [{"bioguide": "M000087"}]
    assert bill.extras["incomplete"] == {"actions": "20 of 74", "cosponsors": "0 of 102",
                                         "relatedBills": "0 of 4", "titles": "0 of 14"}
    assert bill.extras["api_counts"]["cosponsors"] == 102
    assert len(bill.actions) == 16
    assert [a.classification for a in bill.actions[-3:]] == [["executive-receipt"], ["executive-signature"],
                                                             ["became-law"]]
    senate = [a for a in bill.actions if "passage" in a.classification]
    assert senate[0].actor == "upper"  # `sourceSystem` without a code: its name says Senate
    assert senate[0].extras["recorded_votes"][0]["roll_number"] == "71"
    assert bill.committees == ["Ways and Means Committee", "Energy and Commerce Committee",
                               "Oversight and Government Reform Committee"]
    assert len(bill.versions) == 24 and bill.summary
    # The law endpoint's bill detail is a bill too (no sub-resources saved: all flagged)
    law = items["us-118-hr599"]
    assert law.laws[0].number == "118-108" and law.extras["incomplete"]["actions"] == "0 of 27"


def test_house_vote_434_members_totals_match_rows_and_key_matches_the_clerk():
    vote = by_key(records("httptest2"))["us-house-2025-17"]
    assert isinstance(vote, VoteEventIn)
    assert (vote.session, vote.roll_number, vote.chamber, vote.bill_key) == ("119", "17", "lower", "us-119-hr30")
    assert vote.date == dt.date(2025, 1, 16)
    assert vote.start_time == dt.datetime(2025, 1, 16, 16, 0, tzinfo=dt.timezone.utc)
    assert (vote.result, vote.motion_classification, vote.vote_type) == ("pass", ["passage"], "Yea-and-Nay")
    assert len(vote.votes) == 434
    rows = Counter(v.option for v in vote.votes)
    assert dict(rows) == {"yes": 274, "no": 145, "not voting": 15}
    assert {k: n for k, n in vote.counts.items() if n} == dict(rows)
    assert {v.raw_option for v in vote.votes} == {"Yea", "Nay", "Not Voting"}
    # `bioguideID` (capital ID) read for all 434; the fixture's legislators-current.yaml is later
    # than January 2025: 12 of them left the House since (Connolly C001078, Waltz W000823, ...)
    bioguides = {v.ids.get("bioguide") for v in vote.votes}
    assert None not in bioguides and len(bioguides) == 434
    assert len(bioguides & current_ids()[0]) == 422 and {"C001078", "W000823"} <= bioguides - current_ids()[0]
    assert vote.extras["party_totals"]["D"] == {"yes": 61, "no": 145, "present": 0, "not voting": 9}


def test_members_list_and_detail_terms_and_party():
    people = [r for r in records("httptest2") if isinstance(r, LegislatorIn)]
    keyed = {p.key: p for p in people}
    leahy = keyed["bioguide:L000174"]  # detail: a plain list of 24 per-congress terms
    assert (leahy.name, leahy.given_name, leahy.family_name, leahy.party) == (
        "Patrick J. Leahy", "Patrick", "Leahy", "Democrat")
    assert [(r.chamber, r.division_id, r.start_date, r.end_date) for r in leahy.roles] == [
        ("upper", "ocd-division/country:us/state:vt", dt.date(1975, 1, 3), dt.date(2023, 1, 3))]
    garbarino = keyed["bioguide:G000597"]  # list: terms wrapped as {"item": [...]}
    assert garbarino.party == "Republican" and garbarino.name == "Andrew R. Garbarino"
    assert [(r.chamber, r.district, r.division_id, r.end_date) for r in garbarino.roles] == [
        ("lower", "2", "ocd-division/country:us/state:ny/cd:2", None)]
    assert keyed["bioguide:G000504"].name == "James R. Grover Jr."
    assert keyed["bioguide:P000610"].roles[0].division_id == "ocd-division/country:us/territory:vi"
    assert {p.party for p in people} == {"Democrat", "Republican"}  # "Democratic" normalized
    assert normalize_party("Democratic") == normalize_party("Democrat") == "Democrat"


def test_listings_give_what_the_spider_follows():
    bills = api.bill_listing(json.loads(real_fixture("congress-gov-api-json", "httptest2", "bill_list.json").read_bytes()))
    assert len(bills) == 20 and bills[0] == {"congress": "118", "type": "hr", "number": "6503",
                                             "update_date": "2023-12-29T12:58:54Z"}
    doc = json.loads(real_fixture("congress-gov-api-json", "httptest2", "house_vote_list.json").read_bytes())
    votes = api.vote_listing(doc)
    assert len(votes) == 20 and votes[0]["roll"] == 96 and votes[0]["session"] == 1
    assert api.next_page(doc) == "https://v3/house-vote?offset=20&limit=20&format=json"


def test_import_registry_sends_api_files_here_not_to_legiscan():
    names = {f.name for f in all_formats()}
    assert api.FORMAT_NAME in names
    p = plan([real_fixture("congress-gov-api-json", "loc-sample-output"),
              real_fixture("congress-gov-api-json", "httptest2")])
    assert p.unknown == []
    assert {step[1] for step in p.steps} == {api.FORMAT_NAME}


@pytest.mark.parametrize("data,problem", [
    (b"<html><body>Rate limited</body></html>", "not JSON"),
    (b'{"error": {"code": "API_KEY_MISSING", "message": "No api_key was supplied."}}', "API error"),
    (b'{"bill": {"bill_id": 1}}', "no `request` echo"),
])
def test_bad_files_are_errors_naming_the_file(tmp_path, data, problem):
    (tmp_path / "bill_117_hr_1.json").write_bytes(data)
    tree = DirTree(tmp_path)
    (err,) = list(api.FORMAT.parse_tree(tree, tree.names()))
    assert isinstance(err, RecordError) and problem in err.problem and "bill_117_hr_1.json" in err.source


def test_bill_without_sponsor_or_reserved_is_refused():
    detail = json.loads(real_fixture("congress-gov-api-json", "loc-sample-output", "bill_117_hr_21.json").read_bytes())["bill"]
    err = bill_record({**detail, "sponsors": []}, {}, "mem://x")
    assert isinstance(err, RecordError) and (err.record, err.field) == ("us-117-hr21", "sponsorships")
    err = bill_record({**detail, "title": "Reserved for the Speaker."}, {}, "mem://x")
    assert isinstance(err, RecordError) and err.field == "title"
    assert isinstance(member_record({"name": "Nobody"}, "mem://m"), RecordError)
    assert isinstance(house_vote_record({"rollCallNumber": 3}, [], "mem://v"), RecordError)


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_import_stores_bills_and_the_vote_with_voters_resolved(engine):
    load_legislators(engine)
    # httptest2 first: its member files bring in Connolly, the sponsor of H.R. 21
    p = plan([real_fixture("congress-gov-api-json", "httptest2"),
              real_fixture("congress-gov-api-json", "loc-sample-output")])
    report = Ingestor(engine).ingest(iter_records(p))
    assert report.summary()["error"] == 0, report.errors[:3]
    with Session(engine) as s:
        assert set(s.exec(select(Bill.key)).all()) >= {"us-117-hr21", "us-117-hr3076", "us-118-hr599"}
        event = s.exec(select(VoteEvent).where(VoteEvent.key == "us-house-2025-17")).one()
        rows = s.exec(select(PersonVote).where(PersonVote.vote_event_id == event.id)).all()
    # voters resolve by bioguide id: 422 from the current YAML, plus Connolly (C001078), who left
    # the House since but whom the API member files of the same import bring in; the other 11
    # stay unresolved, never matched to a namesake by name
    resolved = {r.voter_ids["bioguide"] for r in rows if r.legislator_id}
    assert len(rows) == 434 and len(resolved) == 423 and "C001078" in resolved
    again = Ingestor(engine).ingest(iter_records(p))
    assert again.summary()["insert"] == again.summary()["error"] == 0, again.summary()
    # everything is a noop, people listed in several member files too (a file that changes
    # nothing about a person does not take over the stored source URL)
    assert {r.outcome for r in again.results} == {"noop"}
