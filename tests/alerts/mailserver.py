"""A real SMTP server for the alert tests: aiosmtpd on 127.0.0.1, messages parsed with email.policy.default."""
from __future__ import annotations

import contextlib
import email
import random
import socket
import threading
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def _ephemeral_floor() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A free port below the kernel's ephemeral range (aiosmtpd's Controller cannot bind port 0).

    Not an ephemeral one: the kernel hands those to outgoing connections too, so a port picked
    there and left unbound for a while (a test of an outage) could become another connection's
    local port, or a client connecting to it could even connect to itself."""
    top = max(_ephemeral_floor(), 20000)
    for port in random.sample(range(15000, top), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


class Inbox:
    """The aiosmtpd handler: keeps every accepted message; refuses recipients listed in `reject`."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.raw: list[bytes] = []  # each message's bytes as received (headers checked verbatim)
        self.reject: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(msg)
            self.raw.append(bytes(envelope.original_content or envelope.content))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return f"250 2.0.0 queued as {len(self.messages)}"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in str(m["To"])]


class MailServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "MailServer":
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@contextlib.contextmanager
def serving(monkeypatch, **settings: str):
    """A started mail server, with the app's settings pointed at it (EDTRACKER_SMTP_URL) and the
    given ones (`SECRET_KEY="..."` sets EDTRACKER_SECRET_KEY); stopped and forgotten afterwards."""
    from tracker.settings import get_settings

    server = MailServer().start()
    for k, v in {**settings, "SMTP_URL": server.url}.items():
        monkeypatch.setenv(f"EDTRACKER_{k}", v)
    get_settings.cache_clear()
    try:
        yield server
    finally:
        server.stop()
        get_settings.cache_clear()
