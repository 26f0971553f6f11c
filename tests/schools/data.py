"""A store for the school-district pages: the real NCES relationship file and OCD mapping,
congress-legislators, Open States Kentucky, a hand-made Kentucky crosswalk, bills naming
Jefferson County, and grades of the KY-3 member on a published and a draft scorecard."""
from __future__ import annotations

from sqlmodel import Session, select

from scrapers.importer import load_tables, plan
from tests import factories
from tests.conftest import real_fixture
from tests.people import real_data
from tracker.ingest import Ingestor
from tracker.models import Coalition, Legislator
from tracker.scoring import service
from tracker.tagging.store import retag




def ky3_member() -> str:
    from tests.schools.test_school_districts import house_holders
    return house_holders("ky")["3"]


def load(engine, tmp_path) -> None:
    real_data.congress(engine)
    real_data.states(engine, "ky")
    cw = tmp_path / "ky_crosswalk.csv"
    cw.write_text("leaid,chamber,district,land_area,vintage\n2102990,upper,35,250,sld2022\n2102990,upper,33,150,sld2022\n"
                  "2102990,lower,41,400,sld2022\n")
    counts, errors = load_tables(plan([real_fixture("school-districts", "grf22_lea_cd.xlsx"),
                                       real_fixture("ocd-division-ids", "us_school_district_nces_mapping.csv"), cw]),
                                 engine)
    assert errors == [], errors[:3]
    named = factories.bill(number=77, session="2026", jurisdiction="ky", identifier="HB 77",
                           title="AN ACT relating to school facilities in Jefferson County",
                           summary="Requires a facilities plan for the Jefferson County public schools.")
    named["sponsorships"] = []
    other = factories.bill(number=78, session="2026", jurisdiction="ky", identifier="HB 78",
                           title="AN ACT relating to charter schools in Fayette County")
    other["sponsorships"] = []
    report = Ingestor(engine).ingest([named, other], keep_results=False)
    assert report.summary()["error"] == 0, report.errors[:3]
    retag(engine)
    member = ky3_member()
    with Session(engine) as db:
        person = db.exec(select(Legislator).where(Legislator.key == member)).one()
        db.add(Coalition(slug="jcps-table", name="Louisville Public Schools Table"))
        db.flush()
        for slug, publish in (("public-card", True), ("draft-card", False)):
            card = service.create_scorecard(db, coalition="jcps-table", slug=slug, jurisdiction="us",
                                            title=f"Congress 2026 ({slug})", publish=publish)
            item = service.add_item(db, card, kind="manual", label="School meals", rationale="on record")
            service.add_manual_entry(db, item, person.id, 1.0, "cosponsored")
        db.commit()
