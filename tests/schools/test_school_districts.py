"""School districts on the real files: the NCES EDGE relationship file (xlsx) and the OCD NCES
mapping, with congress-legislators' current House members; import counts, re-import noop,
bad files named and skipped, crosswalks, a newer vintage replacing an older one."""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pytest
import yaml
from sqlmodel import Session, select
from typer.testing import CliRunner

from scrapers.importer import load_tables, plan
from tests.conftest import real_fixture
from tests.people import real_data
from tracker.models import Legislator, LegislatorRole, SchoolDistrict, SchoolDistrictOverlap
from tracker.schools.service import UnknownDistrict, detail

GRF = ("school-districts", "grf22_lea_cd.xlsx")
MAPPING = ("ocd-division-ids", "us_school_district_nces_mapping.csv")


def tables(engine, *paths):
    return load_tables(plan(paths), engine)


def house_holders(state: str) -> dict[str, str]:
    """district number -> bioguide key of the current member, read from congress-legislators itself."""
    people = yaml.safe_load(real_fixture("congress-legislators", "legislators-current.yaml").read_text())
    out = {}
    for p in people:
        term = p["terms"][-1]
        if term["type"] == "rep" and term["state"] == state.upper():
            out["AL" if term["district"] == 0 else str(term["district"])] = "bioguide:" + p["id"]["bioguide"]
    return out


def house(d):
    return [r for r in d.representation if r.level == "us_house"]


@pytest.fixture
def real(engine):
    counts, errors = tables(engine, real_fixture(*GRF), real_fixture(*MAPPING))
    real_data.congress(engine)
    return engine, counts, errors


def test_real_relationship_file_gives_each_part_its_current_member(real):
    engine, counts, errors = real
    # Two Michigan rows are Great Lakes water outside every district (26ZZ): skipped, not errors.
    assert errors == [] and counts["files"] == 2 and counts["insert"] > 16000
    with Session(engine) as db:
        jcps = detail(db, "2102990", on=real_data.TODAY)
        assert jcps.district.name == "Jefferson County School District" and jcps.district.state == "ky"
        assert jcps.district.ocd_id.endswith("county:jefferson/school_district:jefferson_county")
        assert jcps.district.county == "Jefferson"
        ky = house_holders("ky")
        assert sorted(r.district for r in house(jcps)) == ["3", "4"]
        for r in house(jcps):
            assert [m.key for m in r.members] == [ky[r.district]]
        assert jcps.boundaries == ["cd116"]
        assert abs(sum(r.share for r in house(jcps)) - 1) < 1e-6
        assert max(house(jcps), key=lambda r: r.share).district == "3"   # Louisville is mostly KY-3
        senate = [r for r in jcps.representation if r.level == "us_senate"]
        assert len(senate) == 1 and len(senate[0].members) == 2 and senate[0].share == pytest.approx(1)

        lausd = detail(db, "0622710", on=real_data.TODAY)
        ca = house_holders("ca")
        assert len(house(lausd)) == 13
        for r in house(lausd):
            assert [m.key for m in r.members] == [ca[r.district]], r.district
        assert abs(sum(r.share for r in house(lausd)) - 1) < 1e-6

        # An interstate district: NCES lists its New Hampshire and Vermont parts as two LEAs.
        nh = detail(db, "3333009", on=real_data.TODAY)
        assert [r.district for r in house(nh)] == ["2"] and [o.leaid for o in nh.other_states] == ["5000024"]
        vt = detail(db, "5000024", on=real_data.TODAY)
        assert [(r.state, r.district) for r in house(vt)] == [("vt", "AL")]
        assert [m.key for m in house(vt)[0].members] == [house_holders("vt")["AL"]]
        assert "3333009" in [o.leaid for o in vt.other_states]

        with pytest.raises(UnknownDistrict):
            detail(db, "9999999", on=real_data.TODAY)

    again, errors = tables(engine, real_fixture(*GRF), real_fixture(*MAPPING))
    assert errors == [] and again["insert"] == again["update"] == again["delete"] == 0 and again["noop"] > 30000


def test_bad_files_are_named_and_skipped_the_rest_is_stored(engine, tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"xl/ not really a zip")
    (tmp_path / "entities.xlsx").write_bytes(_xlsx_with_entity())
    (tmp_path / "grf.csv").write_text("LEAID,NAME_LEA22,STCD116,COUNT,LANDAREA,WATERAREA\n"
                                      "2102990,Jefferson County School District,2103,2,300,1\n"
                                      "2102990,Jefferson County School District,2104,2,not-a-number,1\n"
                                      "0622710,Los Angeles Unified School District,0634,1,700,3\n"
                                      "12AB,Nowhere,0101,1,1,1\n")
    counts, errors = tables(engine, tmp_path)
    text = [str(e) for e in errors]
    assert any("broken.xlsx" in t and "not an .xlsx" in t for t in text), text
    assert any("entities.xlsx" in t and "refused" in t for t in text), text
    assert any("grf.csv" in t and "line 3" in t and "LANDAREA" in t and "2102990" in t for t in text), text
    assert any("grf.csv" in t and "line 5" in t and "LEAID" in t for t in text), text
    with Session(engine) as db:
        stored = {s.leaid: s for s in db.exec(select(SchoolDistrict)).all()}
        parts = db.exec(select(SchoolDistrictOverlap)).all()
    # Jefferson's good row is not stored alone: its share would be wrong without its bad row.
    assert set(stored) == {"0622710"} and [(p.state, p.district, p.share) for p in parts] == [("ca", "34", 1.0)]
    assert counts["files"] == 1


