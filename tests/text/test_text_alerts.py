""""Text changed" and "money changed" events: a new version of H.R. 2157 names the sections and
amounts that moved; followers of the bill or of an issue area the money's heading names match."""
from __future__ import annotations

import secrets

from sqlmodel import Session, select

from tests.conftest import real_fixture
from tests.text.conftest import import_texts, store_bills
from tracker.alerts.matching import Matcher
from tracker.models import ChangeEvent, Subscription


def _sub(target_type: str, target: str) -> Subscription:
    return Subscription(subscriber_id=0, target_type=target_type, target=target, kinds=[],
                        feed_token=secrets.token_urlsafe(8))


def test_new_version_raises_text_and_money_events_once(engine):
    uslm = real_fixture("bill-text", "uslm")
    ingest = store_bills(engine)
    assert import_texts(ingest, uslm / "H2157_IH.XML").summary()["insert"] == 1
    with Session(engine) as db:
        # the first version has nothing to be compared with
        assert not db.exec(select(ChangeEvent).where(ChangeEvent.kind.in_(["text_changed", "money_changed"]))).all()
    assert import_texts(ingest, uslm / "h2157_enr.XML").summary()["insert"] == 1
    assert import_texts(ingest, uslm / "h2157_enr.XML").summary()["noop"] == 1  # replayed: no new event
    with Session(engine) as db:
        events = {e.kind: e for e in db.exec(select(ChangeEvent).where(
            ChangeEvent.kind.in_(["text_changed", "money_changed"]))).all()}
        assert set(events) == {"text_changed", "money_changed"}
        text, money = events["text_changed"], events["money_changed"]
        assert (text.bill_key, text.payload["from_code"], text.payload["to_code"]) == ("us-116-hr2157", "ih", "enr")
        assert text.payload["count"] == 38 + 13 + 11
        assert text.payload["url"] == "/bill/us-116-hr2157/diff?from=ih&to=enr"
        assert ("changed: TITLE I — DEPARTMENT OF AGRICULTURE / AGRICULTURAL PROGRAMS / Office of the Secretary"
                in text.payload["sections"])
        amounts = money.payload["amounts"]
        assert ("TITLE I — DEPARTMENT OF AGRICULTURE / AGRICULTURAL PROGRAMS / Natural Resources Conservation "
                "Service / Watershed and Flood Prevention Operations: $125,000,000 -> $435,000,000 (+248.0%)") in amounts
        assert money.payload["count"] == 14 + 15 + 16
        assert "early-childhood" in money.payload["areas"]  # the Child Care and Development Block Grant
        m = Matcher(db, [money, text])
        assert m.matches(_sub("bill", "us-116-hr2157"), money) and m.matches(_sub("bill", "us-116-hr2157"), text)
        assert m.matches(_sub("issue_area", "early-childhood"), money)
        assert not m.matches(_sub("issue_area", "charter-schools"), money)
        assert not m.matches(_sub("bill", "us-116-hr264"), text)
