"""Districts mapped to the members who hold them, on real data (congress-legislators, Open States
people of California, New York, Kentucky and Wyoming), SQLite and PostgreSQL: by address through
the local Census Geocoder mirror and by state and district. The expected members are read from
the source files themselves. At-large seats, delegates, zero-padded codes, roles without
division ids, grades of published scorecards only, throttling, and no address kept anywhere."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

from tests.conftest import PG_URL, _pg_db, _sqlite_db, real_fixture
from tests.districts import mirror
from tests.districts.mirror import GeocoderMirror
from tests.people import real_data
from tracker.db import get_engine
from tracker.districts.find import district_options, find_by_address, find_by_district
from tracker.ingest import Ingestor
from tracker.models import Coalition, Legislator
from tracker.people.directory import FilterError
from tracker.scoring import service

TODAY = dt.date(2026, 1, 15)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ---- what the source files say ------------------------------------------------------------

def _covers(start, end) -> bool:
    start = dt.date.fromisoformat(str(start)) if start else None
    end = dt.date.fromisoformat(str(end)) if end else None
    return (start is None or start <= TODAY) and (end is None or end >= TODAY)


def congress_expected(state: str, district: int | None) -> dict[str, set[str]]:
    """Keys of the state's senators and of its House member for `district` (0: at large)."""
    people = yaml.load(real_fixture("congress-legislators", "legislators-current.yaml").read_bytes(), Loader=_LOADER)
    out = {"us_senate": set(), "us_house": set()}
    for p in people:
        for term in p["terms"]:
            if term["state"] != state.upper() or not _covers(term["start"], term["end"]):
                continue
            if term["type"] == "sen":
                out["us_senate"].add("bioguide:" + p["id"]["bioguide"])
            elif district is not None and int(term.get("district", 0)) == district:
                out["us_house"].add("bioguide:" + p["id"]["bioguide"])
    return out


def state_expected(state: str, chamber: str, district: str) -> set[str]:
    """Keys of the Open States people whose current role is `chamber` `district` of `state`."""
    found = set()
    for path in real_fixture("openstates-people", state, "legislature").glob("*.yml"):
        p = yaml.load(path.read_bytes(), Loader=_LOADER)
        if any(r["type"] == chamber and str(r["district"]) == district and _covers(r.get("start_date"), r.get("end_date"))
               for r in p["roles"]):
            found.add("ocd-person:" + p["id"])
    return found


# ---- the store ----------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def people_url(request, tmp_path_factory, sqlite_template):
    if request.param == "sqlite":
        url, drop = _sqlite_db(tmp_path_factory.mktemp("find"), sqlite_template), None
    else:
        if not PG_URL:
            pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
        url, drop = _pg_db(request.getfixturevalue("pg_template"))
    engine = get_engine(url)
    real_data.congress(engine)
    real_data.states(engine, "ca", "ny", "ky", "wy")
    engine.dispose()
    yield url
    if drop:
        drop()


@pytest.fixture
def db(people_url):
    with Session(get_engine(people_url)) as session:
        yield session
        session.rollback()


@pytest.fixture(scope="module")
def census():
    with GeocoderMirror() as m:
        yield m


def by_address(db, census, address, **kw):
    return find_by_address(db, address, base_url=census.base_url, timeout=5, user_agent="test", on=TODAY, **kw)


def members(result) -> dict[str, set[str]]:
    return {s.level: {m.key for m in s.members} for s in result.seats}


# ---- tests --------------------------------------------------------------------------------

@pytest.mark.parametrize("address, state, cd, upper, lower", [
    (mirror.CA, "ca", 7, "8", "7"), (mirror.NY, "ny", 20, "46", "109"), (mirror.KY, "ky", 6, "7", "57"),
    (mirror.WY, "wy", 0, "8", "8")])
def test_address_finds_the_members_the_sources_name(db, census, address, state, cd, upper, lower):
    result = by_address(db, census, address)
    assert result.status == "ok" and result.state == state and result.source == "address"
    got = members(result)
    want = congress_expected(state, cd)
    assert len(want["us_senate"]) == 2 and len(want["us_house"]) == 1          # the oracle is not empty
    assert got["us_senate"] == want["us_senate"] and got["us_house"] == want["us_house"]
    assert got["state_upper"] == state_expected(state, "upper", upper) != set()
    assert got["state_lower"] == state_expected(state, "lower", lower) != set()
    house = next(s for s in result.seats if s.level == "us_house")
    assert house.district == ("AL" if cd == 0 else str(cd)) and house.tracked
    by_district = find_by_district(db, state, "AL" if cd == 0 else f"{cd:02d}", upper.zfill(3), lower.zfill(3), on=TODAY)
    assert members(by_district) == got                                # zero-padded numbers are the same seats


