"""unitedstates/congress vote JSON and GovTrack XML on every real file in essa-votes/."""
from __future__ import annotations

import datetime as dt

from scrapers.formats import uscongress_votes
from scrapers.formats.base import DirTree
from scrapers.xmlsafe import parse_xml
from tests.conftest import real_fixture
from tests.us_federal import essa_dirs, parse_essa, row_totals

TO_OPTION = {"Yea": "yes", "Aye": "yes", "Nay": "no", "No": "no", "Present": "present",
             "Not Voting": "not voting"}


def test_json_and_xml_of_every_vote_agree_and_totals_match():
    dirs = essa_dirs()
    assert len(dirs) == 45
    for d in dirs:
        from_json, from_xml = parse_essa(d / "data.json"), parse_essa(d / "data.xml")
        assert from_json.key == from_xml.key and from_json.bill_key == from_xml.bill_key
        assert from_json.counts == from_xml.counts == row_totals(from_json)
        assert sorted((tuple(v.ids.items()), v.option) for v in from_json.votes) == \
            sorted((tuple(v.ids.items()), v.option) for v in from_xml.votes)
        root = parse_xml((d / "data.xml").read_bytes())  # the file's own totals
        own = {"yes": int(root.get("aye")), "no": int(root.get("nay")),
               "not voting": int(root.get("nv")), "present": int(root.get("present"))}
        assert {k: n for k, n in own.items() if n} == from_json.counts, d.name


def test_senate_amendment_vote_fields():
    e = parse_essa(real_fixture("essa-votes", "votes-114-2015", "s222", "data.json"))
    assert e.key == "us-senate-114-1-222" and e.session == "114" and e.chamber == "upper"
    assert e.bill_key == "us-114-s1177" and e.motion_classification == ["amendment"]
    assert e.result == "pass" and e.counts == {"yes": 98, "not voting": 2}
    assert e.date == dt.date(2015, 7, 8)
    assert all(set(v.ids) == {"lis"} for v in e.votes)
    assert e.extras["official_url"].endswith("vote_114_1_00222.xml")


def test_cloture_and_recommit_votes():
    cloture = parse_essa(real_fixture("essa-votes", "votes-114-2015", "s248", "data.json"))
    assert cloture.motion_classification == ["cloture"] and cloture.result == "pass"
    recommit = parse_essa(real_fixture("essa-votes", "votes-114-2015", "h422", "data.json"))
    assert recommit.key == "us-house-2015-422" and recommit.bill_key == "us-114-hr5"
    assert recommit.motion_classification == ["recommit"] and recommit.result == "fail"
    assert recommit.counts == {"yes": 185, "no": 244, "not voting": 4}
    assert all(set(v.ids) == {"bioguide"} for v in recommit.votes)


def test_bundle_prefers_json_and_reads_each_vote_once():
    tree = DirTree(real_fixture("essa-votes"))
    names = uscongress_votes.FORMAT.claim(tree)
    assert len(names) == 90
    items = list(uscongress_votes.FORMAT.parse_tree(tree, names))
    assert len(items) == 45 and len({i.key for i in items}) == 45
    assert all(i.source.url.endswith("data.json") for i in items)
