"""Webhook SSRF (issue 15): only globally routable addresses, including those wrapped in IPv6;
the address checked is the address connected to (a DNS answer that changes between check and
connect reaches nothing local); TLS verified against the name; no redirects; bounded answers."""
from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tracker.alerts import webhooks

REFUSED = [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "non-public"), ("192.168.1.1", "non-public"),
    ("172.16.0.1", "non-public"), ("169.254.169.254", "non-public"), ("100.64.0.1", "non-public"),
    ("100.100.100.200", "non-public"), ("100.127.255.254", "non-public"), ("0.0.0.0", "unspecified"),
    ("::", "unspecified"), ("255.255.255.255", "non-public"), ("224.0.0.251", "multicast"),
    ("192.0.2.10", "non-public"), ("198.18.0.1", "non-public"), ("240.0.0.1", "non-public"),
    ("fd00::1", "non-public"), ("fe80::1", "non-public"), ("fec0::1", "site-local"), ("ff02::1", "multicast"),
    ("2001:db8::1", "non-public"),
    ("2002:7f00:1::", "6to4 address of a loopback"), ("2002:a00:1::1", "6to4 address of a non-public"),
    ("2002:6464:64c8::", "6to4 address of a non-public"),              # 6to4 of 100.100.100.200
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ("64:ff9b::7f00:1", "NAT64 address of a loopback"), ("64:ff9b::a9fe:a9fe", "NAT64 address of a non-public"),
    ("64:ff9b::6464:64c8", "NAT64 address of a non-public"), ("64:ff9b:1::a00:1", "translation"),
    ("::ffff:127.0.0.1", "IPv4-mapped address of a loopback"), ("::ffff:100.100.100.200", "IPv4-mapped"),
    ("::ffff:10.0.0.1", "IPv4-mapped"), ("::7f00:1", "translation"), ("192.88.99.1", "6to4 relay"),
]
ALLOWED = ["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:81c::200e",
           "2002:808:808::1", "64:ff9b::808:808", "::ffff:93.184.216.34", "100.63.255.255", "100.128.0.1"]


def _url(address: str) -> str:
    return f"http://[{address}]:8080/hook" if ":" in address else f"http://{address}:8080/hook"


@pytest.mark.parametrize("address, why", REFUSED)
def test_refused_addresses(address, why):
    with pytest.raises(webhooks.RefusedUrl, match=why):
        webhooks.check_url(_url(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address):
    webhooks.check_url(_url(address))
    assert webhooks.refusal(ipaddress.ip_address(address)) is None


def test_loopback_allowed_only_when_asked_and_nothing_else():
    assert webhooks.refusal(ipaddress.ip_address("127.0.0.1"), allow_loopback=True) is None
    assert webhooks.refusal(ipaddress.ip_address("::1"), allow_loopback=True) is None
    for other in ("10.0.0.1", "100.100.100.200", "2002:7f00:1::"):
        assert webhooks.refusal(ipaddress.ip_address(other), allow_loopback=True)


class Resolver:
    """Answers for the test's own names, each call its next answer (the last one repeats)."""

    def __init__(self, monkeypatch, names: dict[str, list[list[str]]]):
        self.names, self.calls = names, []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host not in self.names:
                return real(host, port, *args, **kwargs)
            self.calls.append(host)
            answers = self.names[host]
            ips = answers.pop(0) if len(answers) > 1 else answers[0]
            return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "",
                     (ip, port) if ":" not in ip else (ip, port, 0, 0)) for ip in ips]
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


class Local:
    """A receiver on 127.0.0.1 that records what reaches it (plain or TLS)."""

    def __init__(self, status: int = 204, tls: ssl.SSLContext | None = None, body: bytes = b"",
                 headers: dict | None = None, drip: float = 0):
        self.got: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers["Content-Length"])
                outer.got.append({"host": self.headers["Host"], "body": json.loads(self.rfile.read(length))})
                head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
                raw = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
                try:
                    if not drip:
                        self.wfile.write(raw)
                    for i in range(len(raw) if drip else 0):   # the whole answer, one byte at a time
                        self.wfile.write(raw[i:i + 1])
                        self.wfile.flush()
                        time.sleep(drip)
                except OSError:
                    pass   # the client hung up: that is the point of these tests

            def log_message(self, *a):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local():
    servers = []

    def make(**kw):
        servers.append(Local(**kw))
        return servers[-1]
    yield make
    for s in servers:
        s.close()


def test_dns_rebinding_does_not_reach_loopback(monkeypatch, local):
    """Public at check time, 127.0.0.1 at connect time: before the fix the name was resolved a
    second time to connect, and the delivery reached the local server."""
    rx = local()
    resolver = Resolver(monkeypatch, {"rebind.test": [["93.184.216.34"], ["127.0.0.1"]]})
    connected = []

    def nowhere(ip, port, timeout):   # keep the test off the network: record where it would go
        connected.append(str(ip))
        raise ConnectionRefusedError("test: no route")
    monkeypatch.setattr(webhooks, "open_socket", nowhere, raising=False)
    with pytest.raises(OSError):
        webhooks.post(f"http://rebind.test:{rx.port}/hook", "s", {"x": 1}, 1, timeout=3)
    assert rx.got == []
    assert connected == ["93.184.216.34"] and resolver.calls == ["rebind.test"]


