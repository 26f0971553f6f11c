"""Issue 18: the sign-up limits are kept in the database, so two API workers (two app instances
on one database) share them, and a limit reached answers 429 with the seconds left. Past the
per-address bound the answer is unchanged (it reveals nothing) but no further confirmation is
queued. Real BILLSTATUS bills."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from tests.people import real_data
from tracker.db import get_engine
from tracker.models import Delivery

JSON = {"accept": "application/json"}
FORM = {"target_type": "bill", "target": "us-116-hr5177", "frequency": "daily"}


def _confirmations(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Delivery).where(Delivery.purpose == "confirmation"))


def test_signup_limits_are_shared_by_workers_and_answer_429(alerts_env, monkeypatch):
    from api.app import create_app
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_ALERTS_SIGNUP_PER_HOUR", "3")
    get_settings.cache_clear()
    engine = get_engine(alerts_env)
    real_data.federal_bills(engine)
    with TestClient(create_app(), headers=JSON) as one, TestClient(create_app(), headers=JSON) as two:
        # The same email address asked for three times through two workers, then a fourth time.
        for c in (one, two, one):
            assert c.post("/alerts/signup", data=dict(FORM, email="a@example.org")).status_code == 202
        assert _confirmations(engine) == 3
        # The client's own limit (3 an hour) is now reached, whichever worker answers.
        over = two.post("/alerts/signup", data=dict(FORM, email="b@example.org"))
        assert over.status_code == 429
        assert 3000 < int(over.headers["retry-after"]) <= 3600
        assert _confirmations(engine) == 3


def test_an_address_gets_a_bounded_number_of_confirmations_whoever_asks(alerts_env, monkeypatch):
    from api.app import create_app
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_ALERTS_SIGNUP_PER_HOUR", "2")
    get_settings.cache_clear()
    engine = get_engine(alerts_env)
    real_data.federal_bills(engine)
    app = create_app()
    answers = []
    for n in range(3):   # three different clients ask for the same address
        with TestClient(app, headers=JSON, client=(f"192.0.2.{n + 1}", 5000)) as c:
            answers.append(c.post("/alerts/signup", data=dict(FORM, email="victim@example.org")))
    assert [a.status_code for a in answers] == [202, 202, 202]
    assert len({a.text for a in answers}) == 1          # the answer does not tell
    assert _confirmations(engine) == 2                  # but the third is not sent
