"""openstates_people against a local mirror: current legislators with roles and other names."""
from __future__ import annotations

from sqlmodel import Session, select

from tests.spiders.openstates_mirror import Mirror, crawl
from tracker.db import get_engine
from tracker.models import Legislator, LegislatorIdentifier, LegislatorRole


def person(uid: str, name: str, district: str, chamber: str = "lower") -> dict:
    """An API v3 person (`/people?include=other_names&include=other_identifiers`)."""
    return {"id": f"ocd-person/{uid}", "name": name, "party": "Democratic",
            "current_role": {"title": "Assemblymember", "org_classification": chamber, "district": district,
                             "division_id": f"ocd-division/country:us/state:ca/sld{'l' if chamber == 'lower' else 'u'}:{district}"},
            "jurisdiction": {"id": "ocd-jurisdiction/country:us/state:ca/government", "name": "California",
                             "classification": "state"},
            "given_name": name.split()[0], "family_name": name.split()[-1], "image": "", "email": "",
            "gender": "", "birth_date": "", "death_date": "", "extras": {},
            "created_at": "2024-12-02T00:00:00+00:00", "updated_at": "2025-03-01T00:00:00+00:00",
            "openstates_url": "https://openstates.org/person/x/",
            "other_identifiers": [{"scheme": "legacy_openstates", "identifier": "CAL000001"}],
            "other_names": [{"name": f"{name.split()[-1]}, {name[0]}.", "note": ""}]}


def test_people_crawl_disabled_and_resume(db_url, tmp_path):
    people = [person("aaaaaaaa-0000-4000-8000-000000000001", "Darshana Patel", "76"),
              person("aaaaaaaa-0000-4000-8000-000000000002", "Aisha Wahab", "10", "upper")]
    mirror = Mirror(people=people)
    log, _ = crawl("openstates_people", db_url, mirror.url, tmp_path, key=None)
    assert "openstates_people is disabled" in log and mirror.log == []

    # Budget 1: one page (one person), then stop; the next crawl resumes at page 2.
    _, stats = crawl("openstates_people", db_url, mirror.url, tmp_path, "budget=1")
    assert stats["edtracker/openstates/budget_exhausted"] == "True"
    assert stats["edtracker/openstates/resume_at"] == "people:ca page 2"
    crawl("openstates_people", db_url, mirror.url, tmp_path, "budget=5")
    assert mirror.pages("/people") == [1, 2]
    engine = get_engine(db_url)
    with Session(engine) as s:
        patel = s.exec(select(Legislator).where(Legislator.name == "Darshana Patel")).one()
        assert patel.other_names == ["Patel, D."]
        role = s.exec(select(LegislatorRole).where(LegislatorRole.legislator_id == patel.id)).one()
        assert (role.chamber, role.district, role.division_id) == ("lower", "76", "ocd-division/country:us/state:ca/sldl:76")
        ids = s.exec(select(LegislatorIdentifier.scheme).where(LegislatorIdentifier.legislator_id == patel.id)).all()
        assert ids == ["ocd-person"]
    engine.dispose()
