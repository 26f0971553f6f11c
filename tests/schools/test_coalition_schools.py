"""Coalition members placed in school districts by the coalition file: "our schools are
represented by ..." lists the current members of the seats holding part of those districts."""
from __future__ import annotations

import pytest
import yaml
from sqlmodel import Session, select

from scrapers.importer import load_tables, plan
from tests.pages.test_people_http import HTML, make_client
from tests.people import real_data
from tests.schools.test_school_districts import house_holders
from tracker.coalitions.loader import export_coalition, load_coalition
from tracker.coalitions.schema import CoalitionFileError
from tracker.models import MemberSchoolDistrict
from tracker.schools.coalition import our_schools

FILE = """version: 1
coalition: {slug: louisville-table, name: Louisville Public Schools Table}
members:
  - {slug: jcps-parents, name: JCPS Parents, school_districts: ["2102990"]}
  - {slug: oldham-teachers, name: Oldham Teachers, school_districts: ["2104290", "2102990"]}
"""


@pytest.fixture
def store(engine, tmp_path):
    real_data.congress(engine)
    grf = tmp_path / "grf.csv"
    grf.write_text("LEAID,NAME_LEA22,STCD116,LANDAREA,WATERAREA\n"
                   "2102990,Jefferson County School District,2103,300,0\n2102990,Jefferson County School District,2104,100,0\n"
                   "2104290,Oldham County School District,2104,190,0\n")
    load_tables(plan([grf]), engine)
    return engine


def test_members_placed_by_the_coalition_file_and_their_representatives(store, tmp_path):
    path = tmp_path / "coalition.yaml"
    path.write_text(FILE)
    slug, counts = load_coalition(store, path)
    assert counts["member_school_districts_added"] == 3
    assert load_coalition(store, path)[1].get("member_school_districts_added", 0) == 0   # idempotent
    with Session(store) as db:
        from tracker.models import Coalition
        coal = db.exec(select(Coalition).where(Coalition.slug == slug)).one()
        ours = our_schools(db, coal.id, on=real_data.TODAY)
        exported = yaml.safe_load(export_coalition(db, slug))
    ky = house_holders("ky")
    assert [d.leaid for d in ours.school_districts] == ["2102990", "2104290"]
    house = {(r.district, r.key): sorted(d.leaid for d in r.school_districts) for r in ours.representatives
             if r.level == "us_house"}
    assert house == {("3", ky["3"]): ["2102990"], ("4", ky["4"]): ["2102990", "2104290"]}
    assert len([r for r in ours.representatives if r.level == "us_senate"]) == 2
    assert {m["slug"]: m.get("school_districts") for m in exported["members"]} == {
        "jcps-parents": ["2102990"], "oldham-teachers": ["2102990", "2104290"]}


def test_an_unknown_leaid_rejects_the_file_whole(store, tmp_path):
    path = tmp_path / "coalition.yaml"
    path.write_text(FILE.replace('"2104290"', '"2199999"'))
    with pytest.raises(CoalitionFileError) as err:
        load_coalition(store, path)
    assert "2199999" in str(err.value) and "members.1.school_districts" in str(err.value)
    with Session(store) as db:
        assert db.exec(select(MemberSchoolDistrict)).all() == []


def test_coalition_schools_page(store, db_url, tmp_path):
    path = tmp_path / "coalition.yaml"
    path.write_text(FILE)
    load_coalition(store, path)
    with make_client(db_url, tmp_path, real_data.TODAY) as client:
        page = client.get("/c/louisville-table/schools", headers=HTML)
        es = client.get("/c/louisville-table/schools?lang=es", headers=HTML)
        missing = client.get("/c/nobody/schools", headers=HTML)
    assert page.status_code == 200 and "Our schools are represented by" in page.text
    assert "/legislators/" + house_holders("ky")["4"] in page.text and "116th Congress" in page.text
    assert "JCPS Parents" not in page.text          # which member is where stays the coalition's
    assert es.status_code == 200 and "Nuestras escuelas están representadas por" in es.text
    assert missing.status_code == 404
