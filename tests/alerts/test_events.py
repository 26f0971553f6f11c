"""Change events come only from what ingest reports as changed; natural keys make re-runs silent."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tests import factories as f
from tracker.alerts.events import record_event
from tracker.ingest import Ingestor
from tracker.models import ChangeEvent, Coalition, PositionHistory


def run(engine, records):
    return Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(records)


def events(engine) -> dict[str, ChangeEvent]:
    with Session(engine) as s:
        return {e.natural_key: e for e in s.exec(select(ChangeEvent).order_by(ChangeEvent.id))}


def hearing(**kw) -> dict:
    rec = {"type": "hearing", "key": "us-house-hsed-2025-04-01", "jurisdiction": "us",
           "committee_key": "HSED", "committee_name": "Education and Workforce",
           "start": "2025-04-01T14:00:00Z", "location": "2175 Rayburn", "status": "scheduled",
           "bills": [{"bill_key": "us-119-hr5"}], "source": f.SRC}
    rec.update(kw)
    return rec


def test_first_import_makes_new_bill_and_roll_call_events_and_reimport_none(engine):
    run(engine, f.batch())
    first = events(engine)
    assert {e.kind for e in first.values()} == {"new_bill", "roll_call"}
    assert set(first) == {"bill:us-119-hr5:new", "bill:us-119-hr6:new", "vote:us-house-2025-17"}
    roll = first["vote:us-house-2025-17"]
    assert roll.bill_key == "us-119-hr5" and len(roll.legislator_ids) == 2
    assert sorted(roll.payload["votes"].values()) == ["no", "yes"]
    assert first["bill:us-119-hr5:new"].legislator_ids  # the primary sponsor, resolved
    report = run(engine, f.batch())
    assert report.summary()["noop"] == 5
    assert events(engine) == first or set(events(engine)) == set(first)
    assert len(events(engine)) == 3


def test_update_makes_stage_action_version_and_sponsor_events_once(engine):
    run(engine, f.batch())
    moved = f.bill()
    moved["actions"].append({"date": "2025-04-10", "description": "Passed Senate without amendment.",
                             "actor": "upper", "classification": ["passage"]})
    moved["versions"].append({"note": "Engrossed in House", "date": "2025-03-05",
                              "url": "https://www.congress.gov/119/bills/hr5/BILLS-119hr5eh.xml"})
    moved["sponsorships"][1]["withdrawn_date"] = "2025-04-11"
    moved["sponsorships"].append({"name": "Rep. Poe, Pat [D-NY-1]", "ids": {"bioguide": "P000003"},
                                  "classification": "cosponsor", "date": "2025-04-12"})
    before = set(events(engine))
    assert run(engine, [moved]).results[0].outcome == "update"
    new = {k: v for k, v in events(engine).items() if k not in before}
    kinds = sorted(e.kind for e in new.values())
    assert kinds == ["new_action", "new_version", "sponsor_added", "sponsor_withdrawn", "stage_changed"]
    stage = next(e for e in new.values() if e.kind == "stage_changed")
    assert stage.natural_key == "bill:us-119-hr5:stage:passed_second:2025-04-10"
    assert stage.payload["old_stage"] == "passed_origin"
    action = next(e for e in new.values() if e.kind == "new_action")
    assert action.payload["description"] == "Passed Senate without amendment."
    # The same data again: noop, no event.
    assert run(engine, [f.clone(moved)]).results[0].outcome == "noop"
    assert len(events(engine)) == len(before) + 5


def test_repeated_action_text_marks_only_the_new_one(engine):
    base = f.bill(9)
    base["actions"].append({"date": "2025-03-06", "description": "Motion to reconsider laid on the table.",
                            "actor": "lower"})
    run(engine, [base])
    again = f.clone(base)
    again["actions"].append({"date": "2025-04-06", "description": "Motion to reconsider laid on the table.",
                             "actor": "upper"})
    run(engine, [again])
    acts = [e for e in events(engine).values() if e.kind == "new_action"]
    assert [a.payload["date"] for a in acts] == ["2025-04-06"]


def test_hearing_scheduled_then_moved_then_same(engine):
    run(engine, [f.bill()])
    run(engine, [hearing()])
    run(engine, [hearing(start="2025-04-02T14:00:00Z")])
    run(engine, [hearing(start="2025-04-02T14:00:00Z")])
    hs = [e for e in events(engine).values() if e.kind.startswith("hearing")]
    assert [(h.kind, h.bill_key) for h in hs] == [("hearing_scheduled", "us-119-hr5"),
                                                   ("hearing_changed", "us-119-hr5")]
    assert hs[0].natural_key == "hearing:us-house-hsed-2025-04-01:scheduled:2025-04-01T14:00:00+00:00:bill:us-119-hr5"
    assert hs[1].payload["changed"]["start"]["new"].startswith("2025-04-02T14:00")
    assert hs[0].committee_key == "HSED"


def test_position_history_write_makes_an_event_in_the_same_transaction(engine):
    with Session(engine) as s:
        c = Coalition(slug="ed", name="Ed Coalition")
        s.add(c)
        s.commit()
        s.add(PositionHistory(coalition_id=c.id, bill_key="us-119-hr5", stance="support", public=True))
        s.commit()
        s.add(PositionHistory(coalition_id=c.id, bill_key="us-119-hr5", stance="oppose",
                              previous_stance="support"))
        s.rollback()  # never committed: no event either
    evs = [e for e in events(engine).values() if e.kind == "position_changed"]
    assert len(evs) == 1 and evs[0].payload["stance"] == "support" and evs[0].coalition_id


def test_record_event_is_insert_if_absent(engine):
    with Session(engine) as s:
        assert record_event(s, "scored_vote_notice", "notice:ed-2025:us-house-2025-17",
                            {"vote_key": "us-house-2025-17"}, bill_key="us-119-hr5", jurisdiction_id="us")
        assert not record_event(s, "scored_vote_notice", "notice:ed-2025:us-house-2025-17", {})
        s.commit()
    assert len(events(engine)) == 1