def test_white_house_recording_district_layers_failed_but_dc_has_one_seat(db, census):
    result = by_address(db, census, mirror.WHITE_HOUSE)
    assert result.status == "partial" and result.state == "dc"
    assert [s.level for s in result.seats] == ["us_house"]            # no senators for DC
    (seat,) = result.seats
    assert seat.district == "AL" and {m.key for m in seat.members} == congress_expected("dc", 0)["us_house"] != set()
    assert seat.members[0].title == "Delegate"


def test_puerto_rico_delegate_district_98(db, census):
    result = by_address(db, census, mirror.PR)
    (seat,) = result.seats
    assert {m.key for m in seat.members} == congress_expected("pr", 0)["us_house"] != set()
    assert seat.members[0].title == "Resident Commissioner"


def test_partial_answer_keeps_what_is_known(db, census):
    result = by_address(db, census, mirror.CA_PARTIAL)
    assert result.status == "partial" and result.failed_layers
    assert [s.level for s in result.seats] == ["us_senate", "us_house"]


def test_no_match_and_rejected_have_no_seats(db, census):
    assert by_address(db, census, mirror.NO_MATCH).status == "no_match"
    rejected = by_address(db, census, mirror.REJECTED)
    assert rejected.status == "rejected" and "cannot be empty" in rejected.message and rejected.seats == []


def test_geocoder_down_is_unavailable_not_an_error(db):
    result = find_by_address(db, mirror.CA, base_url="http://127.0.0.1:9/geocoder", timeout=1, user_agent="t", on=TODAY)
    assert result.status == "unavailable" and result.seats == []


def test_by_state_only_senators_and_an_at_large_seat(db):
    ca = find_by_district(db, "CA", on=TODAY)
    assert [s.level for s in ca.seats] == ["us_senate"]
    wy = find_by_district(db, "wy", on=TODAY)
    assert [s.level for s in wy.seats] == ["us_senate", "us_house"]   # one seat: no number needed
    for spelled in ("AL", "0", "00", "al"):
        assert members(find_by_district(db, "wy", spelled, on=TODAY))["us_house"] == congress_expected("wy", 0)["us_house"]


def test_vacant_seat_and_untracked_legislature(db):
    result = find_by_district(db, "ca", "99", on=TODAY)
    house = next(s for s in result.seats if s.level == "us_house")
    assert house.members == [] and house.tracked                     # no CA-99: nobody holds it
    tx = find_by_district(db, "tx", upper="1", on=TODAY)
    upper = next(s for s in tx.seats if s.level == "state_upper")
    assert upper.members == [] and not upper.tracked                 # Texas's legislature is not loaded


@pytest.mark.parametrize("args, field", [
    (("zz",), "state"), (("ca", "101"), "district"), (("ca", "12a"), "district"), (("ca", None, "<b>"), "upper"),
    (("ca", None, None, "x" * 41), "lower"), ((None,), "state")])
def test_bad_input_names_the_field(db, args, field):
    with pytest.raises(FilterError) as err:
        find_by_district(db, *args, on=TODAY)
    assert err.value.field == field


def test_district_options_are_the_seats_on_record(db):
    ca = district_options(db, "ca", on=TODAY)
    people = yaml.load(real_fixture("congress-legislators", "legislators-current.yaml").read_bytes(), Loader=_LOADER)
    ca_house = {str(t["district"]) for p in people for t in p["terms"]
                if t["type"] == "rep" and t["state"] == "CA" and _covers(t["start"], t["end"])}
    assert ca.congressional == sorted(ca_house, key=int) and len(ca_house) > 40   # vacancies are left out
    assert ca.upper == [str(n) for n in range(1, 41)] and ca.lower == [str(n) for n in range(1, 81)]
    assert district_options(db, "wy", on=TODAY).congressional == ["AL"]
    assert district_options(db, "dc", on=TODAY).congressional == ["AL"]


def test_grades_of_published_scorecards_only(db, people_url):
    (ashby,) = state_expected("ca", "upper", "8")
    person = db.exec(select(Legislator).where(Legislator.key == ashby)).one()
    db.add(Coalition(slug="find-test", name="Find Test Coalition"))
    db.flush()
    for slug, publish, points in (("public-card", True, 1.0), ("draft-card", False, 0.0)):
        card = service.create_scorecard(db, coalition="find-test", slug=slug, jurisdiction="ca",
                                        title=f"California Senate ({slug})", publish=publish)
        item = service.add_item(db, card, kind="manual", label="Spoke for the school meals bill",
                                rationale="testimony on record")
        service.add_manual_entry(db, item, person.id, points, "testified in committee")
    db.flush()
    result = find_by_district(db, "ca", upper="8", on=TODAY)
    (member,) = next(s for s in result.seats if s.level == "state_upper").members
    assert [(g.scorecard, g.grade is not None) for g in member.grades] == [("public-card", True)]
    assert member.grades[0].path == "/c/find-test/scorecards/public-card/legislators/" + ashby


