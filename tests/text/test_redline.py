"""The redline between versions on the real files, checked against what a person reads by eye."""
from __future__ import annotations

import json

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from tracker.bills.redline import Section, redline
from tracker.bills.texts import TextNotFound, bill_diff, bill_text


def _changed(view):
    return [s for s in view.sections if s.status != "same"]


def _edits(section):
    return [(r.kind, r.text.strip()) for r in section.runs if r.kind != "same"]


def test_hjres107_three_versions_carry_the_same_resolution(text_store):
    # Engrossed, received in the Senate, enrolled: the same two sections word for word (only the
    # attestation, the slug line and a page break differ, none of them the resolution's text).
    with Session(text_store) as db:
        for a, b in (("eh", "rds"), ("rds", "enr"), ("eh", "enr")):
            view = bill_diff(db, "us-116-hjres107", a, b)
            assert view.counts == {"same": 2, "changed": 0, "added": 0, "removed": 0}, (a, b)
        text = bill_text(db, "us-116-hjres107", "enr")
    assert "inserting “December 20, 2020”" in text.sections[0].runs[0].text
    assert text.sections[1].runs[0].text.endswith("“Further Additional Continuing Appropriations Act, 2021”.")


def test_hr2157_introduced_to_enrolled(text_store):
    with Session(text_store) as db:
        view = bill_diff(db, "us-116-hr2157", "ih", "enr")
    by = {(tuple(s.path[-1:]), s.heading): s for s in view.sections if s.heading}
    edu = by[(("DEPARTMENT OF EDUCATION",), "Hurricane Education Recovery (including Transfer of Funds)")]
    assert edu.status == "changed"
    edits = _edits(edu)
    # the money stays, its availability moves a year and the purpose is written out
    assert ("del", "2019:") in edits and ("ins", "2020, for assisting in meeting the educational needs of "
                                                 "individuals affected by a covered disaster or emergency:") in edits
    flood = by[(("DEPARTMENT OF THE ARMY",), "Flood Control and Coastal Emergencies")]
    assert ("del", "$510,000,000,") in _edits(flood) and ("ins", "$1,000,000,000,") in _edits(flood)
    added = {s.heading for s in view.sections if s.status == "added"}
    removed = {s.heading for s in view.sections if s.status == "removed"}
    assert "Payments to States for the Child Care and Development Block Grant" in added
    assert {"Social Services Block Grant", "Health Surveillance and Program Support", "Electricity Delivery"} <= removed
    assert view.counts["changed"] + view.counts["same"] + view.counts["removed"] == 76  # every ih section once


def test_ny_s609_to_s609a(text_store):
    """S609A drops section 2 (continuing education hours, §444-f) and the third subdivision of
    §444-l; sections 3 and 4 become 2 and 3; section 1 only reflows."""
    with Session(text_store) as db:
        view = bill_diff(db, "ny-2017-s609", "original", "A")
    assert [s.status for s in view.sections] == ["same", "removed", "changed", "changed"]
    assert "444-f" in view.sections[1].runs[0].text
    dropped = " ".join(t for k, t in _edits(view.sections[2]) if k == "del")
    assert "COMPUTER BASED DISTANCE LEARNING PROGRAMS" in dropped
    assert _edits(view.sections[3]) == [("del", "4."), ("ins", "3.")]


def test_ca_ab2302_introduced_and_chaptered_have_the_same_text(text_store):
    # AB 2302 was chaptered as introduced: only the lob's history and chapter number changed
    with Session(text_store) as db:
        view = bill_diff(db, "ca-20232024-ab2302", "20230AB230299INT", "20230AB230297CHP")
        one = bill_text(db, "ca-20232024-ab2302", "20230ab230297chp")  # codes are not case-sensitive
    assert view.counts == {"same": 2, "changed": 0, "added": 0, "removed": 0}
    assert [s.num for s in one.sections] == ["SECTION 1.", "SEC. 2."] and not one.marked
    assert one.sections[0].heading == ("Section 54953 of the Government Code, as amended by Section 1 of Chapter 534 "
                                       "of the Statutes of 2023, is amended to read:")


def test_unknown_versions_and_bills_are_named(text_store):
    with Session(text_store) as db:
        with pytest.raises(TextNotFound, match="no text version 'xx'; stored: eh, rds, enr|stored: rds, eh, enr"):
            bill_diff(db, "us-116-hjres107", "eh", "xx")
        with pytest.raises(TextNotFound, match="no bill 'us-1-hr1'"):
            bill_text(db, "us-1-hr1")


