"""A light HTTP/1.1 load generator for tail latency: keep-alive connections on raw asyncio
streams, one request in flight on each.

httpx's pool costs the client about as much CPU per request as the server spends, and on a
machine with two cores the client's own pauses then show as the server's tail (the mock
upstream called directly through httpx at concurrency 64 has p99 several times its p50).
This client parses only what it must: the status line, Content-Length, or the end of a
chunked body.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

import orjson

_END_CHUNKED = b"\r\n0\r\n\r\n"


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = None
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if length is not None:
        await reader.readexactly(length)
    elif chunked:
        tail = b""
        while not tail.endswith(_END_CHUNKED) and tail != b"0\r\n\r\n":
            data = await reader.read(65536)
            if not data:
                raise ConnectionError("the server closed a chunked response early")
            tail = (tail + data)[-16:]
    return status


async def drive(
    url: str,
    concurrency: int,
    total: int,
    stream: bool,
    body: dict[str, object],
    headers: Mapping[str, str] | None = None,
) -> tuple[list[float], float]:
    """POST `body` `total` times over `concurrency` connections (with `headers`, an API
    key say); latencies and requests/s."""
    parts = urlsplit(url)
    payload = orjson.dumps({**body, "stream": stream})
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    request = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode() + payload
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    left = total
    warmed = 0
    ready = asyncio.Event()

    async def connection() -> None:
        nonlocal left, warmed
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for _ in range(3):  # warm the connection and the server's path
                writer.write(request)
                await _read_response(reader)
            warmed += 1
            if warmed == concurrency:
                ready.set()
            await ready.wait()
            while left > 0:
                left -= 1
                started = time.perf_counter()
                writer.write(request)
                status = await _read_response(reader)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    raise RuntimeError(f"status {status}")
        finally:
            writer.close()

    tasks = [asyncio.create_task(connection()) for _ in range(concurrency)]
    await ready.wait()
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    return latencies, len(latencies) / (time.perf_counter() - started)
