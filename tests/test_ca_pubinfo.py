"""The pubinfo reader on the real files of ../shared/fixtures/ca-pubinfo (parsing only; the store
is tested in test_ca_pubinfo_store.py)."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from scrapers.formats import all_formats
from scrapers.formats.base import DirTree
from scrapers.formats.ca_pubinfo import FORMAT, read_dumps
from scrapers.formats.ca_pubinfo_rows import split_fields
from scrapers.formats.ca_pubinfo_schema import TABLES
from scrapers.formats.caml import parse_caml
from scrapers.importer import plan
from tests.conftest import real_fixture
from tracker.actions.state import classify_state_action
from tracker.contract import BillIn, BillTextIn, LegislatorIn, RecordError, VoteEventIn
from tracker.jurisdictions.sessions import canonical_session


def records(folder: Path) -> list:
    tree = DirTree(folder)
    return list(FORMAT.parse_tree(tree, FORMAT.claim(tree)))


def dat_rows(folder: Path, table: str) -> list[list[str | None]]:
    return [f for _, f in split_fields((folder / f"{table}.dat").read_text(encoding="utf-8"))]


# --- the layout comes from the Counsel's own load scripts -------------------------------------

def load_script_columns(sql: str) -> tuple[list[str], str | None]:
    """Column order of a `LOAD DATA ... ( ... ) SET X=LOAD_FILE(...)` script; @var1 named by its SET."""
    body = sql[sql.index("(") + 1:]
    cols_text, rest = body.split(")", 1)
    cols = [c.strip() for c in cols_text.replace("\n", " ").split(",") if c.strip()]
    m = re.search(r"SET\s+(\w+)\s*=\s*LOAD_FILE", rest, re.I)
    lob = m.group(1).upper() if m else None
    return [lob if c.startswith("@") else c.upper() for c in cols], lob


def test_layout_transcription_matches_the_official_load_scripts():
    schema = real_fixture("ca-pubinfo", "schema")
    listed = {line.strip().upper() for line in (schema / "tables_uc.lst").read_text().splitlines() if line.strip()}
    assert listed == set(TABLES)
    for name, table in TABLES.items():
        cols, lob = load_script_columns((schema / f"{name.lower()}.sql").read_text())
        assert (list(table.columns), table.lob) == (cols, lob), name
    # and the DDL names the same columns (in its own order)
    ddl = (schema / "capublic.sql").read_text()
    for name, table in TABLES.items():
        block = re.search(rf"CREATE TABLE `capublic`\.`{name.lower()}`\s*\((.*?)\n\)", ddl, re.S).group(1)
        declared = {c.upper() for c in re.findall(r"^\s*`(\w+)`", block, re.M)}
        assert declared == set(table.columns), name


# --- rows ------------------------------------------------------------------------------------

def test_fields_quoted_with_tabs_line_ends_escapes_and_nulls():
    text = ("`a`\t12\tNULL\t`x\ty`\t`two\nlines`\t`it``s`\t`back\\\\slash \\n`\t\\N\n"
            "`b`\t\t`c`\n\n")
    rows = list(split_fields(text))
    assert rows[0] == (1, ["a", "12", None, "x\ty", "two\nlines", "it`s", "back\\slash \n", None])
    assert rows[1] == (3, ["b", "", "c"])


# --- the real dumps --------------------------------------------------------------------------

def test_every_bill_of_the_2025_dump_is_read():
    folder = real_fixture("ca-pubinfo", "2025-daily")
    items = records(folder)
    bills = [i for i in items if isinstance(i, BillIn)]
    bill_ids = [r[0] for r in dat_rows(folder, "BILL_TBL")]
    assert len(bills) == len(bill_ids) == 2546
    assert len({b.key for b in bills}) == 2546
    assert {b.extras["bill_id"] for b in bills} == set(bill_ids)
    kinds = Counter(type(i).__name__ for i in items)
    assert kinds["VoteEventIn"] == 130 and kinds["CommitteeIn"] == 63
    # 122 rows: one vacant seat (SD36), two members with a second row under an older spelling
    assert kinds["LegislatorIn"] == 119
    # The only bad rows of the real dump: history lines of SB 2510-2512, which BILL_TBL lacks.
    errors = [i for i in items if isinstance(i, RecordError)]
    assert [(Path(e.source).name, e.record, e.field) for e in errors] == [
        ("BILL_HISTORY_TBL.dat:5176", "202520260SB2510", "BILL_ID"),
        ("BILL_HISTORY_TBL.dat:5177", "202520260SB2511", "BILL_ID"),
        ("BILL_HISTORY_TBL.dat:5178", "202520260SB2512", "BILL_ID")]
    ab13 = next(b for b in bills if b.key == "ca-20252026-ab13")
    assert ab13.identifier == "AB 13" and ab13.origin_chamber == "lower" and ab13.bill_type == "bill"
    # no BILL_VERSION_TBL in this dump: the number stands in for the title, flagged as such
    assert ab13.title == "AB 13" and ab13.extras["placeholder_fields"] == ["title"]
    # BILL_VERSION_AUTHORS_TBL of its latest version (20250AB1398AMD): Assembly Member Ransom
    assert [(s.name, s.classification, s.primary) for s in ab13.sponsorships] == [("Ransom", "lead author", True)]
    assert ab13.sponsorships[0].ids == {"ca-name": "Ransom|lower|20252026"}


def test_extraordinary_session_bills_have_keys_of_their_own():
    items = records(real_fixture("ca-pubinfo", "2025-daily"))
    keys = {i.key: i for i in items if isinstance(i, BillIn)}
    sbx12 = keys["ca-20252026s1-sbx12"]
    assert (sbx12.session, sbx12.identifier, sbx12.stage) == ("20252026s1", "SBX1 2", "enacted")
    assert "ca-20252026-sb2" in keys and keys["ca-20252026-sb2"] is not sbx12
    # the Governor's message on signing SB X1 2 (VETO_MESSAGE_TBL and its lob) is a document of it
    # three analyses (linked: the dump has no analysis lobs) and the message, by date
    assert [d.note for d in sbx12.documents] == [
        "Senate Committee on Budget and Fiscal Review analysis", "Sen. Floor Analyses",
        "ASSEMBLY FLOOR ANALYSIS", "Governor's message"]
    msg = sbx12.documents[-1]
    assert msg.kind == "governor's message" and msg.text.startswith("To the Members of the California State Senate")
    assert str(msg.date) == "2025-02-07"
    sessions = {i.identifier: i for i in items if getattr(i, "kind", "") == "session"}
    assert sessions["20252026s1"].classification == "special"
    assert (str(sessions["20252026"].start_date), str(sessions["20252026"].end_date)) == ("2024-12-02", "2026-11-30")
    # the same bill from Open States and LegiScan gets the same key
    assert canonical_session("ca", "20252026 Special Session 1") == "20252026s1"
    from tracker.actions.legiscan import session_identifier
    assert session_identifier({"session_name": "2025-2026 1st Extraordinary Session", "year_start": 2025,
                               "year_end": 2026, "special": 1})[0] == "20252026s1"


def test_roll_call_member_votes_add_up_to_the_summary_row():
    folder = real_fixture("ca-pubinfo", "2025-daily")
    votes = [i for i in records(folder) if isinstance(i, VoteEventIn)]
    assert len(votes) == len(dat_rows(folder, "BILL_SUMMARY_VOTE_TBL"))
    assert sum(len(v.votes) for v in votes) == len(dat_rows(folder, "BILL_DETAIL_VOTE_TBL")) == 4372
    off = []
    for v in votes:
        tally = Counter(p.option for p in v.votes)
        assert (tally["yes"], tally["no"]) == (v.counts["yes"], v.counts["no"]), v.key
        if tally["not voting"] != v.counts["not voting"]:
            off.append(v.key)
            assert v.extras["member_counts"]["not voting"] == tally["not voting"]
    # The Counsel's summary says 0 abstaining where 3 and 2 members are recorded ABS (SB 26 in
    # Senate Business and Judiciary): the official tally is kept, the member count beside it.
    assert sorted(off) == ["ca-20252026-sb26-vote-cs42-20250303-1-147504",
                           "ca-20252026-sb26-vote-cs53-20250211-1-147857"]
    ab15 = next(v for v in votes if v.key == "ca-20252026-ab15-vote-cx18-20250304-1-147510")
    assert (ab15.chamber, ab15.organization, ab15.result, ab15.motion_classification) == (
        "lower", "Assembly Public Safety", "pass", ["committee-passage"])
    assert ab15.votes[0].voter_name == "Schultz" and ab15.votes[0].ids == {"ca-name": "Schultz|lower|20252026"}


def test_every_voter_is_named_in_legislator_tbl_or_reported():
    items = records(real_fixture("ca-pubinfo", "2025-daily"))
    legislators = [i for i in items if isinstance(i, LegislatorIn)]
    known = {v for leg in legislators for v in ([leg.ids["ca-name"]] if isinstance(leg.ids["ca-name"], str)
                                                else leg.ids["ca-name"])}
    unmatched = Counter()
    for v in (i for i in items if isinstance(i, VoteEventIn)):
        for p in v.votes:
            if p.ids:
                assert p.ids["ca-name"] in known
            else:
                unmatched[(v.chamber, p.voter_name)] += 1
    # "Weber" is Senator Akilah Weber Pierson under her former name: LEGISLATOR_TBL knows only the
    # new one, so these rows carry no id and go to name matching (and the quality report).
    assert unmatched == Counter({("upper", "Weber"): 4})
    avila = next(leg for leg in legislators if "Ávila Farías|lower|20252026" in leg.ids["ca-name"])
    assert sorted(avila.ids["ca-name"]) == ["Avila Farias|lower|20252026", "Ávila Farías|lower|20252026"]
    assert [(r.chamber, r.district) for r in avila.roles] == [("lower", "15")]


def test_1989_versions_with_their_caml_text():
    items = records(real_fixture("ca-pubinfo", "1989"))
    texts = {t.code: t for t in items if isinstance(t, BillTextIn)}
    assert set(texts) == {"19890ACR6596CHP", "19890SJR3195CHP", "19890SJR2796CHP", "19890SCR3997CHP",
                          "19890SB72994CHP"}
    sb729 = texts["19890SB72994CHP"]
    assert (sb729.bill_key, sb729.format, sb729.name, str(sb729.date)) == (
        "ca-19891990-sb729", "caml", "Chaptered", "1989-09-21")
    assert sb729.content.startswith('<?xml version="1.0"')
    assert [s.num for s in sb729.sections][:3] == ["SECTION 1.", "SEC. 1.5.", "SEC. 2."]
    first = sb729.sections[0]
    assert sb729.text[first.start:first.end].startswith("SECTION 1.\nSection 20200 of the Water Code is amended")
    bill = next(b for b in items if isinstance(b, BillIn) and b.key == "ca-19891990-sb729")
    assert bill.title == "Monterey Peninsula Water Management District."
    assert bill.laws[0].model_dump() == {"type": "chapter", "number": "585, Statutes of 1989"}
    assert bill.summary and bill.other_titles[0].title.startswith("An act to amend Section 20200")


def test_a_missing_lob_is_an_error_and_the_version_is_still_listed():
    folder = real_fixture("ca-pubinfo", "2025-mini")  # version rows without their lobs
    items = records(folder)
    errors = [e for e in items if isinstance(e, RecordError)]
    assert len(errors) == len(dat_rows(folder, "BILL_VERSION_TBL")) + 1  # + the governor's message lob
    e = next(e for e in errors if e.record == "20250AB83194CHP")
    assert Path(e.source).name == "BILL_VERSION_TBL.dat:10" and e.field == "BILL_XML"
    assert "BILL_VERSION_TBL_9506.lob is missing" in e.problem
    ab831 = next(b for b in items if isinstance(b, BillIn) and b.key == "ca-20252026-ab831")
    assert [v.note for v in ab831.versions] == ["Introduced", "Amended Senate", "Amended Senate",
                                                "Amended Senate", "Enrolled", "Chaptered"]
    assert ab831.title == "Gambling: operation of a contest or sweepstakes." and ab831.stage == "enacted"


def copy_dump(tmp_path: Path) -> Path:
    out = tmp_path / "dump"
    shutil.copytree(real_fixture("ca-pubinfo", "2025-daily"), out)
    for p in out.iterdir():
        p.chmod(0o644)
    return out


def rewrite_line(path: Path, line_no: int, edit) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line_no - 1] = edit(lines[line_no - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def test_bad_rows_name_file_line_and_column_and_the_rest_is_read(tmp_path):
    dump = copy_dump(tmp_path)
    rewrite_line(dump / "BILL_TBL.dat", 3, lambda s: s.rsplit("\t", 2)[0])          # two fields short
    rewrite_line(dump / "BILL_TBL.dat", 5, lambda s: s.replace("`SB`", "`XB`", 1))   # unknown measure type
    rewrite_line(dump / "BILL_DETAIL_VOTE_TBL.dat", 2, lambda s: s.replace("`AYE`", "`YEA`"))
    rewrite_line(dump / "BILL_HISTORY_TBL.dat", 10, lambda s: s.replace("`Assembly`", "`Capitol`"))
    (dump / "VETO_MESSAGE_TBL_1.lob").unlink()
    items = records(dump)
    errors = {(Path(e.source).name, e.field): e for e in items if isinstance(e, RecordError)}
    short = errors[("BILL_TBL.dat:3", "CURRENT_STATUS")]
    assert "17 fields where BILL_TBL has 19 columns" in short.problem and short.record == "202520260AB21"
    assert "unknown measure type 'XB'" in errors[("BILL_TBL.dat:5", "MEASURE_TYPE")].problem
    assert "unknown vote code 'YEA'" in errors[("BILL_DETAIL_VOTE_TBL.dat:2", "VOTE_CODE")].problem
    assert "unknown location 'Capitol'" in errors[("BILL_HISTORY_TBL.dat:10", "PRIMARY_LOCATION")].problem
    assert "VETO_MESSAGE_TBL_1.lob is missing" in errors[("VETO_MESSAGE_TBL.dat:1", "MESSAGE")].problem
    bills = [i for i in items if isinstance(i, BillIn)]
    assert len(bills) == 2546 - 2
    ab15 = next(v for v in items if isinstance(v, VoteEventIn) and v.key.startswith("ca-20252026-ab15-"))
    assert len(ab15.votes) == 8  # the row with the unknown code is left out, the others kept


def test_hearings_from_committee_hearing_tbl(tmp_path):
    """No real COMMITTEE_HEARING_TBL rows exist: two rows in the documented layout."""
    dump = tmp_path / "dump"
    dump.mkdir()
    base = real_fixture("ca-pubinfo", "2025-daily")
    shutil.copyfile(base / "LOCATION_CODE_TBL.dat", dump / "LOCATION_CODE_TBL.dat")
    (dump / "COMMITTEE_HEARING_TBL.dat").write_text(
        "`202520260AB13`\t`CX`\t23\t2025-03-19 13:30:00\t`CX23`\t`LEG_ESI`\t2025-03-01 10:00:00\n"
        "`202520260AB21`\t`CX`\t23\t2025-03-19 13:30:00\t`CX23`\t`LEG_ESI`\t2025-03-01 10:00:00\n"
        "`202520260SB33`\t`CS`\t44\tnot a date\t`CS44`\t`LEG_ESI`\t2025-03-01 10:00:00\n")
    items = records(dump)
    [hearing] = [i for i in items if getattr(i, "kind", "") == "hearing"]
    assert hearing.key == "ca-20252026-hearing-cx23-2025-03-19"
    assert (hearing.committee_key, hearing.committee_name) == ("ca-20252026-cx23", "Assembly Utilities and Energy")
    assert [b.bill_key for b in hearing.bills] == ["ca-20252026-ab13", "ca-20252026-ab21"]
    assert hearing.start.isoformat() == "2025-03-19T20:30:00+00:00"  # 1:30 pm in Sacramento
    [bad] = [i for i in items if isinstance(i, RecordError)]
    assert (Path(bad.source).name, bad.field) == ("COMMITTEE_HEARING_TBL.dat:3", "HEARING_DATE")


def test_import_plan_claims_the_dump():
    folder = real_fixture("ca-pubinfo", "2025-daily")
    steps = plan([str(folder)])
    assert [s[1] for s in steps.steps] == ["ca-pubinfo"] and steps.unknown == []
    assert any(f.name == "ca-pubinfo" for f in all_formats())


def test_import_reads_the_zip_as_published(tmp_path):
    import zipfile

    from scrapers.importer import iter_records

    folder = real_fixture("ca-pubinfo", "1989")
    archive = tmp_path / "pubinfo_1989.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, p.name)
    items = list(iter_records(plan([str(archive)])))
    assert Counter(getattr(i, "kind", "error") for i in items) == {"session": 1, "bill": 5, "bill_text": 5}
    text = next(i for i in items if getattr(i, "kind", "") == "bill_text")
    assert text.source.url.startswith("https://leginfo.legislature.ca.gov/")  # not the zip's path


def test_only_bills_changed_since_a_stamp():
    import datetime as dt

    tree = DirTree(real_fixture("ca-pubinfo", "2025-daily"))
    stats: dict = {}
    items = list(read_dumps(tree, tree.names(), since=dt.datetime(2025, 3, 7, 12), stats=stats))
    bills = [i for i in items if isinstance(i, BillIn)]
    assert stats["newest_change"] > dt.datetime(2025, 3, 7, 12)
    assert 0 < len(bills) < 200
    assert all(any(a.date >= dt.date(2025, 3, 6) for a in b.actions) or b.sponsorships for b in bills)


@pytest.mark.parametrize("text,expected", [
    ("Introduced. Read first time. To Com. on RLS. for assignment. To print.", ["introduction", "reading-1"]),
    ("Introduced. Referred to Com. on RLS.", ["introduction", "reading-1", "referral-committee"]),
    ("From committee with author's amendments. Read second time and amended. Re-referred to Com. on B. & F.R.",
     ["reading-2", "amendment-passage", "referral-committee"]),
    ("From committee: Amend, and do pass as amended and re-refer to Com. on APPR. (Ayes 7. Noes 0.) (March 3).",
     ["committee-passage-favorable", "referral-committee"]),
    ("From committee: Be ordered to second reading pursuant to Senate Rule 28.8.", ["committee-passage"]),
    ("Read. Adopted. (Ayes 36. Noes 0. Page 12.) Ordered to the Assembly.", ["passage"]),
    ("Adopted and to Senate.", ["passage"]),
    ("Withdrawn from committee.", ["discharge"]),
    ("Enrolled and filed with the Secretary of State at 4 p.m.", ["enrolled"]),
    ("In committee: Set, first hearing. Failed passage.", ["committee-failure"]),
    ("Died at Desk.", ["failure"]),
])
def test_ca_action_rules(text, expected):
    assert classify_state_action("ca", text) == expected


def test_caml_rendering_keeps_counsels_spacing():
    doc = parse_caml(real_fixture("ca-pubinfo", "lobs", "bill_version_amended.lob").read_bytes())
    assert doc.version_id == "20250AB__007699INT" and doc.subject.startswith("Surplus land")
    assert "(a) (1) “Local agency” means" in doc.text
