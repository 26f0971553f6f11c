"""A "this vote will be scored" notice published with the builder (issue 17) reaches the
coalition's followers and the bill's followers through the existing alert kind, and nobody else."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests import factories as f
from tests.alerts.helpers import ingest, subscribe
from tracker.coalitions.auth import new_api_key
from tracker.db import get_engine
from tracker.models import ApiKey, Coalition, Subscription

ATOM = "{http://www.w3.org/2005/Atom}"


def test_notice_reaches_coalition_and_bill_followers(alerts_env):
    from api.app import create_app

    engine = get_engine(alerts_env)
    ingest(engine, [f.bill(5), f.bill(6)])
    with Session(engine) as db:
        co = Coalition(slug="edfund", name="Education Fund")
        db.add(co)
        db.flush()
        key, prefix, hashed = new_api_key()
        db.add(ApiKey(coalition_id=co.id, name="t", prefix=prefix, key_hash=hashed, role="editor"))
        db.commit()
    subs = {"coalition": subscribe(engine, "co@example.org", "coalition", "edfund", channel="feed"),
            "bill": subscribe(engine, "bill@example.org", "bill", "us-119-hr6", channel="feed"),
            "other": subscribe(engine, "other@example.org", "bill", "us-119-hr5", channel="feed")}
    client = TestClient(create_app())
    auth = {"Authorization": f"Bearer {key}"}
    assert client.post("/api/coalitions/edfund/scorecards", headers=auth,
                       json={"slug": "house", "title": "House", "jurisdiction": "us"}).status_code == 201
    r = client.post("/api/coalitions/edfund/scorecards/house/notices", headers=auth, json={
        "bill_key": "us-119-hr6", "chamber": "lower", "text": "We will score the House vote", "preferred": "yes"})
    assert r.status_code == 201, r.text
    titles = {}
    for name, sid in subs.items():
        with Session(engine) as db:
            token = db.exec(select(Subscription.feed_token).where(Subscription.id == sid)).one()
        root = ET.fromstring(client.get(f"/alerts/feeds/{token}.atom").content)
        titles[name] = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert any("Scored-vote notice" in t for t in titles["coalition"]), titles
    assert any("Scored-vote notice" in t for t in titles["bill"]), titles
    assert not any("Scored-vote notice" in t for t in titles["other"]), titles