def test_throttled_lookups_do_not_reach_the_geocoder(db, census):
    before = len(census.log)
    results = [by_address(db, census, mirror.CA, client="203.0.113.9", per_hour=2).status for _ in range(3)]
    assert results == ["ok", "ok", "throttled"] and len(census.log) == before + 2
    assert by_address(db, census, mirror.CA, client="203.0.113.10", per_hour=2).status == "ok"   # another client


def test_the_address_is_neither_stored_nor_logged(people_url, census, caplog, tmp_path):
    address = "4242 Privacy Lane, Sacramento, CA 95814"
    mirror.BUILT[address] = mirror.built(address, "4242 PRIVACY LN, SACRAMENTO, CA, 95814", fips="06", stusab="CA",
                                         state_name="California", cd="07", upper="008", lower="007")
    engine = get_engine(people_url)
    with caplog.at_level(logging.DEBUG), Session(engine) as db:
        assert by_address(db, census, address, client="198.51.100.7", per_hour=100).status == "ok"
        db.commit()
    assert "Privacy" not in caplog.text
    if people_url.startswith("sqlite"):
        engine.dispose()
        assert b"Privacy Lane" not in Path(people_url.removeprefix("sqlite:///")).read_bytes()
        assert b"198.51.100.7" not in Path(people_url.removeprefix("sqlite:///")).read_bytes()   # only a hash


# ---- seats stored without division ids, and other shapes, on hand-made roles ----------------

SRC = {"format": "test-hand-made", "url": "tests/districts/test_find.py", "fetched_at": "2026-01-01T00:00:00Z"}


def person(key: str, name: str, *roles: dict) -> dict:
    return {"type": "legislator", "name": name, "ids": {"ocd-person": f"ocd-person/{key}"},
            "roles": [{"start_date": "2025-01-01", **r} for r in roles], "source": SRC}


def test_roles_without_division_ids_multi_member_and_unicameral(engine):
    records = [
        person("00000000-0000-4000-8000-000000000001", "Senator Without Division",
               {"jurisdiction": "us", "chamber": "upper", "district": "California"}),
        person("00000000-0000-4000-8000-000000000002", "Representative Without Division",
               {"jurisdiction": "us", "chamber": "lower", "district": "CA-12"}),
        person("00000000-0000-4000-8000-000000000003", "Delegate One",
               {"jurisdiction": "az", "chamber": "lower", "district": "7"}),
        person("00000000-0000-4000-8000-000000000004", "Delegate Two",
               {"jurisdiction": "az", "chamber": "lower", "district": "7"}),
        person("00000000-0000-4000-8000-000000000005", "Nebraska Senator",
               {"jurisdiction": "ne", "chamber": "legislature", "district": "5"}),
        person("00000000-0000-4000-8000-000000000006", "Barnstable Representative",
               {"jurisdiction": "ma", "chamber": "lower", "district": "1st Barnstable"}),
    ]
    report = Ingestor(engine, today=TODAY).ingest(records, keep_results=False)
    assert report.summary()["error"] == 0, report.errors[:2]
    with Session(engine) as db:
        ca = find_by_district(db, "ca", "12", on=TODAY)
        assert [m.name for s in ca.seats for m in s.members] == ["Senator Without Division",
                                                                 "Representative Without Division"]
        az = find_by_district(db, "az", lower="07", on=TODAY)
        assert {m.name for m in az.seats[-1].members} == {"Delegate One", "Delegate Two"}   # two members, one district
        ne = find_by_district(db, "ne", upper="5", on=TODAY)
        assert ne.seats[-1].chamber == "legislature" and [m.name for m in ne.seats[-1].members] == ["Nebraska Senator"]
        assert district_options(db, "ne", on=TODAY).upper == ["5"]
    # Massachusetts names its districts: the Census name "1st Barnstable District" finds the seat
    census_answer = mirror.built("1 Main St, Hyannis, MA", "1 MAIN ST, HYANNIS, MA, 02601", fips="25", stusab="MA",
                                 state_name="Massachusetts", cd="09", upper="020", lower="001",
                                 lower_name="{n}st Barnstable District")
    from tracker.districts.find import Want, seat
    from tracker.districts.geocoder import parse

    lower = next(d for d in parse(census_answer).districts if d.level == "state_lower")
    with Session(engine) as db:
        got = seat(db, Want("state_lower", "ma", lower.number, lower.name), TODAY)
    assert [m.name for m in got.members] == ["Barnstable Representative"]
