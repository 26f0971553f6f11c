"""A federal roll call points at the bill action that records it, whichever arrives first."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from tests import factories as f
from tracker.ingest import Ingestor
from tracker.bills.links import recorded_vote_key
from tracker.models import VoteEvent

RV = {"chamber": "lower", "roll_number": "17", "session_number": 1,
      "date": "2025-03-05T20:10:00Z", "url": "https://clerk.house.gov/evs/2025/roll017.xml"}


def bill_with_recorded_vote():
    rec = f.bill()
    rec["actions"][2]["extras"] = {"recorded_votes": [RV]}
    return rec


def run(engine, records):
    return Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(records)


def stored(engine) -> VoteEvent:
    with Session(engine) as db:
        return db.exec(select(VoteEvent).where(VoteEvent.key == "us-house-2025-17")).one()


@pytest.mark.parametrize("vote_names_bill", [True, False])
@pytest.mark.parametrize("bill_first", [True, False])
def test_link_is_made_in_either_order_and_reingest_is_noop(engine, bill_first, vote_names_bill):
    vote = f.vote() if vote_names_bill else f.vote(bill_key=None)
    people = [f.legislator(), f.legislator("R000002", "Rick Roe")]
    order = [*people, bill_with_recorded_vote(), vote] if bill_first else [*people, vote, bill_with_recorded_vote()]
    assert run(engine, order).summary()["error"] == 0
    event = stored(engine)
    assert (event.bill_key, event.action_position) == ("us-119-hr5", 2)
    again = run(engine, order)
    assert again.summary() == {"insert": 0, "update": 0, "noop": 4, "error": 0}
    assert (stored(engine).bill_key, stored(engine).action_position) == ("us-119-hr5", 2)


def test_vote_of_another_bill_is_not_relinked(engine):
    run(engine, [f.vote(bill_key="us-119-hr6"), bill_with_recorded_vote()])
    assert (stored(engine).bill_key, stored(engine).action_position) == ("us-119-hr6", None)


@pytest.mark.parametrize("rv, congress, key", [
    (RV, "119", "us-house-2025-17"),
    # UTC date on the next day, no URL: the chamber's local (Eastern) date decides the year.
    ({"chamber": "lower", "roll_number": "701", "date": "2025-01-01T03:00:00Z"}, "118", "us-house-2024-701"),
    ({"chamber": "upper", "roll_number": "00213", "session_number": 2, "date": "2004-11-17T22:48:00Z"},
     "108", "us-senate-108-2-213"),
    ({"chamber": "upper", "roll_number": "222",
      "url": "https://www.senate.gov/legislative/LIS/roll_call_votes/vote1141/vote_114_1_00222.xml"},
     "114", "us-senate-114-1-222"),
    ({"chamber": "upper", "roll_number": "x"}, "114", None),
])
def test_recorded_vote_keys(rv, congress, key):
    assert recorded_vote_key(rv, congress) == key
