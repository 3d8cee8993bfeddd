"""Raw-socket helpers for the security suites: exchanges, status parsing, the echo handler."""

from __future__ import annotations

import contextlib
import socket
import time

from tests.conftest import ServerProcess

ECHO = r"""
function handler(req) {
  if (req.path === "/slow") { const end = Date.now() + 300; while (Date.now() < end) {} }
  return Response.json({m: req.method, p: req.url, h: req.headers,
                        body: req.body === null ? null : req.body});
}
"""
GOOD = b"GET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def exchange(host: str, port: int, data: bytes, *, timeout: float = 3.0) -> tuple[bytes, bool]:
    """Send `data`; return what came back and whether the server closed the connection."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # the server may refuse before we finish sending
            sock.sendall(data)
        chunks: list[bytes] = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            return b"".join(chunks), False
        except ConnectionResetError:
            pass
        return b"".join(chunks), True


def statuses(raw: bytes) -> list[int]:
    """Status codes of every response in a byte stream (responses are framed by length)."""
    found = []
    while raw.startswith(b"HTTP/1.1 "):
        head, _, rest = raw.partition(b"\r\n\r\n")
        found.append(int(head[9:12]))
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        raw = rest[length:]
    return found


def assert_serves_next(server: ServerProcess) -> None:
    raw, _ = exchange(server.host, server.port, GOOD)
    assert raw.startswith(b"HTTP/1.1 200"), raw[:80]
    assert server.process.poll() is None


def wait_until(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False
