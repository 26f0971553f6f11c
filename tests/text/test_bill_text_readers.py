"""Bill text readers on the real files (USLM, CAML lobs, NY OpenLegislation, LegiScan), stored
idempotently, and hostile XML refused like every XML input."""
from __future__ import annotations

import json

from sqlmodel import Session, select
from typer.testing import CliRunner

from cli.main import app
from scrapers.formats import caml_file, uslm
from tests.conftest import real_fixture
from tests.text.conftest import import_texts, store_bills
from tracker.contract import BillTextIn, RecordError
from tracker.models import BillText

runner = CliRunner()


def _one(fmt, *parts):
    path = real_fixture(*parts)
    [rec] = list(fmt.parse(path.read_bytes(), str(path)))
    return rec


def test_uslm_appropriations_keep_their_heading_path():
    rec = _one(uslm, "bill-text", "uslm", "h2157_enr.XML")
    assert isinstance(rec, BillTextIn), rec
    assert (rec.bill_key, rec.code, rec.name) == ("us-116-hr2157", "enr", "Enrolled Bill")
    by_heading = {s.heading: s for s in rec.sections if s.heading}
    edu = by_heading["Hurricane Education Recovery (including Transfer of Funds)"]
    assert edu.path == ["TITLE VIII — DEPARTMENT OF LABOR", "DEPARTMENT OF EDUCATION"]
    body = rec.text[edu.start:edu.end]
    assert body.startswith("Hurricane Education Recovery") and "$165,000,000, to remain available through September 30, 2020" in body
    ccdbg = by_heading["Payments to States for the Child Care and Development Block Grant"]
    assert ccdbg.path[-2:] == ["DEPARTMENT OF HEALTH AND HUMAN SERVICES", "Administration for Children and Families"]
    sec = next(s for s in rec.sections if s.num == "Sec. 802.")
    assert sec.path == ["TITLE VIII — DEPARTMENT OF LABOR"] and "Social Security Act" in rec.text[sec.start:sec.end]


def test_uslm_versions_codes_names_and_dates():
    got = {(r.code, r.name, str(r.date)) for r in (
        _one(uslm, "bill-text", "uslm", n) for n in ("hj107_eh.XML", "HJ107_RDS.XML", "hj107_enr.XML"))}
    assert got == {("eh", "Engrossed in House", "2020-12-18"), ("rds", "Received in Senate", "2020-12-18"),
                   ("enr", "Enrolled Bill", "None")}


def test_caml_lob_on_its_own_and_counsels_marks_kept():
    rec = _one(caml_file, "bill-text", "ca-ab2302", "20230AB230297CHP.lob")
    assert (rec.bill_key, rec.code, rec.name, str(rec.date)) == (
        "ca-20232024-ab2302", "20230AB230297CHP", "Chaptered", "2024-09-22")
    assert [s.num for s in rec.sections] == ["SECTION 1.", "SEC. 2."]
    amended = _one(caml_file, "ca-pubinfo", "lobs", "bill_version_amended.lob")
    marks = [m for s in amended.sections for m in s.marks]
    deleted = [m.text.strip() for m in marks if m.kind == "del"]
    inserted = [amended.text[m.start:m.end] for m in marks if m.kind == "ins" and m.end - m.start > 1]
    assert deleted == ["area."]
    assert inserted[0] == "that are not designated for students, faculty, or staff of an academic institution"
    # the plain text is the amended text: inserted words in, deleted words out
    assert "planning area and inclusive of housing" in amended.text and "planning area." not in amended.text


