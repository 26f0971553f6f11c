"""Direct set-up of subscribers and subscriptions (the sign-up flow has its own test)."""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func
from sqlmodel import Session, select

from tests import factories as f
from tracker.ingest import Ingestor
from tracker.models import ChangeEvent, Delivery, Subscriber, Subscription


def subscribe(engine, email: str, target_type: str = "bill", target: str = "us-119-hr5", **kw) -> int:
    with Session(engine) as s:
        person = s.exec(select(Subscriber).where(Subscriber.email == email)).first()
        if person is None:
            person = Subscriber(email=email, status="active")
            s.add(person)
            s.flush()
        kw.setdefault("cursor", s.exec(select(func.max(ChangeEvent.id))).one() or 0)  # news from now on
        sub = Subscription(subscriber_id=person.id, target_type=target_type, target=target,
                           feed_token=secrets.token_urlsafe(16), **kw)
        s.add(sub)
        s.commit()
        return sub.id


def ingest(engine, records):
    return Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(records)


def moved_bill(n: int = 5, when: str = "2025-04-10") -> dict:
    b = f.bill(n)
    b["actions"].append({"date": when, "description": "Passed Senate without amendment.", "actor": "upper",
                         "classification": ["passage"]})
    return b


def deliveries(engine) -> list[Delivery]:
    with Session(engine) as s:
        return list(s.exec(select(Delivery).order_by(Delivery.id)))
