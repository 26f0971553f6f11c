"""A legislator's page data on real files, SQLite and PostgreSQL: members of Congress
(congress-legislators: terms, contact, committees, ids), state legislators (Open States YAML
offices), and the Mississippi record (LegiScan: education bills, votes, public positions only,
grades on published scorecards)."""
from __future__ import annotations

import yaml
from sqlmodel import Session, select

from tests.conftest import real_fixture
from tests.people import real_data
from tests.people.real_data import TODAY
from tracker.models import Bill, BillTag, Legislator, LegislatorIdentifier, PersonVote, VoteEvent
from tracker.people.directory import PeopleFilter, list_people
from tracker.people.profile import legislator_profile, resolve


def congress_yaml(name: str):
    return yaml.load(real_fixture("congress-legislators", name).read_bytes(),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def test_members_of_congress(engine):
    real_data.congress(engine)
    people = {p["id"]["bioguide"]: p for p in congress_yaml("legislators-current.yaml")}
    membership = congress_yaml("committee-membership-current.yaml")
    waters = people["W000187"]
    with Session(engine) as db:
        # other ids resolve to the stored key; unknown and ambiguous ones do not
        assert resolve(db, "W000187").key == "bioguide:W000187"
        assert resolve(db, "w000187").key == "bioguide:W000187"
        assert resolve(db, "bioguide:W000187").key == "bioguide:W000187"
        assert resolve(db, f"govtrack:{waters['id']['govtrack']}").key == "bioguide:W000187"
        assert resolve(db, "S313").key == "bioguide:S000033"          # Sanders' Senate LIS id
        assert resolve(db, "nobody") is None and resolve(db, "") is None

        p = legislator_profile(db, resolve(db, "W000187"), on=TODAY)
        terms = [t for t in waters["terms"] if t["type"] in ("rep", "sen")]
        assert len(p.roles) == len(terms) and p.current
        assert [(r.start_date.isoformat(), r.district) for r in p.roles][0] == (terms[-1]["start"], str(terms[-1]["district"]))
        assert p.current_roles[0].state == "ca" and p.party == terms[-1]["party"]
        last = terms[-1]
        assert p.contact.offices[0].voice == last["phone"] and p.contact.offices[0].address == last["address"]
        assert [l.url for l in p.contact.links][:1] == [last["url"]]
        assert p.photo.host == "theunitedstates.io" and p.photo.url.endswith("/W000187.jpg")
        assert {e.scheme for e in p.elsewhere} >= {"bioguide", "govtrack"}
        seats = {k for k, members in membership.items() if any(m.get("bioguide") == "W000187" for m in members)}
        assert {f"us-{k}" for k in seats} == {c.key for c in p.committees}
        assert p.committees[0].education == ("education" in p.committees[0].name.lower())

        # Congress by state and district
        vt = list_people(db, PeopleFilter.checked(jurisdiction="us", district="VT"), on=TODAY, limit=10).items
        assert {i.key for i in vt} == {f"bioguide:{b}" for b, x in people.items() if x["terms"][-1]["state"] == "VT"}
        ca12 = list_people(db, PeopleFilter.checked(jurisdiction="us", district="ca-12"), on=TODAY).items
        assert [i.key for i in ca12] == [f"bioguide:{b}" for b, x in people.items()
                                         if x["terms"][-1]["state"] == "CA" and x["terms"][-1].get("district") == 12]
        ak = list_people(db, PeopleFilter.checked(jurisdiction="us", district="AK-AL"), on=TODAY).items
        assert [i.role.district for i in ak] == ["0"] and ak[0].role.state == "ak"
        senate = list_people(db, PeopleFilter.checked(jurisdiction="us", chamber="upper"), on=TODAY)
        day = TODAY.isoformat()
        assert senate.total == sum(1 for x in people.values() if any(
            t["type"] == "sen" and t["start"] <= day <= t["end"] for t in x["terms"]))


def test_state_legislator_offices_and_links(engine):
    real_data.states(engine, "ca")
    doc = yaml.safe_load(real_fixture("openstates-people", "ca", "legislature",
                                      "Jeff-Gonzalez-552b5bf7-472d-48a4-bb9a-132c1f044737.yml").read_text())
    with Session(engine) as db:
        p = legislator_profile(db, resolve(db, doc["id"]), on=TODAY)   # "ocd-person/…" resolves too
    assert p.key == f"ocd-person:{doc['id']}"
    assert [(o.kind, o.address, o.voice) for o in p.contact.offices] == [
        (o["classification"], o["address"], o["voice"]) for o in doc["offices"]]
    assert [l.url for l in p.contact.links] == [l["url"] for l in doc["links"]]
    assert p.contact.email == doc["email"] and p.photo.url == doc["image"]
    assert [(r.jurisdiction, r.chamber, r.district) for r in p.current_roles] == [("ca", "lower", "36")]
    seats = {(c["name"], m.get("role", "member")) for path in real_fixture("openstates-people", "ca", "committees").glob("*.yml")
             for c in [yaml.safe_load(path.read_text())] for m in c.get("members") or [] if m.get("person_id") == doc["id"]}
    assert seats and {(c.name, c.role) for c in p.committees} == seats


def ms_bills_sponsored_by(people_id: str) -> set[str]:
    """Keys of the Mississippi bills whose LegiScan file lists `people_id` as a sponsor."""
    from scrapers.xmlsafe import parse_xml

    keys = set()
    for path in real_fixture("legiscan-ms-xml").glob("ms-*/bill/*.xml"):
        bill = parse_xml(path.read_bytes()).find("bill")
        if people_id in [s.findtext("people_id") for s in bill.iter("sponsor")]:
            keys.add(f"{path.parent.parent.name}-{bill.findtext('bill_number').lower()}")
    return keys


def _legislator_id(db, legiscan_id: str) -> int:
    return db.exec(select(LegislatorIdentifier.legislator_id).where(
        LegislatorIdentifier.scheme == "legiscan", LegislatorIdentifier.value == legiscan_id)).one()


def test_mississippi_record_positions_and_grades(engine):
    real_data.mississippi(engine)
    real_data.coalitions(engine)
    with Session(engine) as db:
        moore = db.get(Legislator, _legislator_id(db, "6532"))   # John Moore, sponsor of HB 369 (2013)
        p = legislator_profile(db, moore, on=TODAY, bills=(100, 0), votes=(500, 0))
        sponsored = {b.key: b for b in p.sponsored.items}
        expected = ms_bills_sponsored_by("6532")
        assert set(sponsored) == expected and sponsored["ms-2013-hb369"].primary
        assert p.sponsored.total == len(expected) and p.sponsored.primary >= 1
        assert not p.current and p.roles and all(r.jurisdiction == "ms" for r in p.roles)

        # every recorded vote of his on these (education) bills, newest first
        mine = db.exec(select(VoteEvent.key).join(PersonVote, PersonVote.vote_event_id == VoteEvent.id)
                       .where(PersonVote.legislator_id == moore.id)).all()
        assert sorted(v.vote_event_key for v in p.votes.items) == sorted(mine) and p.votes.total == len(mine)
        assert [v.date for v in p.votes.items] == sorted((v.date for v in p.votes.items), reverse=True)

        # positions beside the votes: the public one only, never a private one
        by_bill = {v.bill.key: v.positions for v in p.votes.items}
        assert [(x.coalition, x.stance) for x in by_bill["ms-2013-hb369"]] == [("edfund", "support")]
        assert by_bill["ms-2014-hb504"] == []     # edfund's position on it is private
        shown = {(x.coalition, v.bill.key) for v in p.votes.items for x in v.positions}
        assert not shown & {(c, b) for c, b, _ in real_data.PRIVATE}

        # grades: the published scorecard, not the draft, linked to its legislator page
        assert [(g.coalition, g.scorecard) for g in p.grades] == [("edfund", "house-2013")]
        assert p.grades[0].path == "/c/edfund/scorecards/house-2013/legislators/legiscan:6532"
        assert p.grades[0].score is not None and p.grades[0].grade

        # a bill whose issue areas were all rejected is no longer an education bill
        hb504 = db.exec(select(Bill).where(Bill.key == "ms-2014-hb504")).one()
        for tag in db.exec(select(BillTag).where(BillTag.bill_id == hb504.id)).all():
            tag.status = "rejected"
            db.add(tag)
        db.commit()
        again = legislator_profile(db, moore, on=TODAY, votes=(500, 0))
        assert "ms-2014-hb504" not in {v.bill.key for v in again.votes.items}
        assert again.votes.total < p.votes.total


def test_private_position_turned_public_shows(engine):
    """The privacy test can fail: the same position made public appears beside the vote."""
    real_data.mississippi(engine)
    real_data.coalitions(engine)
    from tracker.models import Position
    with Session(engine) as db:
        moore = db.get(Legislator, _legislator_id(db, "6532"))
        pos = db.exec(select(Position).where(Position.bill_key == "ms-2014-hb504")).one()
        pos.public = True
        db.add(pos)
        db.commit()
        p = legislator_profile(db, moore, on=TODAY, votes=(500, 0))
    assert {(x.coalition, x.stance) for v in p.votes.items if v.bill.key == "ms-2014-hb504"
            for x in v.positions} == {("edfund", "oppose")}