def test_word_runs_and_renumbered_sections_by_hand():
    old = [Section("1", None, [], "Section 1. The sum of $10 is hereby appropriated."),
           Section("2", None, [], "Section 2. Teachers shall be paid monthly."),
           Section("3", None, [], "Section 3. This act shall take effect immediately.")]
    new = [Section("1", None, [], "Section 1. The sum of $12 is hereby appropriated for schools."),
           Section("2", None, [], "Section 2. This act shall take effect immediately.")]
    out = redline(old, new)
    assert [c.status for c in out] == ["changed", "removed", "changed"]
    assert [(k, t.strip()) for k, t in out[0].runs if k != "same"] == [
        ("del", "$10"), ("ins", "$12"), ("del", "appropriated."), ("ins", "appropriated for schools.")]


def test_cli_diff_marks_without_colour(app_env):
    from cli.main import app
    from tests.conftest import real_fixture
    from tests.text.conftest import store_bills
    from tracker.db import get_engine
    store_bills(get_engine(app_env))
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(real_fixture("bill-text"))]).exit_code == 0
    out = runner.invoke(app, ["bills", "diff", "us-116-hr2157", "ih", "enr"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == "us-116-hr2157 ih -> enr: 38 changed, 13 added, 11 removed, 27 unchanged sections"
    assert "[- $510,000,000,-]{+ $1,000,000,000,+}" in out.stdout
    as_json = json.loads(runner.invoke(app, ["bills", "diff", "ny-2017-s609", "original", "A", "--json"]).stdout)
    assert as_json["counts"] == {"same": 1, "changed": 2, "added": 0, "removed": 1}
    # the money command: a version's amounts, their changes against an older one, a missing version
    money = runner.invoke(app, ["bills", "money", "us-116-hr2157", "--version", "enr", "--compare", "ih"])
    assert money.exit_code == 0, money.output
    assert money.stdout.splitlines()[0] == "us-116-hr2157 ih -> enr"
    assert any("$125,000,000 -> $435,000,000" in line and "(+248.0%)" in line for line in money.stdout.splitlines())
    items = json.loads(runner.invoke(app, ["bills", "money", "us-116-hr2157", "--version", "enr", "--json"]).stdout)
    assert items["version"]["code"] == "enr" and items["items"]
    missing = runner.invoke(app, ["bills", "money", "us-116-hr2157", "--version", "zz"])
    assert missing.exit_code == 1 and "no text version 'zz'" in missing.output


def test_anchored_alignment_reads_like_the_full_one(monkeypatch, text_store):
    """Labels and identical texts matched first, gaps aligned pair by pair: H.R. 2157 reads the
    same as with the full quadratic alignment; a huge gap is paired in order."""
    from tracker.bills import redline as rl
    with Session(text_store) as db:
        quick = bill_diff(db, "us-116-hr2157", "ih", "enr")
        monkeypatch.setattr(rl, "ANCHOR_ABOVE", 10**9)
        full = bill_diff(db, "us-116-hr2157", "ih", "enr")
        monkeypatch.setattr(rl, "ANCHOR_ABOVE", 10)
        monkeypatch.setattr(rl, "MAX_PAIRS", 1)
        same = bill_diff(db, "us-116-hr264", "eh", "pcs")
        ordered = bill_diff(db, "ny-2017-s609", "original", "A")
    edu = [s for s in quick.sections if s.heading == "Hurricane Education Recovery (including Transfer of Funds)"]
    assert [s.status for s in edu] == ["changed"]
    assert same.counts == {"same": 221, "changed": 0, "added": 0, "removed": 0}
    assert quick.counts == full.counts
    assert sum(ordered.counts.values()) >= 4  # every section of both versions is listed


def test_california_version_shows_counsels_own_marks(engine):
    from tests import factories as f
    from tests.conftest import real_fixture
    from tests.text.conftest import import_texts
    from tracker.contract import build_any
    from tracker.ingest import Ingestor
    ingest = Ingestor(engine)
    ingest.ingest_one(build_any(f.bill(jurisdiction="ca", session="20252026", identifier="AB 76", actions=[],
                                       sponsorships=[], versions=[])))
    assert import_texts(ingest, real_fixture("ca-pubinfo", "lobs", "bill_version_amended.lob")).summary()["insert"] == 1
    with Session(engine) as db:
        view = bill_text(db, "ca-20252026-ab76")
    assert view.marked
    marked = [s for s in view.sections if s.status == "marked"]
    edits = [(r.kind, r.text.strip()) for s in marked for r in s.runs if r.kind != "same" and r.text.strip()]
    assert ("del", "area.") in edits
    assert ("ins", "that are not designated for students, faculty, or staff of an academic institution") in edits
    assert ("ins", "area and inclusive of housing designated for students, faculty, and staff of an academic "
                   "institution.") in edits
