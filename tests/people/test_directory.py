"""The legislator list on real Open States people files (CA, NY, KY, WY with its retired members)
on SQLite and PostgreSQL: filters, current and former members, pages, bad filter values."""
from __future__ import annotations

import pytest
import yaml
from sqlmodel import Session

from tests.conftest import real_fixture
from tests.people import real_data
from tests.people.real_data import TODAY
from tracker.people.directory import FilterError, PeopleFilter, directory_options, list_people
from tracker.people.parties import party_key


def yaml_people(state: str, folder: str = "legislature") -> list[dict]:
    """The person files of a state, read directly (what the list must agree with)."""
    return [yaml.safe_load(p.read_text()) for p in sorted(real_fixture("openstates-people", state, folder).glob("*.yml"))]


def current_role(doc: dict) -> dict | None:
    return next((r for r in doc.get("roles") or [] if not r.get("end_date")), None)


def everyone(db, **filters) -> list:
    return list_people(db, PeopleFilter.checked(**filters), on=TODAY, limit=1000).items


def test_filters_on_real_legislatures(engine):
    real_data.states(engine, "ca", "ny", "ky", "wy")
    ca_docs = [d for d in yaml_people("ca") if current_role(d)]
    with Session(engine) as db:
        ca = everyone(db, jurisdiction="ca")
        assert {p.key for p in ca} == {f"ocd-person:{d['id']}" for d in ca_docs}
        assert all(p.current and p.role.jurisdiction == "ca" and p.role.current for p in ca)
        # by family name, one row per person
        names = [p.name for p in ca]
        assert len(names) == len(set(p.key for p in ca))

        # chamber as stored (the page names it "Assembly")
        assembly = everyone(db, jurisdiction="ca", chamber="lower")
        assert {p.key for p in assembly} == {f"ocd-person:{d['id']}" for d in ca_docs
                                             if current_role(d)["type"] == "lower"}

        # party: "democratic" finds the files' "Democratic"
        dems = everyone(db, jurisdiction="ca", party="democratic")
        expected = {f"ocd-person:{d['id']}" for d in ca_docs if party_key(d["party"][-1]["name"]) == "democratic"}
        assert {p.key for p in dems} == expected and 50 < len(expected) < len(ca)

        # district: Assembly district 36 is Jeff Gonzalez (and "036" is the same district)
        gonzalez = "ocd-person:ocd-person/552b5bf7-472d-48a4-bb9a-132c1f044737"
        assert [p.key for p in everyone(db, jurisdiction="ca", chamber="lower", district="36")] == [gonzalez]
        assert [p.key for p in everyone(db, jurisdiction="ca", chamber="lower", district="036")] == [gonzalez]

        # name: words in any order, case-insensitive; other names count
        assert gonzalez in {p.key for p in everyone(db, name="GONZALEZ jeff")}
        assert gonzalez in {p.key for p in everyone(db, name="Gonzalez, J.")}
        assert everyone(db, name="%") == [] and everyone(db, name="_") == []   # no wildcards

        # every legislature at once, Congress members of the us folder absent here
        options = directory_options(db)
        assert options.jurisdictions == ["ca", "ky", "ny", "wy"]
        assert ("democratic", "Democratic") in options.parties and ("republican", "Republican") in options.parties


def test_current_by_default_and_former_on_request(engine):
    real_data.states(engine, "wy")
    retired = yaml_people("wy", "retired")
    gone = {f"ocd-person:{d['id']}" for d in retired if not current_role(d)}
    assert gone, "the retired folder holds people without a current seat"
    with Session(engine) as db:
        now = {p.key for p in everyone(db, jurisdiction="wy")}
        both = everyone(db, jurisdiction="wy", include_former=True)
    assert not (now & gone)
    assert gone <= {p.key for p in both}
    former = [p for p in both if p.key in gone]
    assert all(not p.current and p.role and not p.role.current and p.role.end_date for p in former)


def test_pages_cover_the_list_once(engine):
    real_data.states(engine, "ny")
    with Session(engine) as db:
        whole = list_people(db, PeopleFilter.checked(jurisdiction="ny"), on=TODAY, limit=1000)
        pages = [list_people(db, PeopleFilter.checked(jurisdiction="ny"), on=TODAY, limit=50, offset=o)
                 for o in range(0, whole.total, 50)]
    assert whole.total == len(whole.items) > 200
    assert all(p.total == whole.total for p in pages)
    assert [i.key for p in pages for i in p.items] == [i.key for i in whole.items]


@pytest.mark.parametrize("values, field", [
    ({"jurisdiction": "zz"}, "jurisdiction"), ({"jurisdiction": "california"}, "jurisdiction"),
    ({"chamber": "both"}, "chamber"), ({"district": "9" * 41}, "district"),
    ({"name": "x" * 101}, "name"), ({"party": "p" * 61}, "party"),
])
def test_bad_filter_values_name_the_parameter(values, field):
    with pytest.raises(FilterError) as err:
        PeopleFilter.checked(**values)
    assert err.value.field == field and field in str(err.value)


def test_blank_filters_are_no_filters():
    assert PeopleFilter.checked(jurisdiction=" ", chamber="", party=None, name="  ") == PeopleFilter()
    assert PeopleFilter.checked(jurisdiction="CA").jurisdiction == "ca"
