"""SMTP from a URL, and a send that records "sent" before the server can accept the message.

The server accepts a message only when it receives the final "." of DATA (RFC 5321 section
4.1.1.4); a connection that drops before that aborts the transaction. So `SmtpSender.send`
streams the whole message but the final dot, calls `commit()` (which marks the delivery sent in
the database), and only then sends the dot. A crash before `commit()` returns leaves nothing at
the server (the delivery is retried); a crash after leaves a delivery marked sent. See docs/alerts.md.
"""
from __future__ import annotations

import os
import re
import signal
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from typing import Callable
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}

# Test-only: SIGKILL this process at a named point of the send (see tests/alerts/test_crash.py).
CRASH_ENV = "EDTRACKER_ALERTS_TEST_CRASH"


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpConfig:
    """smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465."""
    parts = urlsplit(url)
    security = SCHEMES.get(parts.scheme)
    if security is None or not parts.hostname:
        raise ValueError(f"EDTRACKER_SMTP_URL {url!r}: expected smtp://, smtp+starttls:// or smtps://host[:port]")
    return SmtpConfig(parts.hostname, parts.port or DEFAULT_PORTS[security], security,
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None)


class TemporaryFailure(Exception):
    """Try again later: connection refused or lost, 4xx answers."""


class PermanentFailure(Exception):
    """The server refused the recipient or the message for good (5xx)."""

    def __init__(self, message: str, *, recipient: bool):
        super().__init__(message)
        self.recipient = recipient


class NotCommitted(Exception):
    """`commit()` declined (another dispatcher took the delivery): nothing was accepted."""


class Ambiguous(Exception):
    """The final dot was sent but no answer came: the server may have accepted the message."""


def to_wire(msg: EmailMessage) -> bytes:
    """The message as SMTP DATA without the terminating dot: CRLF lines, leading dots doubled."""
    data = msg.as_bytes(policy=SMTP_POLICY)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class SmtpSender:
    """One SMTP connection reused for many messages."""

    def __init__(self, config: SmtpConfig, timeout: float = 30.0, local_hostname: str | None = None):
        self.config, self.timeout, self.local_hostname = config, timeout, local_hostname
        self.conn: smtplib.SMTP | None = None

    def connect(self) -> None:
        cfg = self.config
        try:
            if cfg.security == "tls":
                conn = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=self.timeout,
                                        context=ssl.create_default_context())
            else:
                conn = smtplib.SMTP(cfg.host, cfg.port, timeout=self.timeout)
            # The final dot goes out alone, after the database commit: with Nagle's algorithm it
            # waits for the ACK of the message body, which the server delays (40 ms on Linux):
            # that wait capped delivery at about 20 messages a second.
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.ehlo(self.local_hostname)
            if cfg.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo(self.local_hostname)
            if cfg.username:
                conn.login(cfg.username, cfg.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise TemporaryFailure(f"SMTP login refused: {exc.smtp_code} {exc.smtp_error!r}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot reach SMTP server {cfg.host}:{cfg.port}: {exc}") from None
        self.conn = conn

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None

    def __enter__(self) -> "SmtpSender":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, msg: EmailMessage, sender: str, recipient: str, commit: Callable[[], bool]) -> str:
        """Send one message; `commit()` runs before the final dot. Return the server's answer."""
        if self.conn is None:
            self.connect()
        conn = self.conn
        try:
            code, resp = conn.mail(sender)
            if code != 250:
                self._fail(code, resp, recipient=False)
            code, resp = conn.rcpt(recipient)
            if code not in (250, 251):
                self._fail(code, resp, recipient=True)
            conn.putcmd("data")
            code, resp = conn.getreply()
            if code != 354:
                self._fail(code, resp, recipient=False)
            conn.send(to_wire(msg))
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()
            raise TemporaryFailure(f"SMTP connection lost: {exc}") from None
        crash_point("before_commit")
        if not commit():
            self._drop()  # closing mid-DATA aborts the transaction at the server
            raise NotCommitted("delivery taken over by another dispatcher")
        crash_point("after_commit")
        try:
            conn.send(b".\r\n")
            code, resp = conn.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()
            raise Ambiguous(f"no answer to the end of data: {exc}") from None
        crash_point("after_reply")
        if code != 250:
            self._reset()
            self._fail(code, resp, recipient=False)
        return f"{code} {resp.decode('utf-8', 'replace')}"

    def _fail(self, code: int, resp: bytes, *, recipient: bool) -> None:
        text = f"{code} {resp.decode('utf-8', 'replace')}"
        if 500 <= code < 600:
            self._reset()
            raise PermanentFailure(text, recipient=recipient)
        self._reset()
        raise TemporaryFailure(text)

    def _reset(self) -> None:
        try:
            if self.conn is not None:
                self.conn.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None


def send_message(config: SmtpConfig, msg: EmailMessage, sender: str, recipient: str) -> str:
    """Send one message outside the outbox (sign-up confirmations)."""
    with SmtpSender(config) as smtp:
        return smtp.send(msg, sender, recipient, commit=lambda: True)


def envelope_address(mail_from: str) -> str:
    """The bare address of a From header value."""
    from email.utils import parseaddr

    return parseaddr(mail_from)[1] or mail_from
