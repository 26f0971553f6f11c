"""The GPO bill DTD reader on hand-made files (tests/text/billxml_sample.py: no real bill DTD file
is in ../shared/fixtures), detected by `edtracker import`, and hostile XML refused."""
from __future__ import annotations

from scrapers.formats import billxml
from scrapers.importer import plan
from tests.text.billxml_sample import bill_xml
from tracker.contract import BillTextIn, RecordError


def _one(data: bytes, name: str = "BILLS-117hr9901ih.xml"):
    [rec] = list(billxml.parse(data, f"/mirror/{name}"))
    return rec


def test_sections_heading_paths_and_appropriations_levels():
    rec = _one(bill_xml())
    assert isinstance(rec, BillTextIn), rec
    assert (rec.bill_key, rec.code, rec.name, str(rec.date), rec.format) == (
        "us-117-hr9901", "ih", "Introduced in House", "2021-03-04", "bill-xml")
    assert rec.url == "https://www.govinfo.gov/content/pkg/BILLS-117hr9901ih/xml/BILLS-117hr9901ih.xml"
    got = [(s.num, s.heading, s.path) for s in rec.sections]
    assert got == [
        ("Sec. 1.", "Short title", []),
        (None, "Education for the Disadvantaged", ["III — Department of Education"]),
        (None, "Education for the Disadvantaged (including transfer of funds)", ["III — Department of Education"]),
        (None, "Special Education", ["III — Department of Education"]),
        ("Sec. 302.", "Transfer authority", ["III — Department of Education"]),
    ]
    title1 = rec.sections[1]
    assert rec.text[title1.start:title1.end] == (
        "Education for the Disadvantaged\nFor carrying out title I of the Elementary and Secondary "
        "Education Act of 1965, $16,000,000,000, of which $10,841,177,000 shall become available on July 1, 2022.")
    sec = rec.sections[4]
    assert rec.text[sec.start:sec.end].split("\n") == [
        "Sec. 302. Transfer authority", "(a) In general The Secretary may transfer—",
        "(1) up to 1 percent of any appropriation; and", "(2) no more than 3 percent to any one account."]
    assert rec.text[rec.sections[0].start:rec.sections[0].end] == (
        "Sec. 1. Short title\nThis Act may be cited as the Schools Act.")


def test_version_code_from_bill_stage_when_the_file_name_says_nothing():
    assert _one(bill_xml(stage="Engrossed-in-House"), "anything.xml").code == "eh"
    assert _one(bill_xml(stage="Enrolled-Bill"), "x.xml").name == "Enrolled Bill"
    err = _one(bill_xml(stage="Mystery-Stage"), "x.xml")
    assert isinstance(err, RecordError) and "Mystery-Stage" in str(err) and "x.xml" in str(err)


def test_malformed_and_hostile_files_are_errors_naming_them():
    assert "not well-formed" in str(_one(bill_xml()[:900]))
    evil = (b'<?xml version="1.0"?><!DOCTYPE bill [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<bill bill-stage="Introduced-in-House"><form><congress>117th</congress>'
            b'<legis-num>H. R. 1</legis-num></form><legis-body>&x;</legis-body></bill>')
    err = _one(evil)
    assert isinstance(err, RecordError) and "refused XML" in str(err) and "BILLS-117hr9901ih.xml" in str(err)
    nobody = _one(bill_xml().replace(b"<legis-body", b"<other-body").replace(b"</legis-body>", b"</other-body>"))
    assert isinstance(nobody, RecordError) and "legis-body" in str(nobody)


def test_import_detects_bill_xml_and_not_uslm(tmp_path):
    (tmp_path / "BILLS-117hr9901ih.xml").write_bytes(bill_xml())
    steps = plan([tmp_path]).steps
    assert [(fmt, names) for _p, fmt, _f, (_t, names) in steps] == [("bill-xml", ["BILLS-117hr9901ih.xml"])]
    assert not billxml.sniff("h.xml", b'<?xml version="1.0"?><bill xmlns="http://schemas.gpo.gov/xml/uslm">')
