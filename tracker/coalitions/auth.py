"""Passwords (scrypt) and API keys (random, stored as SHA-256) for staff and integrations."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from tracker.vocab import ROLES

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash`, salted per password."""
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                         dklen=32)
    return hmac.compare_digest(got, base64.b64decode(digest))


def new_api_key() -> tuple[str, str, str]:
    """A fresh key: (the key to show once, its prefix to store and show, its hash to store)."""
    prefix = secrets.token_hex(4)
    key = f"edt_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, hash_api_key(key)


def hash_api_key(key: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str | None:
    parts = key.split("_")
    return parts[1] if len(parts) >= 3 and parts[0] == "edt" else None


def role_allows(role: str, needed: str) -> bool:
    """admin > editor > viewer."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)
