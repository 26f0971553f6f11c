"""Claiming outbox rows and moving them through their states, one short transaction each.

pending -> sending (claimed by one dispatcher until its lease ends) -> sent | pending (retry
later) | bounced | failed | cancelled. A dispatcher marks a chunk of claimed rows `in_flight`
before it sends them and `sent` once the server has accepted them (at least once: a crash in
between sends them again, with the same Message-ID, and counts the attempt as `uncertain`).
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.engine import Engine

from tracker.store.sqlutil import aware
from tracker.db import session_scope
from tracker.models import Delivery
from tracker.models.base import utcnow

WORKER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def new_message_id(mail_from: str, kind: str = "alert") -> str:
    """A Message-ID chosen once, when the message is queued; every copy sent carries it."""
    from email.utils import parseaddr

    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "edtracker.invalid"
    return f"<{kind}.{uuid.uuid4().hex}@{domain}>"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead_here(claimed_by: str | None, host: str) -> bool:
    who_host, _, rest = (claimed_by or "").partition(":")
    pid = rest.partition(":")[0]
    return who_host == host and pid.isdigit() and not _pid_alive(int(pid))


def recover(engine: Engine, settings, now: dt.datetime | None = None) -> int:
    """Release rows whose dispatcher died (its pid is gone on this host) or whose lease ended.

    A row released while `in_flight` may have reached the server: it is sent again with the
    same Message-ID and its attempt counts as `uncertain` (the status page's "possibly repeated").
    """
    now = now or utcnow()
    timeout = dt.timedelta(seconds=settings.alerts_claim_timeout_seconds)
    host = socket.gethostname()
    with session_scope(engine) as s:
        rows = s.execute(select(Delivery.id, Delivery.claimed_by, Delivery.lease_until, Delivery.claimed_at)
                         .where(Delivery.state == "sending")).all()
        lost = [r.id for r in rows if _dead_here(r.claimed_by, host)
                or (aware(r.lease_until) or (aware(r.claimed_at) or now) + timeout) <= now]
        if not lost:
            return 0
        conn = s.connection()
        released = dict(state="pending", claimed_by=None, lease_until=None, in_flight=False, next_attempt_at=now)
        conn.execute(update(Delivery).where(Delivery.id.in_(lost), Delivery.state == "sending",
                                            Delivery.in_flight.is_(True))
                     .values(uncertain=Delivery.uncertain + 1, **released,
                             last_error="its dispatcher stopped while sending: sent again, a copy may have arrived"))
        conn.execute(update(Delivery).where(Delivery.id.in_(lost), Delivery.state == "sending")
                     .values(**released, last_error="released after its dispatcher stopped"))
    return len(lost)


def drop_dead_lease(engine: Engine, name: str) -> None:
    """SQLite's dispatcher lease held by a process of this host that is gone: free it now."""
    with engine.begin() as conn:
        holder = conn.execute(text("SELECT holder FROM scheduler_lease WHERE name = :n"), {"n": name}).scalar()
        if holder and _dead_here(holder, socket.gethostname()):
            conn.execute(text("DELETE FROM scheduler_lease WHERE name = :n AND holder = :h"), {"n": name, "h": holder})


def claim_ids(engine: Engine, settings, ids: list[int], worker: str = WORKER) -> list[int]:
    """Claim these rows if they are still pending (send a just-queued email at once)."""
    return claim(engine, settings, "email", len(ids), worker=worker, only=ids)


def claim(engine: Engine, settings, channel: str, limit: int, now: dt.datetime | None = None,
          worker: str = WORKER, only: list[int] | None = None) -> list[int]:
    """Move up to `limit` due pending rows of `channel` to `sending` for `worker`, with a lease.

    PostgreSQL: `FOR UPDATE SKIP LOCKED`, so dispatchers running at once take different rows.
    SQLite: one writer at a time, and the update is conditional on the row still being pending.
    """
    now = now or utcnow()
    with session_scope(engine) as s:
        conn = s.connection()
        query = (select(Delivery.id, Delivery.message_id).where(
            Delivery.state == "pending", Delivery.channel == channel,
            (Delivery.next_attempt_at.is_(None)) | (Delivery.next_attempt_at <= now))
            .order_by(Delivery.id).limit(limit))
        if only is not None:
            query = query.where(Delivery.id.in_(only))
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = conn.execute(query).all()
        if not rows:
            return []
        ids = [r.id for r in rows]
        conn.execute(update(Delivery).where(Delivery.id.in_(ids), Delivery.state == "pending")
                     .values(state="sending", claimed_by=worker, claimed_at=now, in_flight=False,
                             lease_until=now + dt.timedelta(seconds=settings.alerts_claim_timeout_seconds),
                             attempts=Delivery.attempts + 1))
        # Rows queued before Message-IDs were stored get theirs now, before any copy is sent.
        missing = [{"b_id": r.id, "b_mid": new_message_id(settings.mail_from)} for r in rows if not r.message_id]
        if missing:
            conn.execute(update(Delivery).where(Delivery.id == bindparam("b_id"), Delivery.message_id.is_(None))
                         .values(message_id=bindparam("b_mid")), missing)
        return list(conn.execute(select(Delivery.id).where(Delivery.id.in_(ids), Delivery.claimed_by == worker,
                                                           Delivery.state == "sending").order_by(Delivery.id))
                    .scalars())


def progress(engine: Engine, settings, worker: str, now: dt.datetime, sent: dict[int, str],
             in_flight: list[int], extend_lease: bool = True) -> None:
    """One transaction: mark `sent` the rows the server accepted (id -> its answer), mark the
    next chunk `in_flight`, and (unless told not to) extend this worker's lease."""
    with session_scope(engine) as s:
        conn = s.connection()
        if sent:
            # Accepted is accepted: marked even if the claim was lost meanwhile (saves a repeat).
            conn.execute(update(Delivery).where(Delivery.id == bindparam("b_id"),
                                                (Delivery.state == "sending") | (Delivery.state == "pending"))
                         .values(state="sent", sent_at=now, in_flight=False, lease_until=None,
                                 server_reply=bindparam("b_reply")),
                         [{"b_id": k, "b_reply": v[:300]} for k, v in sent.items()])
        if in_flight:
            conn.execute(update(Delivery).where(Delivery.id.in_(in_flight), Delivery.claimed_by == worker,
                                                Delivery.state == "sending").values(in_flight=True))
        if extend_lease:
            conn.execute(update(Delivery).where(Delivery.claimed_by == worker, Delivery.state == "sending")
                         .values(lease_until=max(now, utcnow())
                                 + dt.timedelta(seconds=settings.alerts_claim_timeout_seconds)))


def retry_later(engine: Engine, settings, errors: dict[int, str], worker: str, now: dt.datetime | None = None,
                uncertain: set[int] = frozenset()) -> dict[int, str]:
    """Back to `pending` with exponential backoff, or `failed` once `ALERTS_RETRY_DAYS` have
    passed since the row was queued. Return each row's new state ("lost" if not ours)."""
    now = now or utcnow()
    give_up = dt.timedelta(days=settings.alerts_retry_days)
    out = {i: "lost" for i in errors}
    with session_scope(engine) as s:
        for d in s.scalars(select(Delivery).where(Delivery.id.in_(list(errors)), Delivery.claimed_by == worker,
                                                  Delivery.state == "sending")):
            error = errors[d.id]
            d.uncertain += d.id in uncertain
            d.in_flight, d.lease_until = False, None
            if now - (aware(d.created_at) or now) >= give_up:
                d.state = "failed"
                d.last_error = f"gave up after {settings.alerts_retry_days:g} days ({d.attempts} attempts): {error}"
            else:
                delay = min(settings.alerts_retry_base_seconds * 2 ** min(max(d.attempts - 1, 0), 30),
                            settings.alerts_retry_max_seconds)
                d.state, d.last_error, d.claimed_by = "pending", error, None
                d.next_attempt_at = now + dt.timedelta(seconds=delay)
            out[d.id] = d.state
            s.add(d)
    return out


def finish(engine: Engine, delivery_id: int, worker: str, state: str, error: str | None) -> None:
    """A final state for a claimed row: bounced, failed or cancelled."""
    with session_scope(engine) as s:
        s.connection().execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.claimed_by == worker,
                                                      Delivery.state == "sending")
                               .values(state=state, last_error=error, in_flight=False, lease_until=None))


def mark_sent(engine: Engine, settings, delivery_id: int, worker: str, reply: str,
              now: dt.datetime | None = None) -> None:
    """One row accepted (webhooks: one at a time)."""
    progress(engine, settings, worker, now or utcnow(), {delivery_id: reply}, [])