def test_a_name_with_any_internal_address_is_refused(monkeypatch, local):
    rx = local()
    Resolver(monkeypatch, {"mixed.test": [["93.184.216.34", "127.0.0.1"]],
                           "meta.test": [["100.100.100.200"]], "v6.test": [["2002:7f00:1::"]]})
    for name in ("mixed.test", "meta.test", "v6.test"):
        with pytest.raises(webhooks.RefusedUrl):
            webhooks.post(f"http://{name}:{rx.port}/hook", "s", {}, 1, timeout=3)
    assert rx.got == []


def test_connects_to_the_checked_address_with_the_name_as_host(monkeypatch, local):
    rx = local()
    resolver = Resolver(monkeypatch, {"hooks.partner.test": [["127.0.0.1"], ["10.9.9.9"]]})
    status = webhooks.post(f"http://hooks.partner.test:{rx.port}/in?x=1", "s", {"hello": "world"}, 7,
                           timeout=5, allow_loopback=True)
    assert status == 204 and resolver.calls == ["hooks.partner.test"]
    assert rx.got == [{"host": f"hooks.partner.test:{rx.port}", "body": {"hello": "world"}}]


def test_redirects_are_not_followed(monkeypatch, local):
    target = local()
    rx = local(status=307, headers={"Location": f"http://127.0.0.1:{target.port}/elsewhere"})
    assert webhooks.post(f"http://127.0.0.1:{rx.port}/hook", "s", {}, 1, allow_loopback=True) == 307
    assert len(rx.got) == 1 and target.got == []


def test_answer_size_and_time_are_bounded(local):
    big = local(body=b"x" * 5_000_000)
    t0 = time.monotonic()
    assert webhooks.post(f"http://127.0.0.1:{big.port}/", "s", {}, 1, allow_loopback=True,
                         max_response_bytes=1024) == 204
    slow = local(drip=0.2)   # several seconds for the status line alone
    t0 = time.monotonic()
    with pytest.raises(OSError):
        webhooks.post(f"http://127.0.0.1:{slow.port}/", "s", {}, 1, allow_loopback=True, timeout=1.5)
    assert time.monotonic() - t0 < 6


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    done = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                           "/CN=hooks.partner.test", "-addext", "subjectAltName=DNS:hooks.partner.test",
                           "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {done.stderr[-200:]!r}")
    return d / "cert.pem", d / "key.pem"


def test_tls_is_verified_against_the_name_not_the_address(monkeypatch, local, cert):
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(*cert)
    sni = []
    server_ctx.sni_callback = lambda sock, name, ctx: sni.append(name)
    rx = local(tls=server_ctx)
    Resolver(monkeypatch, {"hooks.partner.test": [["127.0.0.1"]], "other.partner.test": [["127.0.0.1"]]})
    trust = ssl.create_default_context(cafile=str(cert[0]))
    assert webhooks.post(f"https://hooks.partner.test:{rx.port}/", "s", {"a": 1}, 1, allow_loopback=True,
                         ssl_context=trust, timeout=5) == 204
    assert sni == ["hooks.partner.test"] and rx.got[0]["host"] == f"hooks.partner.test:{rx.port}"
    with pytest.raises(ssl.SSLCertVerificationError):
        webhooks.post(f"https://other.partner.test:{rx.port}/", "s", {}, 1, allow_loopback=True,
                      ssl_context=trust, timeout=5)
    assert len(rx.got) == 1


def test_dispatcher_rebinding_to_loopback_reaches_nothing(alerts_env, monkeypatch, local):
    """The whole delivery path (check, then send) with a name that turns to 127.0.0.1 after the
    first lookup; loopback is refused (the default), so only a second lookup could reach it."""
    import datetime as dt

    from tests import factories as f
    from tests.alerts.helpers import deliveries, ingest, moved_bill, subscribe
    from tracker.alerts import jobs
    from tracker.db import get_engine
    from tracker.models.base import utcnow

    rx = local()
    Resolver(monkeypatch, {"rebind.test": [["93.184.216.34"], ["127.0.0.1"]]})
    connected = []

    def nowhere(ip, port, timeout):
        connected.append(str(ip))
        raise ConnectionRefusedError("test: no route")
    monkeypatch.setattr(webhooks, "open_socket", nowhere, raising=False)
    engine = get_engine(alerts_env)
    ingest(engine, f.batch())
    subscribe(engine, "ops@example.org", channel="webhook", webhook_url=f"http://rebind.test:{rx.port}/hook",
              webhook_secret="s", kinds=["stage_changed"])
    ingest(engine, [moved_bill()])
    out = jobs.dispatch(now=utcnow() + dt.timedelta(minutes=1))
    assert rx.got == [] and out["sent"] == 0
    assert connected == ["93.184.216.34"]
    assert deliveries(engine)[0].state == "pending" and "unreachable" in deliveries(engine)[0].last_error
