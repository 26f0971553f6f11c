"""Committees on real files, SQLite and PostgreSQL: the list (education committees first,
subcommittees under their committee), members with roles (congress-legislators, Open States),
hearings (NY Senate agendas) and bills referred (BILLSTATUS codes, Mississippi action texts)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from sqlmodel import Session

from scrapers.xmlsafe import parse_xml
from tests.conftest import real_fixture
from tests.people import real_data
from tests.people.real_data import TODAY
from tracker.people.committees import committee_detail, find_committee, list_committees, role_rank
from tracker.people.names import chamber_in, is_education_committee, name_key
from tracker.people.referrals import referred_names


def test_congress_committees_members_and_referrals(engine):
    real_data.congress(engine)
    real_data.federal_bills(engine)
    membership = yaml.load(real_fixture("congress-legislators", "committee-membership-current.yaml").read_bytes(),
                           Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    with Session(engine) as db:
        listed = list_committees(db, jurisdiction="us", on=TODAY).items
        house = [c for c in listed if c.chamber == "lower" and c.parent_key is None]
        # education committees first in each chamber, then by name
        flags = [c.education for c in house]
        assert flags == sorted(flags, reverse=True) and flags[0]
        assert house[0].key == "us-HSED" and house[0].members == len({m["bioguide"] for m in membership["HSED"]})
        # each subcommittee right after its committee's other subcommittees
        keys = [c.key for c in listed]
        for c in listed:
            if c.parent_key:
                assert keys.index(c.parent_key) < keys.index(c.key)

        ed = find_committee(db, "HSED")             # a thomas id finds the committee too
        detail = committee_detail(db, ed, on=TODAY, bills=(50, 0))
        assert {m.key for m in detail.member_list} == {f"bioguide:{m['bioguide']}" for m in membership["HSED"]}
        chair = next(m for m in membership["HSED"] if m.get("title") == "Chair")
        assert detail.member_list[0].key == f"bioguide:{chair['bioguide']}" and detail.member_list[0].role == "chair"
        ranks = [role_rank(m.role) for m in detail.member_list]
        assert ranks == sorted(ranks)
        assert {s.key for s in detail.subcommittees} == {f"us-HSED{k[4:]}" for k in membership if k.startswith("HSED") and k != "HSED"}

        # bills referred: the BILLSTATUS files loaded that name House Education's system code
        expected = set()
        for folder in ("v1-actions-committees", "v1-current"):
            for path in real_fixture("billstatus", folder).glob("*.xml"):
                text = path.read_text()
                if "<systemCode>hsed00</systemCode>" in text:
                    m = re.search(r"BILLSTATUS-(\d+)([a-z]+)(\d+)\.xml", path.name)
                    expected.add(f"us-{m.group(1)}-{m.group(2)}{m.group(3)}")
        assert expected and {b.key for b in detail.referred.items} == expected
        assert all(b.referred_on is not None for b in detail.referred.items)


def test_state_committees_roles_from_open_states(engine):
    real_data.states(engine, "ca")
    doc = yaml.safe_load(real_fixture("openstates-people", "ca", "committees",
                                      "lower-Education-1849e837-f14f-473b-977a-311b2c5923ce.yml").read_text())
    with Session(engine) as db:
        detail = committee_detail(db, find_committee(db, doc["id"]), on=TODAY)
        listed = list_committees(db, jurisdiction="ca", chamber="lower", on=TODAY).items
    assert [(m.name, m.role) for m in detail.member_list][:2] == [("Darsh Patel", "chair"), ("Joshua Hoover", "vice chair")]
    assert {m.key for m in detail.member_list} == {f"ocd-person:{m['person_id']}" for m in doc["members"]}
    assert all(m.party and m.district for m in detail.member_list)
    assert detail.education and detail.chamber == "lower" and detail.url == doc["links"][0]["url"]
    assert all(c.education for c in listed if "Education" in c.name.split())


def test_hearings_of_ny_senate_committees(engine):
    real_data.ny_senate_hearings(engine)
    real_data.hand(engine, [{"type": "hearing", "key": "os-event-1", "jurisdiction": "ny", "committee_key": "ny-lower-labor",
                             "committee_name": "Assembly Labor Committee", "location": "Room 1", "status": "scheduled",
                             "start": "2026-03-02T15:00:00Z", "links": ["https://example.org/agenda.pdf", "javascript:alert(1)"],
                             "bills": [{"bill_key": "ny-2025-a1"}], "source": real_data.SRC}])
    with Session(engine) as db:
        senate = committee_detail(db, find_committee(db, "ny-upper-labor"), on=TODAY)
        assembly = committee_detail(db, find_committee(db, "ny-lower-labor"), on=TODAY)
    # the Senate's agendas name only "Labor": they are the Senate committee's, not the Assembly's
    agendas = parse_xml(next(real_fixture("ny-openleg", "processor", "bill", "senAgenda").glob("2017-02-06-12*")).read_bytes())
    labor = next(c for c in agendas.iter("committee") if c.findtext("name") == "Labor")
    assert [h.key for h in senate.hearings] == ["ny-2017-agenda5-labor"]
    assert len(senate.hearings[0].bill_keys) == len(labor.findall("bills/bill")) > 0
    assert senate.hearings[0].location == labor.findtext("location")
    # filed under the Assembly committee's key; the unsafe agenda link is dropped
    assert [h.key for h in assembly.hearings] == ["os-event-1"]
    assert assembly.hearings[0].links == ["https://example.org/agenda.pdf"]


def test_mississippi_referrals_from_action_texts(engine):
    real_data.mississippi(engine)
    expected: dict[str, dt.date] = {}
    for path in real_fixture("legiscan-ms-xml").glob("ms-*/bill/*.xml"):
        bill = parse_xml(path.read_bytes()).find("bill")
        key = f"{path.parent.parent.name}-{bill.findtext('bill_number').lower()}"
        here = bill.findtext("body")   # the 2012 files leave a step's chamber blank: follow the bill
        for step in bill.iter("step"):
            action = step.findtext("action") or ""
            here = step.findtext("chamber") or here
            named = [n.strip() for n in action.split("Referred To", 1)[-1].split(";")]
            if here == "H" and action.startswith("Referred To") and "Education" in named:
                day = dt.date.fromisoformat(step.findtext("date"))
                expected[key] = min(day, expected.get(key, day))
            if action.startswith("Transmitted To"):
                here = "S" if action.endswith("Senate") else "H"
    with Session(engine) as db:
        detail = committee_detail(db, find_committee(db, "ms-lower-education"), on=TODAY, bills=(50, 0))
    assert expected and {b.key: b.referred_on for b in detail.referred.items} == expected
    days = [b.referred_on for b in detail.referred.items]
    assert days == sorted(days, reverse=True) and detail.referred.total == len(expected)


@pytest.mark.parametrize("jurisdiction, text, names", [
    # California history (ca-pubinfo BILL_HISTORY_TBL): abbreviations, two committees, what follows
    ("ca", "Referred to Com. on  ED.", [("Education", None)]),
    ("ca", "Referred to Com. on  Higher ED.", [("Higher Education", None)]),
    ("ca", "Referred to Coms. on ED. and APPR.", [("Education", None), ("Appropriations", None)]),
    ("ca", "Re-referred to Com. on  ED. Read second time and amended.", [("Education", None)]),
    ("ca", "In Senate. Read first time. To Com. on RLS. for assignment.", [("Rules", None)]),
    ("ca", "From committee: Do pass and re-refer to Com. on APPR. (Ayes 5. Noes 1.)", [("Appropriations", None)]),
    # Kentucky: the chamber in a mark
    ("ky", "to Education (H)", [("Education", "lower")]),
    ("ky", "taken from Committee on Committees (H); referred to Education (S)", [("Education", "upper")]),
    # New York, Mississippi (several, ";"), Congress
    ("ny", "REFERRED TO EDUCATION", [("EDUCATION", None)]),
    ("ms", "Referred To Rules;Education", [("Rules", None), ("Education", None)]),
    ("us", "Referred to the House Committee on Education and the Workforce.",
     [("House Committee on Education and the Workforce", "lower")]),
    ("ny", "DELIVERED TO ASSEMBLY", []),
])
def test_referral_texts(jurisdiction, text, names):
    assert list(referred_names(jurisdiction, text)) == names


@pytest.mark.parametrize("a, b", [
    ("House Committee on Education and Workforce", "Education and Workforce Committee"),
    ("Senate Committee on Health, Education, Labor, and Pensions", "Health, Education, Labor, and Pensions Committee"),
    ("EDUCATION & WORKFORCE", "Education and Workforce"),
    ("Assembly Education Committee", "Education"),
])
def test_committee_names_compare(a, b):
    assert name_key(a) == name_key(b) != ""


def test_chambers_and_education_in_names():
    assert chamber_in("Assembly Education Committee") == "lower"
    assert chamber_in("Senate Education") == "upper" and chamber_in("to Education (S)") == "upper"
    assert chamber_in("Education") is None and chamber_in("Children's Services") is None
    assert is_education_committee("Higher Education") and is_education_committee("Health, Education, Labor, and Pensions")
    assert not is_education_committee("Transportation") and not is_education_committee("Educational Television Authority")
