"""Passwords (scrypt) and API keys (random, stored as SHA-256) for staff and integrations."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from tracker.vocab import ROLES

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


PASSWORD_MIN, PASSWORD_MAX = 8, 1024


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < PASSWORD_MIN:
        return f"a password needs at least {PASSWORD_MIN} characters"
    if len(password) > PASSWORD_MAX:
        return f"a password has at most {PASSWORD_MAX} characters"
    return None


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash`, salted per password."""
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
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


_DUMMY_HASH: list[str] = []


def check_password(password: str, stored: str | None) -> bool:
    """Verify against `stored`, or against a throwaway hash when there is no account, so that a
    login costs the same work whether the account exists or not (no enumeration by timing)."""
    if not stored:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(24)))
        verify_password(password, _DUMMY_HASH[0])
        return False
    return verify_password(password, stored)


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
