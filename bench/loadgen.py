"""A small closed-loop HTTP load generator (for machines without wrk): `url seconds connections`
prints "req/s p99_ms". Keep-alive connections over asyncio streams, GET only."""
from __future__ import annotations

import asyncio
import sys
import time
from urllib.parse import urlsplit


async def worker(host: str, port: int, target: str, until: float, lat: list[float]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    req = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        writer.write(req)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        await reader.readexactly(length)
        lat.append(time.perf_counter() - t0)
    writer.close()


async def run(url: str, seconds: float, connections: int) -> tuple[float, float]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lat: list[float] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(worker(parts.hostname, parts.port, target, until, lat) for _ in range(connections)))
    lat.sort()
    return len(lat) / seconds, lat[int(len(lat) * 0.99)] * 1000


if __name__ == "__main__":
    rps, p99 = asyncio.run(run(sys.argv[1], float(sys.argv[2]), int(sys.argv[3])))
    print(f"{rps:.1f} {p99:.2f}")
