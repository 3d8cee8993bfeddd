"""Where `zigttp:cache` and `zigttp:ratelimit` keep their state: SQLite (default) or Redis.

`--state URL` (env `ZIGTTP_STATE`, zigttp.json `"state"`) moves both modules' state into one
Redis or Valkey server so that every instance behind a load balancer shares counters and cached
values. This file stays import-light: it validates the URL when the config is built and only
imports the Redis client (`_redis_store`) when a module is created with a remote store, so a
server without `--state` never loads `redis`.

Failure contract (docs/operations.md): a call to an unreachable or slow store returns
`STATE_UNAVAILABLE` (a Result error) within the store timeout; the request goes on.
"""

from __future__ import annotations

import bisect
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from zigttp.errors import UsageError
from zigttp.modules._result import Result, err

if TYPE_CHECKING:
    from zigttp.modules._redis_store import RedisStore
    from zigttp.modules._spec import ModuleContext

SCHEMES = ("redis", "rediss", "unix")
DEFAULT_TIMEOUT_MS = 100
URL_GRAMMAR = (
    "expected redis://[user:pass@]HOST:PORT/DB, rediss://... (TLS), unix:///path/to/redis.sock[?db=N], "
    "or 'sqlite' for the embedded default"
)
BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


def state_unavailable() -> Result:
    """What a state call returns while the store cannot answer (a fresh dict per call)."""
    return err({"tag": "state_unavailable"})


def parse_state_url(text: str | None) -> str | None:
    """The URL to use, or None for the embedded SQLite store; a bad URL is a UsageError."""
    if text is None or text.strip() in ("", "sqlite"):
        return None
    text = text.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a non-numeric or out-of-range port)
    except ValueError as problem:
        raise UsageError(f"invalid --state {redact(text)!r}: {problem}; {URL_GRAMMAR}") from None
    if parts.scheme not in SCHEMES:
        raise UsageError(f"invalid --state {redact(text)!r}: unknown scheme; {URL_GRAMMAR}")
    if parts.scheme == "unix" and not parts.path:
        raise UsageError(f"invalid --state {redact(text)!r}: no socket path; {URL_GRAMMAR}")
    if parts.scheme != "unix" and not parts.hostname:
        raise UsageError(f"invalid --state {redact(text)!r}: no host; {URL_GRAMMAR}")
    db = parts.path.strip("/") if parts.scheme != "unix" else ""
    if db and not db.isdigit():
        raise UsageError(f"invalid --state {redact(text)!r}: database {db!r} is not a number; {URL_GRAMMAR}")
    return text


def redact(url: str) -> str:
    """The URL with its password replaced by `***`, for logs and error messages."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "<unparsable URL>"


class StateMetrics:
    """Calls, errors and a latency histogram of the remote store, for `--metrics`.

    One per worker process; unlocked counters like the pool's (statistics, not accounting)."""

    def __init__(self) -> None:
        self.calls = 0
        self.errors = 0
        self.bucket_counts = [0] * (len(BUCKETS) + 1)
        self.duration_sum = 0.0

    def record(self, seconds: float | None, *, failed: bool) -> None:
        """One call; `seconds` None for a call failed without reaching the store (cooldown),
        which counts as an error but not in the latency histogram."""
        self.calls += 1
        self.errors += failed
        if seconds is not None:
            self.bucket_counts[bisect.bisect_left(BUCKETS, seconds)] += 1
            self.duration_sum += seconds

    def snapshot(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "errors": self.errors,
            "buckets": list(self.bucket_counts),
            "duration_sum": self.duration_sum,
        }


STATE_METRICS = StateMetrics()
_stores: dict[str, RedisStore] = {}
_stores_lock = threading.Lock()


def remote_store(ctx: ModuleContext) -> RedisStore | None:
    """This worker's client for `ctx.options["state"]` (shared by cache and ratelimit), or None
    for SQLite. Imports the Redis client on first use only."""
    url = ctx.options.get("state")
    if not url:
        return None
    from zigttp.modules._redis_store import RedisStore

    timeout_ms = int(ctx.options.get("state_timeout_ms") or DEFAULT_TIMEOUT_MS)
    connections = int(ctx.options.get("state_connections") or 16)
    key = f"{url}|{timeout_ms}|{connections}"
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = RedisStore(url, timeout_ms / 1000, connections, STATE_METRICS)
        return store


def blocks_on_io(ctx: ModuleContext) -> bool:
    """A remote store makes cache/ratelimit calls network I/O: keep them off the event loop."""
    return bool(ctx.options.get("state"))
