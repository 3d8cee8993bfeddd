"""One outbound HTTP exchange for `zigttp:fetch`, bounded by ONE deadline for the whole call.

A socket timeout bounds each read, not the call: an upstream dripping a byte every 0.5 s kept
one fetch busy 49.5 s under a 2 s `--outbound-timeout-ms`. So the call gets an absolute
deadline (the per-call timeout, shortened to the running request's own deadline) and a
watchdog timer that shuts the socket down when it passes; whatever read is blocked then
returns at once, and the call reports "timeout". Connecting uses the time left as its timeout.
http.client is used directly (not urllib): it never follows redirects and exposes the socket.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult


class Timeout(Exception):
    """The call's deadline passed before the whole response arrived."""


class TooLarge(Exception):
    """The body is longer than the caller's limit."""


class NetworkError(OSError):
    """No valid response: refused, reset, TLS failure, or a malformed status line or head."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


@functools.cache
def _tls() -> Any:
    import ssl  # ~15 ms to import: only for the first https fetch

    return ssl.create_default_context()


def _connection(parts: SplitResult, port: int, timeout: float) -> http.client.HTTPConnection:
    host = parts.hostname or ""
    if parts.scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=_tls())
    return http.client.HTTPConnection(host, port, timeout=timeout)


class _Watchdog:
    """Shuts a connection's socket down at the deadline, so a blocked read returns."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = False
        self._conn = conn
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = self._conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def exchange(
    parts: SplitResult,
    port: int,
    method: str,
    headers: dict[str, str],
    body: bytes | None,
    seconds: float,
    limit: int,
) -> Reply:
    """Send one request and read the whole response within `seconds` (raises Timeout,
    TooLarge, or OSError, NetworkError included, for network failures)."""
    if seconds <= 0:
        raise Timeout
    deadline = time.monotonic() + seconds
    conn = _connection(parts, port, seconds)
    watchdog = _Watchdog(conn, seconds)
    try:
        conn.connect()
        if watchdog.fired:  # fired while connecting, before there was a socket to shut
            raise Timeout
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read(limit + 1)
        if watchdog.fired:  # a body read until close ends "normally" when the socket is shut
            raise Timeout
        if len(data) > limit:
            raise TooLarge
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        if watchdog.fired or time.monotonic() >= deadline:
            raise Timeout from None
        if isinstance(failure, OSError):
            raise
        raise NetworkError(str(failure) or type(failure).__name__) from None
    finally:
        watchdog.cancel()
        conn.close()
