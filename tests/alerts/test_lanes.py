"""Several SMTP connections per dispatcher (EDTRACKER_ALERTS_SMTP_CONNECTIONS): every message
goes out once, each subscriber's messages over one connection and in the order they were queued,
and a small batch or a setting of 1 uses a single connection (real aiosmtpd, SQLite and PostgreSQL)."""
from __future__ import annotations

import collections

import pytest

from tests.alerts.test_crash import queue
from tests.alerts.mailserver import Inbox, MailServer
from tracker.alerts.dispatch import send_due
from tracker.db import get_engine
from tracker.settings import Settings


class PeerInbox(Inbox):
    """Remembers which connection (client port) carried each message."""

    def __init__(self) -> None:
        super().__init__()
        self.peers: list[int] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.peers.append(session.peer[1])
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def peer_mail():
    server = MailServer()
    server.inbox = PeerInbox()
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("connections", [1, 2, 3])
def test_each_subscriber_keeps_one_connection_and_its_order(db_url, peer_mail, connections):
    expected = queue(db_url, 40)           # 40 readers x 2 alerts, and 2 ready-made emails
    settings = Settings(_env_file=None, database_url=db_url, smtp_url=peer_mail.url, secret_key="x" * 40,
                        alerts_settle_seconds=0, alerts_smtp_connections=connections)
    report = send_due(get_engine(db_url), settings, batch=500)
    inbox = peer_mail.inbox
    assert report.sent == expected == len(inbox.messages)
    assert len({str(m["Message-ID"]) for m in inbox.messages}) == expected      # each once
    assert len(set(inbox.peers)) == connections
    by_reader: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    for peer, m in zip(inbox.peers, inbox.messages):
        if m["X-Edtracker-Delivery"] is not None:   # (the two ready-made emails carry no id)
            by_reader[str(m["To"])].append((peer, int(m["X-Edtracker-Delivery"])))
    assert sum(map(len, by_reader.values())) == expected - 2 and len(by_reader) == 40
    for reader, sent in by_reader.items():
        assert len({peer for peer, _ in sent}) == 1, f"{reader}'s messages went over several connections"
        ids = [d for _, d in sent]
        assert ids == sorted(ids), f"{reader}'s messages out of order"


def test_a_small_batch_uses_one_connection(db_url, peer_mail):
    expected = queue(db_url, 5)
    settings = Settings(_env_file=None, database_url=db_url, smtp_url=peer_mail.url, secret_key="x" * 40,
                        alerts_settle_seconds=0, alerts_smtp_connections=4)
    assert send_due(get_engine(db_url), settings, batch=500).sent == expected
    assert len(set(peer_mail.inbox.peers)) == 1
