"""A small MIME writer for the alert emails, fast enough for tens of thousands of digests.

The standard library's `EmailMessage` parses and refolds every header it is given and walks the
whole tree to serialize it: about 10 ms a digest, several times what the SMTP exchange costs.
Alert emails have one fixed shape (text and HTML alternatives, sometimes an iCalendar file), so
they are written here directly as SMTP-ready bytes: CRLF lines, headers RFC 2047-encoded when
they are not ASCII (through the standard policy, remembered per value), bodies quoted-printable
(pure ASCII on the wire, lines at most 76 characters). `tests/alerts/test_mime.py` reads what
this writes back with the standard parser.
"""
from __future__ import annotations

import binascii
import random
from email import policy as email_policy
from functools import lru_cache

_SMTP = email_policy.SMTP


@lru_cache(maxsize=8192)
def _folded(name: str, value: str) -> bytes:
    return _SMTP.header_factory(name, value).fold(policy=_SMTP).encode("ascii")


def header(name: str, value: str) -> bytes:
    """One header line (or folded lines), encoded as RFC 2047 words when `value` is not ASCII."""
    value = " ".join(value.split()) if ("\n" in value or "\r" in value) else value
    if value.isascii() and len(name) + 2 + len(value) <= 78:
        return f"{name}: {value}\r\n".encode("ascii")
    return _folded(name, value)


def verbatim(name: str, value: str) -> bytes:
    """A header written exactly as given (RFC 8058's List-Unsubscribe, up to 998 octets)."""
    if not value.isascii() or "\n" in value or "\r" in value:
        raise ValueError(f"{name} must be one line of ASCII")
    return f"{name}: {value}\r\n".encode("ascii")


def _qp(text: str) -> bytes:
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return binascii.b2a_qp(lines.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")


class Holes:
    """A text's quoted-printable encoding with holes: quoted-printable encodes line by line, so
    the lines without a placeholder are encoded once, and only the few lines holding one (a
    subscriber's own links) are encoded again for each message by `fill`."""

    def __init__(self, text: str, placeholders: list[str]):
        self.pieces: list[bytes | str] = []
        static: list[str] = []
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for n, line in enumerate(lines):
            line = line if n == len(lines) - 1 else line + "\n"
            if any(p in line for p in placeholders):
                if static:
                    self.pieces.append(_qp("".join(static)))
                    static = []
                self.pieces.append(line)
            else:
                static.append(line)
        if static:
            self.pieces.append(_qp("".join(static)))

    def fill(self, values: dict[str, str]) -> bytes:
        """The encoding of the text with each placeholder replaced by its value."""
        out = []
        for piece in self.pieces:
            if isinstance(piece, str):
                for name, value in values.items():
                    piece = piece.replace(name, value)
                piece = _qp(piece)
            out.append(piece)
        return b"".join(out)


def text_part(text: str | bytes, subtype: str, params: str = "", disposition: str | None = None) -> bytes:
    """A text/`subtype` part in UTF-8, quoted-printable (`text`, or its encoding as bytes from
    `Holes.fill`); `params` are more Content-Type parameters (`; method="PUBLISH"`),
    `disposition` a whole Content-Disposition value."""
    head = (f'Content-Type: text/{subtype}; charset="utf-8"{params}\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n")
    if disposition:
        head += f"Content-Disposition: {disposition}\r\n"
    body = text if isinstance(text, bytes) else _qp(text)
    return head.encode("ascii") + b"\r\n" + body + (b"" if body.endswith(b"\r\n") else b"\r\n")


_random = random.Random()


def boundary() -> str:
    # "=_" never occurs in quoted-printable text, so a boundary starting with it cannot collide:
    # it need not be secret or unique, and a pseudo-random one costs no system call.
    return f"=_edt_{_random.getrandbits(96):024x}"


def multipart(subtype: str, parts: list[bytes]) -> bytes:
    """A multipart/`subtype` entity (its Content-Type header, a blank line, the parts)."""
    b = boundary()
    sep = f"--{b}\r\n".encode("ascii")
    return (f'Content-Type: multipart/{subtype}; boundary="{b}"\r\n\r\n'.encode("ascii")
            + b"".join(sep + p for p in parts) + f"--{b}--\r\n".encode("ascii"))


def message(headers: list[bytes], entity: bytes) -> bytes:
    """The whole message: the headers, MIME-Version, and the entity (which starts with its own
    Content-* headers)."""
    return b"".join(headers) + b"MIME-Version: 1.0\r\n" + entity
