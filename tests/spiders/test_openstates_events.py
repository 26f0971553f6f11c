"""openstates_events against a local mirror: hearings with the bills on their agenda."""
from __future__ import annotations

from sqlmodel import Session, select

from tests.spiders.openstates_mirror import Mirror, crawl, sample
from tracker.db import get_engine
from tracker.models import Hearing, HearingBill


def test_events_become_hearings_with_agenda_bills(db_url, tmp_path):
    mirror = Mirror(events=[sample("event_ca.json")])
    log, stats = crawl("openstates_events", db_url, mirror.url, tmp_path, "budget=5", "days_back=10")
    (events_query,) = [q for p, q, _k in mirror.log if p == "/events"]
    assert events_query["require_bills"] == "true" and "after" in events_query
    assert {"agenda", "participants"} <= set(events_query["include"])
    assert stats["edtracker/openstates/tasks_left"] == "0"
    engine = get_engine(db_url)
    with Session(engine) as s:
        hearing = s.exec(select(Hearing)).one()
        assert (hearing.key, hearing.committee_name, hearing.status) == (
            "ocd-event/33333333-3333-4333-8333-333333333333", "Education", "held")
        assert hearing.location == "1021 O Street, Room 1100"
        bills = s.exec(select(HearingBill).where(HearingBill.hearing_id == hearing.id)
                       .order_by(HearingBill.position)).all()
        # Agenda bills are keyed in the session the spider found current (20252026).
        assert [b.bill_key for b in bills] == ["ca-20252026-ab100", "ca-20252026-ab7"]
    engine.dispose()


def test_events_disabled_without_key(sqlite_url, tmp_path):
    mirror = Mirror()
    log, _ = crawl("openstates_events", sqlite_url, mirror.url, tmp_path, key=None)
    assert "openstates_events is disabled" in log and mirror.log == []
