"""The Redis/Valkey client behind `--state redis://...`: one connection pool per worker.

Built on `redis` (redis-py, with the `hiredis` reply parser when installed): it already does
URL parsing (redis://, rediss:// for TLS, unix://), a thread-safe pool that reopens its
sockets after `fork()`, and EVALSHA with a NOSCRIPT fallback (`Script`).

Bounded failure, so that a store outage costs a request at most one timeout and never the
server (docs/operations.md):
- every wait on the store (connect, each reply, a free pooled connection) is capped by the
  state timeout (default 100 ms); a dead pooled socket is retried once at once (reconnect),
  a timeout is never retried (the command may have run);
- after a failure the store is "down" for `COOLDOWN_S`: calls fail at once without touching
  the network, then the next call tries again, so calls recover by themselves;
- the first failure and the recovery are logged once each, not per call.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from zigttp.modules._state import StateMetrics, redact

COOLDOWN_S = 0.25
T = TypeVar("T")


def _no_client_setinfo() -> dict[str, None]:
    """Options that skip the two CLIENT SETINFO round trips of every new connection (redis-py 8
    renamed them to driver_info; the old names warn there)."""
    try:
        import redis.driver_info  # noqa: F401
    except ImportError:
        return {"lib_name": None, "lib_version": None}
    return {"driver_info": None}


_NO_CLIENT_SETINFO = _no_client_setinfo()


class StoreUnavailable(Exception):
    """The store did not answer in time (or refused); callers turn it into a Result error."""


class RedisStore:
    def __init__(self, url: str, timeout_s: float, connections: int, metrics: StateMetrics) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.metrics = metrics
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=connections,
            timeout=timeout_s,  # waiting for a free pooled connection
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
            decode_responses=True,
            **_NO_CLIENT_SETINFO,
        )
        self.client = redis.Redis(connection_pool=pool)
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def script(self, source: str) -> Callable[..., Any]:
        """A server-side Lua script (atomic on the store), called as `fn(keys=[...], args=[...])`."""
        return self.client.register_script(source)

    def call(self, operation: Callable[[], T]) -> T:
        """Run one store operation within the failure contract; raises StoreUnavailable."""
        if self._down and time.monotonic() < self._down_until:
            self.metrics.record(None, failed=True)
            raise StoreUnavailable("in cooldown after a failure")
        started = time.perf_counter()
        try:
            result = operation()
        except (
            redis.ConnectionError,
            redis.TimeoutError,
            redis.BusyLoadingError,
            redis.ReadOnlyError,
            redis.exceptions.OutOfMemoryError,
        ) as problem:
            self.metrics.record(time.perf_counter() - started, failed=True)
            self._mark_down(problem)
            raise StoreUnavailable(str(problem)) from None
        self.metrics.record(time.perf_counter() - started, failed=False)
        if self._down:
            self._mark_up()
        return result

    def _mark_down(self, problem: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + COOLDOWN_S
            if not self._down:
                self._down = True
                sys.stderr.write(
                    f"zigttp: state store {redact(self.url)} unavailable "
                    f"({type(problem).__name__}: {problem}); state calls return "
                    "state_unavailable until it answers\n"
                )

    def _mark_up(self) -> None:
        with self._lock:
            if self._down:
                self._down = False
                sys.stderr.write(f"zigttp: state store {redact(self.url)} is back\n")
