"""congress-legislators YAML: the id crosswalk, terms as roles, committees and membership; and every
member of every real roll call resolved through it (on SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, select

from scrapers.formats import congress_legislators as fmt
from tests.conftest import real_fixture
from tests.us_federal import (current_ids, essa_dirs, house_clerk, house_files, legislator_records,
                              load_legislators, parse_essa, parse_one, senate_files, senate_lis)
from tracker.ingest import Ingestor
from tracker.models import Legislator, PersonVote, VoteEvent
from tracker.people.queries import list_legislators

# Senators of the 2004 vote still serving (and so in legislators-current.yaml); the other 87
# left the Senate before the fixture's snapshot and are only in legislators-historical.yaml,
# which the shared fixtures do not include (PROVENANCE.md: too large).
# Members of the two House files who are not in legislators-current.yaml (they left the House
# before the snapshot): resolving them needs legislators-historical.yaml.
FORMER_HOUSE = {
    "us-house-2025-2": {"C001127", "C001078", "G000594", "G000590", "G000596", "G000551", "L000578",
                        "S001157", "S001207", "S001193", "T000489", "W000823"},
    "us-house-2023-37": {"G000582", "S001177"},
}
# The ESSA votes stored in the database test (all 45 are checked against the crosswalk below).
ESSA_SAMPLE = ("h95", "h422", "s222", "s248")
STILL_SERVING_2004 = {"S153", "S174", "S229", "S247", "S252", "S253", "S259", "S266", "S270",
                      "S275", "S287", "S288", "S293"}


def test_crosswalk_and_terms():
    people = {p.key: p for p in legislator_records()}
    assert len(people) == 537
    cantwell = people["bioguide:C000127"]
    assert cantwell.ids["lis"] == "S275" and cantwell.ids["thomas"] == "00172"
    assert cantwell.ids["fec"] == ["S8WA00194", "H2WA01054"] and cantwell.ids["govtrack"] == "300018"
    assert cantwell.ids["wikidata"] == "Q22250" and cantwell.ids["ballotpedia"] == "Maria Cantwell"
    first, last = cantwell.roles[0], cantwell.roles[-1]
    assert (first.chamber, first.district, first.division_id) == ("lower", "1", "ocd-division/country:us/state:wa/cd:1")
    assert (last.chamber, last.district, last.title, last.party) == ("upper", None, "Senator", "Democrat")
    norton = people["bioguide:N000147"].roles[-1]
    assert (norton.district, norton.title, norton.division_id) == ("0", "Delegate", "ocd-division/country:us/district:dc")
    pr = next(p for p in people.values() if p.roles[-1].division_id == "ocd-division/country:us/territory:pr")
    assert pr.roles[-1].title == "Resident Commissioner"


def test_committees_and_subcommittees():
    c = real_fixture("congress-legislators", "committees-current.yaml")
    m = real_fixture("congress-legislators", "committee-membership-current.yaml")
    items = {i.key: i for i in fmt.parse_committees(c.read_bytes(), m.read_bytes(), str(c), str(m))}
    assert items["us-SSHR"].name == "Senate Committee on Health, Education, Labor, and Pensions"
    assert items["us-SSHR"].chamber == "upper" and len(items["us-SSHR"].members) == 23
    assert items["us-SSHR09"].parent_key == "us-SSHR" and items["us-SSHR09"].classification == "subcommittee"
    assert items["us-HSED"].chamber == "lower"
    roles = {mm.person.ids["bioguide"]: mm.role for mm in items["us-SSHR"].members}
    assert roles["C001075"] == "chairman" and roles["S000033"] == "ranking member"


def _store_all(engine):
    load_legislators(engine)
    c = real_fixture("congress-legislators", "committees-current.yaml")
    m = real_fixture("congress-legislators", "committee-membership-current.yaml")
    events = ([parse_one(house_clerk, p) for p in house_files()]
              + [parse_one(senate_lis, p) for p in senate_files()]
              + [parse_essa(d / "data.json") for d in essa_dirs() if d.name in ESSA_SAMPLE])
    ingestor = Ingestor(engine, today=dt.date(2025, 6, 1))
    report = ingestor.ingest([*fmt.parse_committees(c.read_bytes(), m.read_bytes(), str(c), str(m)), *events])
    assert report.summary()["error"] == 0, report.errors[:3]
    return events


def test_store_people_committees_and_roll_calls(engine):
    """One load (it is the slow part), three checks: resolution, committee queries, re-ingest noop."""
    events = _store_all(engine)
    _check_every_member_resolves_or_is_a_former_member(engine, events)
    _check_members_of_senate_help_and_house_education(engine)
    _check_reingest_is_noop(engine, events)


def _check_every_member_resolves_or_is_a_former_member(engine, events):
    bioguides, lis_ids = current_ids()
    with Session(engine) as db:
        rows = db.exec(select(PersonVote, VoteEvent.key).join(VoteEvent)).all()
    assert len(rows) == sum(len(e.votes) for e in events)
    by_id = {}
    for pv, key in rows:
        by_id[(key, *next(iter(pv.voter_ids.items())))] = pv
    unresolved = {k for k, pv in by_id.items() if not (pv.match_method or "").startswith("id:")}
    expected = {k for k in by_id if k[2] not in (bioguides if k[1] == "bioguide" else lis_ids)}
    assert unresolved == expected
    for key, former in FORMER_HOUSE.items():
        assert {k[2] for k in unresolved if k[0] == key} == former
    senate_2004 = {k[2] for k in by_id if k[0] == "us-senate-108-2-213"}
    assert len(senate_2004) == 100
    assert senate_2004 - {k[2] for k in unresolved} == STILL_SERVING_2004


def _check_members_of_senate_help_and_house_education(engine):
    with Session(engine) as db:
        help_ = list_legislators(db, jurisdiction="us", chamber="upper", committee="SSHR",
                                 current_on=dt.date(2025, 6, 1))
        ed = list_legislators(db, jurisdiction="us", committee="us-HSED", current_on=dt.date(2025, 6, 1))
        house = list_legislators(db, jurisdiction="us", chamber="lower", current_on=dt.date(2025, 6, 1))
    assert len(help_) in (22, 23) and {r.committee_role for r in help_} >= {"chairman", "ranking member"}
    assert next(r for r in help_ if r.ids.get("bioguide") == "S000033").party == "Independent"
    assert len(ed) > 30 and all(r.chamber == "lower" for r in ed)
    assert 430 <= len(house) <= 441


def _check_reingest_is_noop(engine, events):
    c = real_fixture("congress-legislators", "committees-current.yaml")
    m = real_fixture("congress-legislators", "committee-membership-current.yaml")
    again = Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(
        [*legislator_records(), *fmt.parse_committees(c.read_bytes(), m.read_bytes(), str(c), str(m)), *events],
        keep_results=False)
    assert again.summary() == {"insert": 0, "update": 0, "noop": 537 + 230 + len(events), "error": 0}


def test_essa_voters_not_in_the_current_crosswalk():
    """All 45 ESSA roll calls of 2015: who cannot resolve without legislators-historical.yaml."""
    bioguides, lis_ids = current_ids()
    house, senate = set(), set()
    for d in essa_dirs():
        for v in parse_essa(d / "data.json").votes:
            if "bioguide" in v.ids and v.ids["bioguide"] not in bioguides:
                house.add(v.ids["bioguide"])
            if "lis" in v.ids and v.ids["lis"] not in lis_ids:
                senate.add(v.ids["lis"])
    assert (len(house), len(senate)) == (275, 44)
    assert "S289" in senate and "S153" not in senate  # Alexander (retired 2021); Grassley serves


def test_house_file_without_name_ids_matches_by_family_name_and_state(engine):
    """House Clerk files before 2003 carry no `name-id`: members are matched by the printed name
    ("Carter (TX)", "Scott, David", "Van Drew", "Miller-Meeks"), never to a namesake. Checked on
    the 2025 Speaker election with its ids removed, against the ids it really has."""
    load_legislators(engine)
    path = next(p for p in house_files() if "speaker" in p.name)
    truth = {v.voter_name: v.ids["bioguide"] for v in parse_one(house_clerk, path).votes}
    stripped = re.sub(rb' name-id="[^"]*"', b"", path.read_bytes())
    event = next(iter(house_clerk.parse(stripped, str(path))))
    assert not any(v.ids for v in event.votes)
    report = Ingestor(engine, today=dt.date(2025, 6, 1)).ingest([event])
    assert report.summary()["error"] == 0, report.errors[:3]
    with Session(engine) as db:
        rows = db.exec(select(PersonVote.voter_name, PersonVote.match_method, Legislator.key)
                       .join(Legislator, PersonVote.legislator_id == Legislator.id, isouter=True)).all()
    assert len(rows) == len(truth) == 434
    wrong = [(name, key) for name, _, key in rows if key and key != f"bioguide:{truth[name]}"]
    assert wrong == []
    unmatched = {truth[name] for name, _, key in rows if key is None}
    # the members who left before the legislators file was taken, and Marie Gluesenkamp Perez,
    # whom the Clerk prints by the second of her two family names
    assert unmatched == FORMER_HOUSE["us-house-2025-2"] | {"G000600"}
    methods = {m for _, m, key in rows if key}
    assert {"name:last", "name:last+district"} <= methods
