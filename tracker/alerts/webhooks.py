"""Webhooks: JSON bodies signed with HMAC SHA-256 over "<timestamp>.<body>", to public addresses only."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-Edtracker-Signature"
TIMESTAMP_HEADER = "X-Edtracker-Timestamp"
DELIVERY_HEADER = "X-Edtracker-Delivery"


class RefusedUrl(ValueError):
    """A webhook address that resolves to a loopback, private or otherwise internal address."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value: sha256=<hex HMAC of "timestamp.body">."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: float = 300,
           now: float | None = None) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale timestamps."""
    try:
        age = abs((now or time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


def check_url(url: str, *, allow_loopback: bool = False) -> None:
    """Refuse non-http(s) URLs and hosts resolving to loopback/private/link-local/reserved addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedUrl(f"webhook {url!r}: only http:// and https:// URLs with a host")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise RefusedUrl(f"webhook {url!r}: cannot resolve {parts.hostname}: {exc}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if ip.is_loopback:
            if allow_loopback:
                continue
            raise RefusedUrl(f"webhook {url!r} resolves to loopback address {ip}")
        if ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
            raise RefusedUrl(f"webhook {url!r} resolves to non-public address {ip}")


def post(url: str, secret: str, payload: dict, delivery_id: int, *, timeout: float = 15.0) -> int:
    """POST the signed JSON; return the HTTP status (raise OSError when unreachable)."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str).encode()
    ts = str(int(time.time()))
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "edtracker-webhooks/1",
        TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(secret, ts, body),
        DELIVERY_HEADER: str(delivery_id)})
    opener = urllib.request.build_opener(_NoRedirect)  # a redirect could lead to an internal host
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None