def test_hostile_xml_is_refused_naming_the_file(tmp_path):
    entity = (b'<?xml version="1.0"?><!DOCTYPE bill [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              b'<bill xmlns="http://schemas.gpo.gov/xml/uslm"><main>&x;</main></bill>')
    laughs = (b'<?xml version="1.0"?><!DOCTYPE bill [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
              b'<bill xmlns="http://schemas.gpo.gov/xml/uslm"><main>&b;</main></bill>')
    deep = (b'<bill xmlns="http://schemas.gpo.gov/xml/uslm"><main>' + b"<section>" * 5000
            + b"</section>" * 5000 + b"</main></bill>")
    huge = (b'<bill xmlns="http://schemas.gpo.gov/xml/uslm"><main><section><content>'
            + b"x" * 11_000_000 + b"</content></section></main></bill>")
    caml = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "/dev/zero">]><caml:MeasureDoc '
            b'xmlns:caml="http://lc.ca.gov/legalservices/schemas/caml.1#">&e;</caml:MeasureDoc>')
    for name, data, fmt in (("e.xml", entity, uslm), ("l.xml", laughs, uslm), ("d.xml", deep, uslm),
                            ("h.xml", huge, uslm), ("c.lob", caml, caml_file)):
        [err] = list(fmt.parse(data, name))
        assert isinstance(err, RecordError) and err.source == name, (name, err)
        assert "refused" in str(err) or "not well-formed" in str(err) or "not a CAML" in str(err), str(err)
    assert "/etc/passwd" not in str(list(uslm.parse(entity, "e.xml"))[0]).replace("file:///etc/passwd", "")


def test_all_text_fixtures_stored_then_reimport_is_noop(engine):
    ingest = store_bills(engine)
    first = import_texts(ingest, real_fixture("bill-text"))
    # 7 USLM versions, 2 CAML lobs, NY S609 (bill + 2 texts)
    assert first.summary() == {"insert": 12, "update": 0, "noop": 0, "error": 0}
    assert import_texts(ingest, real_fixture("bill-text")).summary() == {"insert": 0, "update": 0, "noop": 12,
                                                                         "error": 0}
    with Session(engine) as db:
        codes = sorted(db.exec(select(BillText.version_code)).all())
    assert codes == ["20230AB230297CHP", "20230AB230299INT", "A", "eh", "eh", "enr", "enr", "ih", "original",
                     "pcs", "rds"]


def test_legiscan_text_needs_its_bill_then_finds_it_by_legiscan_id(engine):
    from tests import factories as f
    from tracker.contract import build_any
    ingest = store_bills(engine)
    report = import_texts(ingest, real_fixture("legiscan", "text"))
    assert report.summary()["error"] == 1
    assert "bill legiscan:231132 is not stored" in str(report.errors[0])
    bill = f.bill(jurisdiction="ca", session="20112012", identifier="SB 151", actions=[], sponsorships=[],
                  versions=[], extras={"legiscan_bill_id": 231132})
    assert ingest.ingest_one(build_any(bill)).outcome == "insert"
    again = import_texts(ingest, real_fixture("legiscan", "text"))
    assert again.summary() == {"insert": 1, "update": 0, "noop": 0, "error": 0}
    with Session(engine) as db:
        row = db.exec(select(BillText)).all()
    [t] = [r for r in row if r.version_code == "legiscan-100932"]
    assert t.format == "html" and t.version_name == "Introduced" and str(t.date) == "2011-02-01"
    assert [s["num"] for s in t.sections] == ["Section 1", "Section 2", "Section 3", "Section 4", "Section 5"]


def test_cli_import_then_show_lists_codes_and_text_prints_sections(app_env):
    from sqlmodel import create_engine  # noqa: F401 - the CLI opens its own engine
    from tracker.db import get_engine
    store_bills(get_engine(app_env))
    out = runner.invoke(app, ["import", str(real_fixture("bill-text")), "--json"])
    assert out.exit_code == 0, out.output
    shown = json.loads(runner.invoke(app, ["bills", "show", "us-116-hjres107", "--json"]).stdout)
    listed = [(v["code"], v["stored"]) for v in shown["text_versions"]]
    assert set(listed[:2]) == {("eh", True), ("rds", True)} and listed[2] == ("enr", True)  # enr: undated
    text = runner.invoke(app, ["bills", "text", "us-116-hr2157", "--version", "ih"])
    assert text.exit_code == 0, text.output
    # in the introduced bill Labor-HHS-Education is title VII (VIII once enrolled)
    assert "== TITLE VII — DEPARTMENT OF LABOR / DEPARTMENT OF EDUCATION / Hurricane Education Recovery" in text.stdout
    assert "$165,000,000, to remain available through September 30, 2019" in text.stdout
    missing = runner.invoke(app, ["bills", "text", "us-116-hr2157", "--version", "zz"])
    assert missing.exit_code == 1 and "no text version 'zz'; stored: ih, enr" in missing.output
