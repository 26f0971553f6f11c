"""Webhooks: JSON bodies signed with HMAC SHA-256 over "<timestamp>.<body>", to public addresses only.

The receiver's name is resolved once; every address must be globally routable (no loopback,
private, shared 100.64.0.0/10, link-local or reserved ranges, nor such an IPv4 address wrapped
in IPv6 by 6to4, Teredo, NAT64 or IPv4 mapping); the connection goes to the address that was
checked, with the name in the Host header and in TLS (SNI and certificate verification), so a
second DNS answer cannot redirect it (DNS rebinding). No redirects; time and answer size bounded.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-Edtracker-Signature"
TIMESTAMP_HEADER = "X-Edtracker-Timestamp"
DELIVERY_HEADER = "X-Edtracker-Delivery"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")             # well-known prefix (RFC 6052)
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")     # local-use translation (RFC 8215)
_V4_COMPATIBLE = ipaddress.ip_network("::/96")            # deprecated IPv4-compatible addresses
_6TO4_RELAY = ipaddress.ip_network("192.88.99.0/24")       # deprecated 6to4 relay anycast


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


def refusal(ip: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why a webhook may not connect to `ip` (None: it may). Only globally routable addresses pass."""
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            inner = refusal(ip.ipv4_mapped)
            return f"an IPv4-mapped address of {inner}" if inner else None
        if ip.teredo is not None:
            return "a Teredo tunnel address"
        if ip.sixtofour is not None:
            inner = refusal(ip.sixtofour)
            return f"a 6to4 address of {inner}" if inner else None
        if ip in _NAT64:
            inner = refusal(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
            return f"a NAT64 address of {inner}" if inner else None
        if ip in _NAT64_LOCAL or ip in _V4_COMPATIBLE:
            return "an IPv4 translation address"
        if ip.is_site_local:
            return "a site-local address"
    elif ip in _6TO4_RELAY:
        return "a 6to4 relay address"
    if ip.is_multicast:
        return "a multicast address"
    if not ip.is_global:
        return "a non-public address"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address of `host`, in the resolver's order (the one DNS lookup of a delivery)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except UnicodeError as exc:
        raise RefusedUrl(f"webhook host {host!r} is not a valid name: {exc}") from None
    except socket.gaierror as exc:   # maybe a passing DNS failure: retried like an unreachable host
        raise OSError(f"cannot resolve {host}: {exc}") from None
    out: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if ip not in out:
            out.append(ip)
    return out


def _parts(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedUrl(f"webhook {url!r}: only http:// and https:// URLs with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RefusedUrl(f"webhook {url!r}: the port is not valid") from None
    return parts, port


def check_url(url: str, *, allow_loopback: bool = False) -> list[IPAddress]:
    """The addresses a webhook URL may be delivered to; raise `RefusedUrl` when it is not an
    http(s) URL or when any address of its host is not globally routable."""
    parts, port = _parts(url)
    addresses = resolve(parts.hostname, port)
    if not addresses:
        raise RefusedUrl(f"webhook {url!r}: {parts.hostname} has no address")
    for ip in addresses:
        why = refusal(ip, allow_loopback=allow_loopback)
        if why:
            raise RefusedUrl(f"webhook {url!r} resolves to {why} ({ip})")
    return addresses


def open_socket(ip: IPAddress, port: int, timeout: float) -> socket.socket:
    """A TCP connection to exactly this address (no name lookup here)."""
    return socket.create_connection((str(ip), port), timeout=timeout)


class _Pinned(http.client.HTTPConnection):
    """HTTP to a checked address; the Host header still names the host."""

    def __init__(self, host: str, port: int, ip: IPAddress, timeout: float, tls: ssl.SSLContext | None):
        super().__init__(host, port, timeout=timeout)
        self.ip, self.tls = ip, tls
        if tls is not None:
            self.default_port = 443   # Host header without ":443"

    def connect(self) -> None:
        sock = open_socket(self.ip, self.port, self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # SNI and certificate verification use the name, not the address.
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host) if self.tls else sock


def post(url: str, secret: str, payload: dict, delivery_id: int, *, timeout: float = 10.0,
         max_response_bytes: int = 65536, allow_loopback: bool = False,
         ssl_context: ssl.SSLContext | None = None) -> int:
    """POST the signed JSON to a checked address; return the HTTP status. Raise `RefusedUrl`
    for a refused address, OSError when unreachable or past `timeout` seconds in all."""
    parts, port = _parts(url)
    addresses = check_url(url, allow_loopback=allow_loopback)
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str).encode()
    ts = str(int(time.time()))
    headers = {"Content-Type": "application/json", "User-Agent": "edtracker-webhooks/1",
               TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(secret, ts, body), DELIVERY_HEADER: str(delivery_id),
               "Connection": "close"}
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname.encode("idna").decode("ascii") if not parts.hostname.isascii() else parts.hostname
    tls = (ssl_context or ssl.create_default_context()) if parts.scheme == "https" else None
    deadline = time.monotonic() + timeout
    last: OSError | None = None
    for ip in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        conn = _Pinned(host, port, ip, left, tls)
        # A receiver that drips its answer byte by byte must not hold the dispatcher: cut the
        # connection when the whole delivery's time is up.
        timer = threading.Timer(left, _cut, (conn,))
        timer.start()
        try:
            conn.request("POST", target, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read(max_response_bytes)   # an answer is read up to the bound, the rest dropped
            return resp.status              # 3xx counts as a failure: redirects are not followed
        except (OSError, http.client.HTTPException) as exc:
            last = exc if isinstance(exc, OSError) else OSError(f"bad HTTP answer: {exc!r}")
            if conn.sock is not None and time.monotonic() < deadline:
                break   # connected, then failed: do not send the delivery twice to another address
        finally:
            timer.cancel()
            conn.close()
    if time.monotonic() >= deadline:
        raise TimeoutError(f"webhook {url}: no answer within {timeout:g} s")
    raise last or OSError(f"webhook {url}: unreachable")


def _cut(conn: http.client.HTTPConnection) -> None:
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
