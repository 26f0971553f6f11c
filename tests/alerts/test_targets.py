"""Issue 18: what a subscription follows is found by name and stored by its canonical key;
committees and legislators answer to any of their keys or names, and so does matching.

Real files: congress-legislators (537 members, committees with thomas ids), BILLSTATUS bills
referred to House Education and Labor and Senate HELP, Open States' California committees."""
from __future__ import annotations

import secrets

import pytest
from sqlmodel import Session, select

from tests.people import real_data
from tracker.alerts.matching import Matcher
from tracker.alerts.subscribe import InvalidRequest, SubscriptionRequest, request_subscription
from tracker.alerts.targets import NotFound, describe, find, resolve
from tracker.models import ChangeEvent, Subscription

CA_ASSEMBLY_EDUCATION = "ocd-organization/1849e837-f14f-473b-977a-311b2c5923ce"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path_factory, sqlite_template):
    """The real data loaded once per database kind (loading 537 members takes a while)."""
    from tests.conftest import PG_URL, _pg_db, _sqlite_db
    from tracker.db import get_engine

    if request.param == "sqlite":
        url, drop = _sqlite_db(tmp_path_factory.mktemp("targets"), sqlite_template), None
    else:
        if not PG_URL:
            pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
        url, drop = _pg_db(request.getfixturevalue("pg_template"))
    engine = get_engine(url)
    real_data.congress(engine)
    real_data.federal_bills(engine)
    real_data.load(engine, "openstates-people", "ca", "committees")
    yield engine
    engine.dispose()
    if drop:
        drop()


@pytest.mark.parametrize("typed", ["us-SSHR", "SSHR", "sshr00", "Senate Committee on Health, Education, Labor, and Pensions",
                                   "Health, Education, Labor, and Pensions Committee"])
def test_a_committee_by_any_key_or_name(store, typed):
    with Session(store) as s:
        assert resolve(s, "committee", typed).key == "us-SSHR"


def test_a_state_committee_by_name_and_chamber(store):
    with Session(store) as s:
        assert resolve(s, "committee", "Assembly Education Committee").key == CA_ASSEMBLY_EDUCATION
        assert resolve(s, "committee", CA_ASSEMBLY_EDUCATION).label == "Education"
        # Plain "Education" names both California chambers' committees: a person chooses.
        with pytest.raises(NotFound) as err:
            resolve(s, "committee", "Education")
        keys = {c.key for c in err.value.choices}
        assert CA_ASSEMBLY_EDUCATION in keys and "ocd-organization/97bac2d6-cbad-4ed7-859e-583b6280bdb5" in keys


@pytest.mark.parametrize("typed", ["bioguide:S000033", "S000033", "lis:S313", "Bernard Sanders", "bernie sanders"])
def test_a_legislator_by_any_id_or_name(store, typed):
    with Session(store) as s:
        found = resolve(s, "legislator", typed)
        assert (found.key, found.label) == ("bioguide:S000033", "Bernard Sanders")


def test_bills_by_number_or_words_and_things_that_do_not_exist(store):
    with Session(store) as s:
        bill = resolve(s, "bill", "H.R. 5177")
        assert bill.key == "us-116-hr5177" and bill.label.startswith("H.R. 5177: ")
        assert describe(s, "bill", "us-116-hr5177") == bill.label
        one, many = find(s, "bill", "Pensions")
        assert one is None and all(c.target_type == "bill" for c in many)
        for kind, typed in (("bill", "not-a-bill"), ("legislator", "Nobody Atall"), ("committee", "not-a-committee"),
                            ("issue_area", "not-an-area"), ("coalition", "nope")):
            with pytest.raises(NotFound):
                resolve(s, kind, typed)


def test_sign_up_stores_the_canonical_key_and_refuses_what_does_not_exist(store):
    from tracker.settings import Settings

    settings = Settings(secret_key="k" * 40, public_url="https://alerts.example.org", _env_file=None)
    with Session(store) as s:
        msg = request_subscription(s, settings, SubscriptionRequest(
            email="ada@example.org", target_type="committee", target="HSED", kinds=[], lang="es"))
        s.flush()
        sub = s.exec(select(Subscription).where(Subscription.target_type == "committee")).one()
        assert sub.target == "us-HSED"
        assert "House Committee on Education and Workforce" in msg.get_body(("plain",)).get_content()
        assert msg["Subject"] == "Confirme su alerta de edtracker"
        with pytest.raises(InvalidRequest) as err:
            request_subscription(s, settings, SubscriptionRequest(email="ada@example.org", target_type="bill",
                                                                  target="not-a-bill", kinds=[]))
        assert err.value.field == "target"
        assert len(s.exec(select(Subscription)).all()) == 1
        s.rollback()  # the module's store stays as loaded


def _sub(target_type: str, target: str) -> Subscription:
    return Subscription(subscriber_id=0, target_type=target_type, target=target, kinds=[], feed_token=secrets.token_urlsafe(8))


def test_matching_finds_a_committee_under_any_of_its_names(store):
    with Session(store) as s:
        events = s.exec(select(ChangeEvent).where(ChangeEvent.kind == "new_bill")).all()
        by_bill = {e.bill_key: e for e in events}
        hr5177, s2902 = by_bill["us-116-hr5177"], by_bill["us-116-s2902"]
        # Stored events, keyed as the sources print them: "Education and Labor Committee" (the
        # House committee's old name; its code hsed00 says which one) and "Health, Education, ...".
        hearing = ChangeEvent(id=10**6, natural_key="x", kind="hearing_scheduled", jurisdiction_id="us",
                              committee_key="Health, Education, Labor, and Pensions Committee", payload={})
        ca_hearing = ChangeEvent(id=10**6 + 1, natural_key="y", kind="hearing_scheduled", jurisdiction_id="ca",
                                 committee_key=CA_ASSEMBLY_EDUCATION, payload={"committee": "Education"})
        m = Matcher(s, [hr5177, s2902, hearing, ca_hearing])
        for target in ("us-HSED", "HSED", "hsed00", "House Committee on Education and Workforce"):
            assert m.matches(_sub("committee", target), hr5177), target
            assert not m.matches(_sub("committee", target), s2902), target
        for target in ("us-SSHR", "SSHR", "Senate Committee on Health, Education, Labor, and Pensions"):
            assert m.matches(_sub("committee", target), s2902), target
            assert m.matches(_sub("committee", target), hearing), target
            assert not m.matches(_sub("committee", target), hr5177), target
        assert m.matches(_sub("committee", "Assembly Education Committee"), ca_hearing)
        assert not m.matches(_sub("committee", "us-SSHR"), ca_hearing)


def test_matching_finds_a_legislator_under_any_of_their_ids(store):
    with Session(store) as s:
        from tracker.models import Legislator

        sanders = s.exec(select(Legislator).where(Legislator.key == "bioguide:S000033")).one()
        vote = ChangeEvent(id=10**6, natural_key="v", kind="roll_call", jurisdiction_id="us",
                           legislator_ids=[sanders.id], payload={})
        m = Matcher(s, [vote])
        for target in ("bioguide:S000033", "lis:S313", "S000033", "Bernard Sanders"):
            assert m.matches(_sub("legislator", target), vote), target
        assert not m.matches(_sub("legislator", "bioguide:W000187"), vote)