def _xlsx_with_entity() -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&x;</workbook>')
    return buf.getvalue()


def test_newer_boundaries_replace_older_and_older_do_not_come_back(engine, tmp_path):
    old = tmp_path / "old" / "grf.csv"
    new = tmp_path / "new" / "grf.csv"
    old.parent.mkdir(), new.parent.mkdir()
    old.write_text("LEAID,NAME_LEA22,STCD116,LANDAREA,WATERAREA\n2102990,Jefferson County School District,2103,300,0\n"
                   "2102990,Jefferson County School District,2104,100,0\n")
    new.write_text("LEAID,NAME_LEA24,STCD118,LANDAREA,WATERAREA\n2102990,Jefferson County School District,2103,380,0\n"
                   "2102990,Jefferson County School District,2102,20,0\n")
    tables(engine, old)
    counts, errors = tables(engine, new)
    assert errors == [] and counts["delete"] == 1 and counts["insert"] == 1 and counts["update"] == 1

    def parts():
        with Session(engine) as db:
            return sorted((p.district, p.share, p.vintage) for p in db.exec(select(SchoolDistrictOverlap)))
    assert parts() == [("2", 0.05, "cd118"), ("3", 0.95, "cd118")]
    counts, _ = tables(engine, old)
    assert parts() == [("2", 0.05, "cd118"), ("3", 0.95, "cd118")] and counts["insert"] == 0


def test_state_crosswalk_gives_state_legislators_and_a_part_across_a_state_line(engine, tmp_path):
    real_data.states(engine, "ky")
    cw = tmp_path / "ky_sld_crosswalk.csv"
    cw.write_text("leaid,chamber,district,land_area,state,vintage\n"
                  "2102990,upper,33,150,,sld2022\n2102990,upper,35,250,,sld2022\n"
                  "2102990,lower,41,400,,sld2022\n"
                  "2102990,lower,1,0,in,sld2022\n")
    counts, errors = tables(engine, cw)
    assert errors == [] and counts["insert"] == 5   # the district and its four parts
    with Session(engine) as db:
        d = detail(db, "2102990", on=real_data.TODAY)
        upper = [r for r in d.representation if r.level == "state_upper"]
        assert [(r.district, r.share) for r in upper] == [("35", 0.625), ("33", 0.375)]
        holder = db.exec(select(Legislator).join(LegislatorRole, LegislatorRole.legislator_id == Legislator.id)
                         .where(LegislatorRole.jurisdiction_id == "ky", LegislatorRole.chamber == "upper",
                                LegislatorRole.district == "35")).all()
        assert [m.key for m in upper[0].members] == sorted({p.key for p in holder}) and holder
        across = [r for r in d.representation if r.state == "in"]
        assert [(r.level, r.district, r.tracked) for r in across] == [("state_lower", "1", False)]


def test_past_members_are_listed_apart_from_current_ones(engine, tmp_path):
    real_data.congress(engine)
    grf = tmp_path / "grf.csv"
    grf.write_text("LEAID,NAME_LEA22,STCD116,LANDAREA,WATERAREA\n2102990,Jefferson County School District,2103,1,0\n")
    tables(engine, grf)
    real_data.hand(engine, [{"type": "legislator", "key": "bioguide:Y000062", "name": "John Yarmuth",
                             "roles": [{"jurisdiction": "us", "chamber": "lower", "district": "KY-3",
                                        "division_id": "ocd-division/country:us/state:ky/cd:3",
                                        "start_date": "2007-01-03", "end_date": "2023-01-03"}],
                             "source": real_data.SRC},
                            {"type": "legislator", "key": "bioguide:N000001", "name": "Anne Northup",
                             "roles": [{"jurisdiction": "us", "chamber": "lower", "district": "KY-3",
                                        "division_id": "ocd-division/country:us/state:ky/cd:3",
                                        "start_date": "1997-01-03", "end_date": "2007-01-03"}],
                             "source": real_data.SRC}])
    with Session(engine) as db:
        (ky3,) = house(detail(db, "2102990", on=real_data.TODAY))
    # Only who served in the 116th Congress (the boundaries' own): KY-3 before 2019 was another map.
    assert [p.name for p in ky3.past] == ["John Yarmuth"] and ky3.past[0].end_date == dt.date(2023, 1, 3)
    assert "bioguide:Y000062" not in [m.key for m in ky3.members] and len(ky3.members) == 1


def test_cli_import_and_show(db_url, tmp_path, monkeypatch):
    from cli.main import app
    monkeypatch.setenv("EDTRACKER_DATABASE_URL", db_url)
    from tracker.settings import get_settings
    get_settings.cache_clear() if hasattr(get_settings, "cache_clear") else None
    grf = tmp_path / "grf.csv"
    grf.write_text("LEAID,NAME_LEA22,STCD116,LANDAREA,WATERAREA\n2102990,Jefferson County School District,2103,3,0\n"
                   "2102990,Jefferson County School District,2104,1,0\n")
    runner = CliRunner()
    out = runner.invoke(app, ["import", str(grf)])
    assert out.exit_code == 0, out.output
    assert "school district tables: files=1 insert=3 update=0 noop=0 delete=0" in out.output
    out = runner.invoke(app, ["import", str(grf)])
    assert "files=1 insert=0 update=0 noop=3 delete=0" in out.output
    shown = runner.invoke(app, ["districts", "show", "2102990", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert [(r["district"], r["share"]) for r in data["representation"] if r["level"] == "us_house"] == [
        ("3", 0.75), ("4", 0.25)]
    missing = runner.invoke(app, ["districts", "show", "9999999"])
    assert missing.exit_code == 1 and "9999999" in missing.output
