"""Following a school district: the alert rule matches education bills naming it (its county or
city in its state's bills) and roll calls where its current representatives voted; nothing else."""
from __future__ import annotations

from sqlmodel import Session, select

from scrapers.importer import load_tables, plan
from tests import factories
from tests.people import real_data
from tests.schools.test_school_districts import house_holders
from tracker.alerts import targets
from tracker.alerts.matching import Matcher
from tracker.ingest import Ingestor
from tracker.models import ChangeEvent, Legislator, Subscription
from tracker.tagging.store import retag


def _sub(target: str) -> Subscription:
    return Subscription(subscriber_id=1, target_type="school_district", target=target, channel="email")


def _bill(number: int, title: str, jurisdiction: str = "ky") -> dict:
    rec = factories.bill(number=number, session="2026" if jurisdiction == "ky" else "119", jurisdiction=jurisdiction,
                         identifier=f"HB {number}", title=title, summary="Public schools.")
    rec["sponsorships"] = []
    return rec


def test_follow_a_school_district(engine, tmp_path):
    real_data.congress(engine)
    grf = tmp_path / "grf.csv"
    grf.write_text("LEAID,NAME_LEA22,STCD116,LANDAREA,WATERAREA\n2102990,Jefferson County School District,2103,3,0\n"
                   "2102990,Jefferson County School District,2104,1,0\n2101050,Fayette County School District,2106,1,0\n")
    load_tables(plan([grf]), engine)
    Ingestor(engine).ingest([_bill(77, "AN ACT relating to school facilities in Jefferson County"),
                             _bill(78, "AN ACT relating to charter schools in Fayette County"),
                             _bill(79, "Jefferson County School District Facilities Act", "us")], keep_results=False)
    retag(engine)
    with Session(engine) as s:
        choice = targets.resolve(s, "school_district", "2102990")
        assert (choice.key, choice.label) == ("2102990", "Jefferson County School District")
        assert targets.resolve(s, "school_district", "Jefferson County School District").key == "2102990"
        events = {e.bill_key: e for e in s.exec(select(ChangeEvent).where(ChangeEvent.kind == "new_bill")).all()}
        ky3 = s.exec(select(Legislator).where(Legislator.key == house_holders("ky")["3"])).one()
        ky6 = s.exec(select(Legislator).where(Legislator.key == house_holders("ky")["6"])).one()
        ours = ChangeEvent(id=10**6, natural_key="v1", kind="roll_call", jurisdiction_id="us",
                           legislator_ids=[ky3.id], payload={})
        theirs = ChangeEvent(id=10**6 + 1, natural_key="v2", kind="roll_call", jurisdiction_id="us",
                             legislator_ids=[ky6.id], payload={})
        m = Matcher(s, [*events.values(), ours, theirs], on=real_data.TODAY)
        jcps, fayette = _sub("2102990"), _sub("2101050")
        keys = sorted(events)
        named = [k for k in keys if m.matches(jcps, events[k])]
        assert named == [k for k in keys if "77" in k or "79" in k] and len(named) == 2, named
        assert [k for k in keys if m.matches(fayette, events[k])] == [k for k in keys if "78" in k]
        assert m.matches(jcps, ours) and not m.matches(jcps, theirs)
        assert m.matches(fayette, theirs) and not m.matches(fayette, ours)
        assert not m.matches(_sub("9999999"), ours)
