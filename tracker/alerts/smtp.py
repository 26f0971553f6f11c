"""SMTP from a URL, and a send that reports exactly what the server said.

At least once: a message counts as sent only when the server answered 250 to the end of its
DATA (RFC 5321 section 4.1.1.4). A failure before the final "." leaves nothing at the server
(`TemporaryFailure`, retried); no answer after it may mean the server took it (`uncertain`):
it is sent again with the same Message-ID. See docs/alerts.md.
"""
from __future__ import annotations

import os
import signal
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}

# Test-only: SIGKILL this process at a named point of the send (tests/alerts/test_crash.py).
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
    """Try again later: 4xx answers, a lost connection, a timeout."""

    def __init__(self, message: str, *, uncertain: bool = False):
        super().__init__(message)
        self.uncertain = uncertain  # the final dot went out: the server may have the message


class Unreachable(TemporaryFailure):
    """No connection to the server at all: nothing else in the batch can go out either."""


class PermanentFailure(Exception):
    """The server refused the recipient or the message for good (5xx)."""

    def __init__(self, message: str, *, recipient: bool):
        super().__init__(message)
        self.recipient = recipient


def to_wire(msg: EmailMessage | str | bytes) -> bytes:
    """The message (its stored text, or bytes already in CRLF lines) as SMTP DATA without the
    terminating dot: CRLF lines, leading dots doubled."""
    if isinstance(msg, bytes):
        data = msg
    else:
        data = msg.as_bytes(policy=SMTP_POLICY) if isinstance(msg, EmailMessage) else msg.encode("utf-8")
    if isinstance(msg, str) and b"\r\n" not in data:
        data = data.replace(b"\n", b"\r\n")
    data = (b"." if data.startswith(b".") else b"") + data.replace(b"\n.", b"\n..")
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
            # Commands are small writes each awaiting an answer: with Nagle's algorithm a write
            # following another can wait for a delayed ACK (40 ms on Linux).
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.ehlo(self.local_hostname)
            if cfg.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo(self.local_hostname)
            if cfg.username:
                conn.login(cfg.username, cfg.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise Unreachable(f"SMTP login refused: {exc.smtp_code} {exc.smtp_error!r}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Unreachable(f"cannot reach SMTP server {cfg.host}:{cfg.port}: {exc}") from None
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

    def send(self, wire: bytes, sender: str, recipient: str) -> str:
        """Send one message (`to_wire` bytes); return the server's answer to the end of DATA."""
        if any(c in sender + recipient for c in "\r\n<> "):
            raise PermanentFailure(f"address {recipient!r} cannot be written in an SMTP command", recipient=True)
        if self.conn is None:
            self.connect()
        conn = self.conn
        try:
            # The addresses were checked when stored: written as they are (smtplib's mail() and
            # rcpt() parse each again, a tenth of the time a digest run spends on the client).
            code, resp = conn.docmd("mail", f"FROM:<{sender}>")
            if code != 250:
                self._fail(code, resp, recipient=False)
            code, resp = conn.docmd("rcpt", f"TO:<{recipient}>")
            if code not in (250, 251):
                self._fail(code, resp, recipient=True)
            conn.putcmd("data")
            code, resp = conn.getreply()
            if code != 354:
                self._fail(code, resp, recipient=False)
            crash_point("before_end_of_data")
            conn.send(wire + b".\r\n")
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()  # the transaction ends unfinished: the server keeps nothing
            raise TemporaryFailure(f"SMTP connection lost: {exc}") from None
        crash_point("after_end_of_data")
        try:
            code, resp = conn.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()
            raise TemporaryFailure(f"no answer to the end of data: {exc}", uncertain=True) from None
        crash_point("after_reply")
        if code != 250:
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


def envelope_address(mail_from: str) -> str:
    """The bare address of a From header value."""
    from email.utils import parseaddr

    return parseaddr(mail_from)[1] or mail_from
