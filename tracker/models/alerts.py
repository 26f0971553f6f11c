"""Alerts (issue 7): change events, subscribers, subscriptions and the delivery outbox.

The change event id is every reader's cursor; the natural key makes re-crawls create nothing.
A delivery row is written before anything is sent and moves pending -> sending -> sent/failed,
one transaction per step (see docs/alerts.md).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, false
from sqlmodel import Field, SQLModel

from tracker.models.base import json_dict, json_list, tz_datetime
from tracker.models.coalition import stamped


class ChangeEvent(SQLModel, table=True):
    """Something that changed, derived from what ingest reported (or a coalition/scorecard write)."""

    __tablename__ = "change_event"

    id: int | None = Field(default=None, primary_key=True)
    natural_key: str = Field(unique=True, description="e.g. bill:us-119-hr5:stage:passed_second:2025-04-10")
    kind: str = Field(index=True, description="one of tracker.alerts.kinds.EVENT_KINDS")
    bill_key: str | None = Field(default=None, index=True)
    jurisdiction_id: str | None = Field(default=None, index=True)
    committee_key: str | None = None
    coalition_id: int | None = Field(default=None, index=True)
    legislator_ids: list = json_list()
    payload: dict = json_dict()
    created_at: dt.datetime | None = stamped()


class Subscriber(SQLModel, table=True):
    """An email address that signed up; nothing is sent before it is confirmed (double opt-in)."""

    __tablename__ = "alert_subscriber"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, description="lower-cased address")
    status: str = Field(default="pending", index=True,
                        description="pending, active, unsubscribed or bounced")
    # coalition.id without a foreign key: the coalition tables come from another migration branch.
    coalition_id: int | None = None
    token_version: int = Field(default=1, description="bumped to invalidate every signed link")
    lang: str = Field(default="en", sa_column_kwargs={"server_default": "en"}, description="emails' language: en or es")
    bounce_reason: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime | None = stamped()
    confirmed_at: dt.datetime | None = tz_datetime()
    unsubscribed_at: dt.datetime | None = tz_datetime()
    bounced_at: dt.datetime | None = tz_datetime()


class Subscription(SQLModel, table=True):
    """What one subscriber follows, which event kinds, how often and through which channel."""

    __tablename__ = "alert_subscription"

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="alert_subscriber.id", index=True)
    target_type: str = Field(description="bill, issue_area, jurisdiction, legislator, committee, "
                             "saved_search or coalition")
    target: str = Field(description="bill key, issue area slug, jurisdiction id, legislator key, ...")
    kinds: list = json_list()
    frequency: str = Field(default="immediate", description="immediate, daily or weekly")
    send_time: str = Field(default="08:00", description="local HH:MM for digests")
    timezone: str = "America/New_York"
    weekday: int = Field(default=0, description="weekly digests: 0 = Monday")
    channel: str = Field(default="email", description="email, webhook or feed")
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # Whose positions roll calls are compared with (coalition.id, no foreign key as above).
    coalition_id: int | None = None
    active: bool = True
    disabled_reason: str | None = None
    consecutive_failures: int = 0
    cursor: int = Field(default=0, description="last change_event id already planned")
    last_digest_key: str | None = None
    feed_token: str = Field(unique=True)
    created_at: dt.datetime | None = stamped()


class Delivery(SQLModel, table=True):
    """The outbox: one (subscription, event or digest) delivery, recorded before it is sent."""

    __tablename__ = "alert_delivery"

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, description="sub:<id>:event:<id>, sub:<id>:digest:<key> or mail:<purpose>:<random>")
    # None for a ready-made email (confirmation, password reset): `recipient` and `body` hold it.
    subscription_id: int | None = Field(default=None, foreign_key="alert_subscription.id", index=True)
    purpose: str = Field(default="alert", sa_column_kwargs={"server_default": "alert"},
                         description="alert, confirmation, password_reset, ...")
    recipient: str | None = None
    body: str | None = Field(default=None, sa_type=Text, description="the whole message, for ready-made emails")
    coalition_id: int | None = Field(default=None, description="whose staff see it (ready-made emails)")
    channel: str
    digest_key: str | None = None
    event_ids: list = json_list()
    state: str = Field(default="pending", index=True,
                       description="pending, sending, sent, bounced, failed or cancelled")
    attempts: int = 0
    next_attempt_at: dt.datetime | None = tz_datetime()
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = tz_datetime()
    lease_until: dt.datetime | None = tz_datetime()
    # Set while this attempt may have reached the server: a claim lost with it set may repeat.
    in_flight: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    uncertain: int = Field(default=0, sa_column_kwargs={"server_default": "0"},
                           description="attempts whose outcome at the server is unknown")
    message_id: str | None = Field(default=None, description="assigned when queued; every copy carries it")
    server_reply: str | None = Field(default=None, description="the server's answer to the end of DATA")
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime | None = stamped()
    sent_at: dt.datetime | None = tz_datetime()
