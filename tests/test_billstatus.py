"""GovInfo BILLSTATUS XML -> BillIn, on every real file of ../shared/fixtures/billstatus (all generations).

Expected values were counted in the XML by hand (an independent `findall` over the raw elements),
not with the parser under test; each block says how.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from lxml import etree
from sqlalchemy import text

from scrapers.formats.billstatus import detect_schema, parse_bill, sniff
from scrapers.formats.billstatus_extract import may_hold_separators
from scrapers.formats.htmltext import html_to_text
from scrapers.importer import iter_records, plan
from scrapers.xmlsafe import parse_xml
from tests.conftest import FIXTURES, real_fixture
from tracker.contract import BillIn, RecordError
from tracker.ingest import Ingestor
from tracker.bills.stage import derive_stage

# folder -> schema generation the parser must detect from the structure
GENERATIONS = {"legacy-noversion": "legacy", "v1-actions-committees": "1.0.0", "v1-amendment-votes": "1.0.0",
               "v1-current": "1.0.0", "v1-textVersions-dev": "1.0.0", "v3-future": "3.0.0"}
ALL_FILES = sorted(str(p.relative_to(FIXTURES / "billstatus"))
                   for p in (FIXTURES / "billstatus").glob("*/*.xml")) or ["<fixtures absent>"]


def load(rel: str) -> BillIn:
    path = real_fixture("billstatus", *rel.split("/"))
    bill = parse_bill(path.read_bytes(), str(path))
    assert isinstance(bill, BillIn), bill
    return bill


def stage(bill: BillIn) -> str:
    """The stage derived from the parsed actions alone (no session end: what the actions say)."""
    return derive_stage(sorted(bill.actions, key=lambda a: a.date), bill_type=bill.bill_type,
                        origin_chamber=bill.origin_chamber)[0]


def votes_of(bill: BillIn) -> list[tuple[int, str, str]]:
    return [(i, v["chamber"], v["roll_number"]) for i, a in enumerate(bill.actions)
            for v in a.extras.get("recorded_votes", [])]


@pytest.mark.parametrize("rel", ALL_FILES)
def test_every_real_file_parses_with_its_generation(rel):
    bill = load(rel)
    assert bill.extras["billstatus_schema"] == GENERATIONS[rel.split("/")[0]]
    assert bill.jurisdiction == "us" and bill.sponsorships[0].primary
    assert bill.actions and all(a.actor in ("upper", "lower", "executive", "legislature") for a in bill.actions)
    assert [a.date for a in bill.actions] == sorted(a.date for a in bill.actions)  # oldest first
    for s in bill.sponsorships:  # never a BILLSTATUS lisID as a Senate id
        assert set(s.ids) <= {"bioguide"}


def test_generation_is_told_by_structure_not_version_element():
    data = real_fixture("billstatus", "v3-future", "BILLSTATUS-117hr6658.xml").read_bytes()
    stripped = data.replace(b"<version>3.0.0</version>", b"")
    assert detect_schema(parse_xml(stripped)) == "3.0.0"
    legacy = real_fixture("billstatus", "v1-current", "BILLSTATUS-117hr6658.xml").read_bytes()
    assert detect_schema(parse_xml(legacy.replace(b"<version>1.0.0</version>", b""))) == "legacy"


# --- legacy (no <version>) --------------------------------------------------------------------

def test_legacy_hr22_fast_act_enacted():
    bill = load("legacy-noversion/BILLSTATUS-114hr22.xml")
    assert (bill.key, bill.identifier, bill.title, bill.bill_type) == ("us-114-hr22", "H.R. 22", "FAST Act", "bill")
    assert bill.sponsorships[0].ids == {"bioguide": "D000619"}
    # 118 <cosponsors><item>, all isOriginalCosponsor=True
    cos = [s for s in bill.sponsorships if not s.primary]
    assert len(cos) == 118 and all(c.original for c in cos)
    # 264 <actions><item>; 13 are copies: Introduced (Intro-H+1000), suspension passage (H37300+8000),
    # Finance report (Senate+14000), Senate passage (Senate+17000), conference held (+20800), conference
    # report filed (H25200+20900), House conference vote (H42510+21000), Senate conference vote (+23000),
    # presented (E20000+28000), signed (E30000 x2 + 36000), became law (E40000 x2 + 36000) -> 251
    assert len(bill.actions) == 251
    law = [a for a in bill.actions if a.description == "Became Public Law No: 114-94."]
    assert len(law) == 1 and law[0].extras["codes"] == ["E40000", "36000"]
    assert law[0].extras["source_systems"] == ["2", "9"] and law[0].classification == ["became-law"]
    assert [(x.type, x.number) for x in bill.laws] == [("public", "114-94")]
    assert bill.committees == ["Finance Committee", "Ways and Means Committee"]
    assert bill.policy_area == "Transportation and Public Works"  # legacy <primarySubject>
    assert len(bill.subjects) == 135 and len(bill.related_bills) == 38  # otherSubjects items; relatedBills items
    assert stage(bill) == "enacted"
    # 12 <recordedVote> at bill level, each on the action whose text cites it
    assert sorted((c, r) for _, c, r in votes_of(bill)) == sorted(
        [("lower", "7"), ("lower", "623"), ("lower", "673")]
        + [("upper", r) for r in ("250", "251", "252", "259", "260", "303", "304", "330", "331")])
    passage = next(a for a in bill.actions if a.description.startswith("Passed Senate with an amendment"))
    assert passage.extras["recorded_votes"] == [{
        "chamber": "upper", "roll_number": "260", "session_number": 1, "date": "2015-07-30T16:36:24Z",
        "url": "http://www.senate.gov/legislative/LIS/roll_call_lists/roll_call_vote_cfm.cfm?&congress=114&session=1&vote=00260"}]
    assert "unlinked_recorded_votes" not in bill.extras


def test_legacy_resolutions_are_adopted():
    con = load("legacy-noversion/BILLSTATUS-114hconres70.xml")
    assert (con.key, con.bill_type, con.identifier) == ("us-114-hconres70", "concurrent resolution", "H.Con.Res. 70")
    # 16 items; copies: Introduced (Intro-H+1000), discharge (H12300+5500), House vote (H37100+8000),
    # Senate vote (Senate+17000) -> 12
    assert len(con.actions) == 12 and stage(con) == "adopted"
    assert con.sponsorships[0].ids == {"bioguide": "N000147"} and len(con.sponsorships) == 1
    res = load("legacy-noversion/BILLSTATUS-114hres348.xml")
    assert res.bill_type == "resolution" and stage(res) == "adopted"
    assert len([s for s in res.sponsorships if not s.primary]) == 45
    assert [(c, r) for _, c, r in votes_of(res)] == [("lower", "552")]


def test_legacy_senate_bill_enacted_and_summary_is_text():
    bill = load("legacy-noversion/BILLSTATUS-114s1300.xml")
    assert bill.origin_chamber == "upper" and bill.sponsorships[0].ids == {"bioguide": "F000062"}
    assert [x.number for x in bill.laws] == ["114-70"] and stage(bill) == "enacted"
    # 21 cosponsors, 6 of them original
    cos = [s for s in bill.sponsorships if not s.primary]
    assert (len(cos), sum(bool(c.original) for c in cos)) == (21, 6)
    assert "<" not in bill.summary and "&lt;" not in bill.summary and "&nbsp;" not in bill.summary
    s469 = load("legacy-noversion/BILLSTATUS-114s469.xml")
    assert s469.policy_area == "Armed Forces and National Security" and stage(s469) == "in_committee"
    assert s469.committees == ["Veterans' Affairs Committee"]


# --- 1.0.0 ------------------------------------------------------------------------------------

def test_v1_help_referral_and_house_education():
    s2902 = load("v1-actions-committees/BILLSTATUS-116s2902.xml")
    assert s2902.committees == ["Health, Education, Labor, and Pensions Committee"]
    assert s2902.extras["committee_codes"] == ["sshr00"]
    assert [(a.classification, a.committee) for a in s2902.actions] == [
        (["introduction"], None),
        (["reading-1", "reading-2", "referral-committee"], "Health, Education, Labor, and Pensions Committee")]
    assert stage(s2902) == "in_committee"
    cos = s2902.sponsorships[1]
    assert (cos.ids, cos.original, cos.date) == ({"bioguide": "B001261"}, True, dt.date(2019, 11, 20))
    hr5177 = load("v1-actions-committees/BILLSTATUS-116hr5177.xml")
    assert hr5177.committees == ["Education and Labor Committee"] and hr5177.sponsorships[0].ids == {"bioguide": "B001281"}
    assert len(hr5177.sponsorships) == 8  # sponsor + 7 cosponsors
    assert [v.url for v in hr5177.versions] == ["https://www.govinfo.gov/content/pkg/BILLS-116hr5177ih/xml/BILLS-116hr5177ih.xml"]


def test_v1_hr1_dedup_and_votes():
    bill = load("v1-current/BILLSTATUS-117hr1.xml")
    # 63 items: 11 identical H11100 referrals (one per committee) + Intro-H/1000 + H37100/8000 -> 51
    assert len(bill.actions) == 51
    referral = next(a for a in bill.actions if a.code == "H11100")
    assert len(referral.extras["committees"]) == 11
    assert len(bill.committees) == 11 and len([s for s in bill.sponsorships if not s.primary]) == 222
    assert bill.sponsorships[0].ids == {"bioguide": "S001168"} and stage(bill) == "passed_origin"
    votes = votes_of(bill)
    assert [(c, r) for _, c, r in votes] == [("lower", "61"), ("lower", "62")]
    recommit, passage = (bill.actions[i] for i, _, _ in votes)
    assert recommit.classification == [] and recommit.extras["vote"]["result"] == "fail"
    assert passage.classification == ["passage"]
    # the vote is 2021-03-04 UTC, the action 2021-03-03 in Washington
    assert passage.date == dt.date(2021, 3, 3) and passage.extras["recorded_votes"][0]["date"] == "2021-03-04T04:05:36Z"


def test_v1_dev_file_presented_to_president():
    bill = load("v1-textVersions-dev/DEV-BILLSTATUS-115s3509.xml")
    assert bill.key == "us-115-s3509" and stage(bill) == "to_executive"
    # 13 items; copies: Senate passage (+17000), House passage (H37100+8000), presented (E20000+28000) -> 10
    assert len(bill.actions) == 10
    assert len(bill.versions) == 3 and len(bill.related_bills) == 8


# --- 3.0.0 ------------------------------------------------------------------------------------

def test_v3_votes_nested_in_actions_and_amendment_votes_left_out():
    bill = load("v3-future/BILLSTATUS-114hr5278.xml")
    # 6 <recordedVote> in the file: 2 on the bill's passage (House floor + LoC copy, roll 288), 4 on
    # amendments' own actions (not the bill's)
    assert [(c, r) for _, c, r in votes_of(bill)] == [("lower", "288")]
    # 43 items; copies: Intro-H/1000, 4x H11100 + H11100-A, H12200/5000, 3x H12300/5500, H37100/8000 -> 33
    assert len(bill.actions) == 33 and stage(bill) == "passed_origin"
    assert bill.sponsorships[0].ids == {"bioguide": "D000614"} and len(bill.sponsorships) == 3
    assert len(bill.committees) == 5 and "Education and Labor Committee" in bill.committees


def test_same_bill_in_v1_and_v3_gives_same_actions():
    v1 = load("v1-amendment-votes/BILLSTATUS-114hr5278.xml")
    v3 = load("v3-future/BILLSTATUS-114hr5278.xml")
    def view(b):
        return [(a.date, a.actor, a.classification, a.extras.get("recorded_votes")) for a in b.actions]
    assert view(v1) == view(v3)


def test_v3_hr6658_summary_html_reduced_to_text():
    bill = load("v3-future/BILLSTATUS-117hr6658.xml")
    assert bill.summary.startswith("Protecting Family and Small Business Tax Cuts Act of 2022\nThis bill makes permanent")
    assert "\n- lowers to $750,000" in bill.summary and "<" not in bill.summary
    assert bill.extras["summary_version"]["version_code"] == "00"
    assert len([s for s in bill.sponsorships if not s.primary]) == 111
    # 3 items: referral, Introduced (Intro-H and 1000) -> 2
    assert [a.classification for a in bill.actions] == [["introduction"], ["referral-committee"]]
    assert [v.url for v in bill.versions] == [
        "https://www.govinfo.gov/content/pkg/BILLS-117hr6658ih/xml/BILLS-117hr6658ih.xml"]  # empty <item> skipped
    assert [(r.key, r.relation_type) for r in bill.related_bills] == [("us-117-hr8214", "related"),
                                                                      ("us-117-hr8913", "related")]


def test_html_to_text_keeps_no_markup():
    assert html_to_text("<p><b>A</b> &amp; B</p><ul><li>one</li><li>two</li></ul><script>x()</script>") == "A & B\n- one\n- two"
    assert html_to_text("   ") is None


# --- withdrawn cosponsors, malformed input ------------------------------------------------------

def test_withdrawn_cosponsor_date():
    path = real_fixture("billstatus", "legacy-noversion", "BILLSTATUS-114s469.xml")
    data = path.read_bytes().replace(b"<sponsorshipWithdrawnDate />", b"<sponsorshipWithdrawnDate>2015-03-01</sponsorshipWithdrawnDate>", 1)
    bill = parse_bill(data, str(path))
    assert bill.sponsorships[1].withdrawn_date == dt.date(2015, 3, 1)
    assert bill.sponsorships[2].withdrawn_date is None


def _bad_inputs() -> dict[str, tuple[bytes, str | None, str]]:
    good = real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116s2902.xml").read_bytes()
    return {
        "truncated": (good[: len(good) // 2], None, "malformed XML"),
        "html": (b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", None, "HTML page"),
        "root": (b"<?xml version='1.0'?><billSummaries><item/></billSummaries>", None, "unknown root element <billSummaries>"),
        "nosponsor": (good.replace(b"<sponsors>", b"<x>").replace(b"</sponsors>", b"</x>"), "sponsorships", "no sponsor"),
        "reserved": (good.replace(b"<title>Strengthening Our Rural Health Workforce Act of 2019</title>",
                                  b"<title>Reserved for the Speaker.</title>"), "title", "reserved"),
    }


@pytest.mark.parametrize("case", ["truncated", "html", "root", "nosponsor", "reserved"])
def test_malformed_input_is_a_clear_error(case):
    data, field, words = _bad_inputs()[case]
    url = "https://www.govinfo.gov/bulkdata/BILLSTATUS/116/s/BILLSTATUS-116s2902.xml"
    err = parse_bill(data, url)
    assert isinstance(err, RecordError)
    assert err.source == url and err.record == "us-116-s2902" and err.field == field
    assert words in str(err)


@pytest.mark.parametrize("written", ["raw", "hex reference", "decimal reference"])
def test_private_use_separator_characters_never_split_a_field(written):
    """The extraction stylesheet separates fields with U+E000 and records with U+E001; a file
    holding them (however written) is read through the sanitizing stylesheet, as U+FFFD."""
    good = real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116s2902.xml").read_bytes()
    sep_field, sep_record = {"raw": ("\ue000".encode(), "\ue001".encode()),
                             "hex reference": (b"&#xE000;", b"&#x0e001;"),
                             "decimal reference": (b"&#57344;", b"&#57345;")}[written]
    data = good.replace(b"<title>Strengthening Our Rural",
                        b"<title>Strengthening" + sep_field + b"Our" + sep_record + b"Rural", 1)
    assert data != good
    assert may_hold_separators(data, "UTF-8") and not may_hold_separators(good, "UTF-8")
    bill = parse_bill(data, "BILLSTATUS-116s2902.xml")
    plain = parse_bill(good, "BILLSTATUS-116s2902.xml")
    assert isinstance(bill, BillIn), bill
    assert bill.title.startswith("Strengthening\ufffdOur\ufffdRural Health")
    # everything else reads as from the untouched file
    assert bill.model_dump(exclude={"title", "other_titles"}) == plain.model_dump(exclude={"title", "other_titles"})


def test_parsing_in_threads_gives_what_parsing_in_turn_gives():
    files = sorted((FIXTURES / "billstatus").glob("*/*.xml")) or [real_fixture("billstatus", "v3-future")]
    data = [(str(p), p.read_bytes()) for p in files] * 3
    expected = [parse_bill(d, n).model_dump_json() for n, d in data]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda item: parse_bill(item[1], item[0]).model_dump_json(), data))
    assert got == expected


def test_a_stylesheet_failure_is_a_clear_error(monkeypatch):
    import scrapers.formats.billstatus_extract as extract

    def fail(sanitize):
        def run(root):
            raise etree.XSLTApplyError("maximum template depth exceeded")
        return run
    monkeypatch.setattr(extract, "_transform", fail)
    monkeypatch.setattr(extract, "_cwalk", None)  # the stylesheet reads every document
    path = real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116s2902.xml")
    err = parse_bill(path.read_bytes(), str(path))
    assert isinstance(err, RecordError) and err.record == "us-116-s2902"
    assert "could not read the bill's fields: maximum template depth" in str(err)


def test_other_encodings_take_the_sanitizing_path():
    assert may_hold_separators(b"<billStatus/>", "ISO-8859-1")
    assert not may_hold_separators(b"<billStatus>&#233;</billStatus>", "utf-8")


def test_ingest_all_real_files_then_reingest_is_noop(engine):
    files = sorted((FIXTURES / "billstatus").glob("*/*.xml"))
    if not files:
        real_fixture("billstatus", "v3-future")
    # The two files of 114hr5278 and of 117hr6658 (1.0.0 and 3.0.0) are the same bills: 13 keys.
    bills = [parse_bill(p.read_bytes(), str(p)) for p in files if "v1-" not in p.parent.name
             or p.name not in ("BILLSTATUS-114hr5278.xml", "BILLSTATUS-117hr6658.xml")]
    ingest = Ingestor(engine, today=dt.date(2026, 11, 1))
    first = ingest.ingest(bills)
    assert first.summary() == {"insert": 13, "update": 0, "noop": 0, "error": 0}, first.errors
    second = ingest.ingest(bills)
    assert second.summary() == {"insert": 0, "update": 0, "noop": 13, "error": 0}
    with engine.connect() as conn:
        stages = dict(conn.execute(text("SELECT key, stage FROM bill")).all())
        n_actions = conn.execute(text("SELECT count(*) FROM bill_action ba JOIN bill b ON b.id = ba.bill_id "
                                      "WHERE b.key = 'us-114-hr22'")).scalar()
    assert n_actions == 251
    # enacted laws and adopted resolutions keep their stage; bills still pending when their
    # congress ended are dead
    assert {k: stages[k] for k in ("us-114-hr22", "us-114-s1300", "us-114-hconres70", "us-114-hres348",
                                   "us-114-hr5278", "us-117-hr1")} == {
        "us-114-hr22": "enacted", "us-114-s1300": "enacted", "us-114-hconres70": "adopted",
        "us-114-hres348": "adopted", "us-114-hr5278": "dead", "us-117-hr1": "dead"}


def test_malformed_files_store_nothing_and_the_rest_is_stored(engine):
    good = real_fixture("billstatus", "legacy-noversion", "BILLSTATUS-114s469.xml")
    items = [parse_bill(d, f"file:///bad/{name}/BILLSTATUS-116s2902.xml") for name, (d, _, _) in _bad_inputs().items()]
    items.append(parse_bill(good.read_bytes(), str(good)))
    report = Ingestor(engine, today=dt.date(2026, 11, 1)).ingest(items)
    assert report.summary() == {"insert": 1, "update": 0, "noop": 0, "error": 5}
    with engine.connect() as conn:
        assert [k for (k,) in conn.execute(text("SELECT key FROM bill"))] == ["us-114-s469"]


def test_import_walks_govinfo_zip_layout(engine, tmp_path):
    """GovInfo's bulk zips hold the XML files flat (BILLSTATUS-114-hr.zip); zips may nest."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        for name in ("BILLSTATUS-114hr22.xml", "BILLSTATUS-114hr2566.xml"):
            zf.writestr(name, real_fixture("billstatus", "legacy-noversion", name).read_bytes())
    outer = tmp_path / "BILLSTATUS-114.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("BILLSTATUS-114-hr.zip", inner.getvalue())
        zf.writestr("BILLSTATUS-114-s.zip", _zip({"BILLSTATUS-114s469.xml": real_fixture(
            "billstatus", "legacy-noversion", "BILLSTATUS-114s469.xml").read_bytes()}))
    import_plan = plan([outer])
    assert import_plan.unknown == []
    report = Ingestor(engine, today=dt.date(2026, 11, 1)).ingest(iter_records(import_plan))
    assert report.summary()["insert"] == 3
    assert sniff("x/BILLSTATUS-114hr22.xml", b"<!DOCTYPE html>")  # error pages under that name are reported


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
