"""`zigttp:ratelimit`: fixed-window counters shared by the whole server (spec §7).

Algorithm (upstream-reference §3.1, times in whole epoch seconds, `w = floor(windowSec)`):
a key's window starts at its first hit; a hit in an open window with `count >= limit` is
denied and does NOT increment; a hit at or after `start + w` restarts the window with the new
`w`. Unlike upstream (counters per pooled runtime, so the real limit was limit x pool size),
counters live in the SQLite store of `_store.py`, shared by every thread and worker process;
with `--state redis://...` they live in Redis instead (`_redis_ratelimit.py`), shared by every
instance.

Each check is ONE statement, an UPSERT ... RETURNING, so it is atomic across processes
without an explicit transaction. All SET expressions of an UPDATE read the row's old values,
which is what lets `denied` be computed from the pre-update count.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from zigttp.modules._result import Result, bad_arg, err, ok, want_int, want_number, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec
from zigttp.modules._state import blocks_on_io
from zigttp.modules._store import SharedStore, store_path

SCHEMA = """
CREATE TABLE IF NOT EXISTS ratelimit (
  key TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  start INTEGER NOT NULL,
  span INTEGER NOT NULL,
  denied INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ratelimit_expiry ON ratelimit(start + span)
"""

CHECK_SQL = """
INSERT INTO ratelimit (key, hits, start, span, denied) VALUES (:key, 1, :now, :span, 0)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN :now >= start + span THEN 1
              WHEN hits >= :limit THEN hits ELSE hits + 1 END,
  denied = CASE WHEN :now >= start + span THEN 0 WHEN hits >= :limit THEN 1 ELSE 0 END,
  start = CASE WHEN :now >= start + span THEN :now ELSE start END,
  span = CASE WHEN :now >= start + span THEN :span ELSE span END
RETURNING hits, start, span, denied
"""

EVICT_SQL = """
DELETE FROM ratelimit WHERE key IN
  (SELECT key FROM ratelimit WHERE start + span <= :now LIMIT :batch)
"""

MAX_WINDOW_SEC = 10 * 365 * 86_400  # keeps start + span far inside SQLite's INTEGER
EVICT_EVERY = 256  # calls per process between sweeps of expired keys (as upstream)
EVICT_BATCH = 64


class RateLimiter:
    def __init__(self, ctx: ModuleContext) -> None:
        self._store = SharedStore(store_path(ctx.state_dir, "ratelimit"), SCHEMA)
        self._clock = ctx.clock
        self._calls = itertools.count(1)

    def check(self, key: Any, limit: Any, window_sec: Any) -> Result:
        key, limit, span = check_args(key, limit, window_sec)
        now_ms = math.floor(self._clock() * 1000)
        now = now_ms // 1000
        conn = self._store.connection()
        params = {"key": key, "now": now, "span": span, "limit": limit}
        hits, start, entry_span, denied = conn.execute(CHECK_SQL, params).fetchall()[0]
        if next(self._calls) % EVICT_EVERY == 0:
            conn.execute(EVICT_SQL, {"now": now, "batch": EVICT_BATCH})
        return window_result(limit, hits, start + entry_span, bool(denied), now_ms)

    def reset(self, key: Any) -> bool:
        key = want_str("rateReset", "key", key)
        conn = self._store.connection()
        deleted = conn.execute("DELETE FROM ratelimit WHERE key = ? RETURNING 1", (key,))
        return bool(deleted.fetchall())


def check_args(key: Any, limit: Any, window_sec: Any) -> tuple[str, int, int]:
    """rateCheck's arguments, checked the same way for every store: (key, limit, whole seconds)."""
    key = want_str("rateCheck", "key", key)
    limit = want_int("rateCheck", "limit", limit, minimum=1)
    span = math.floor(want_number("rateCheck", "windowSec", window_sec, minimum=1))
    if span > MAX_WINDOW_SEC:
        raise bad_arg("rateCheck", "windowSec", f"a number <= {MAX_WINDOW_SEC}")
    return key, limit, span


def window_result(limit: int, hits: int, ends: int, denied: bool, now_ms: int) -> Result:
    """The Result of one check, from the window's state after it (`ends` in epoch seconds)."""
    reset_at = ends * 1000
    if denied:
        return err({"tag": "rate_exceeded", "retryAfter": max(0, reset_at - now_ms) // 1000})
    return ok({"remaining": max(0, limit - hits), "resetAt": reset_at})


def create(ctx: ModuleContext) -> dict[str, Any]:
    if ctx.options.get("state"):  # --state redis://...: counters shared by every instance
        from zigttp.modules._redis_ratelimit import RedisRateLimiter

        limiter: Any = RedisRateLimiter(ctx)
    else:
        limiter = RateLimiter(ctx)
    return {"rateCheck": limiter.check, "rateReset": limiter.reset}


MODULE = ModuleSpec(
    name="ratelimit",
    exports=("rateCheck", "rateReset"),
    create=create,
    traceable=frozenset({"rateCheck", "rateReset"}),
    blocking_when=blocks_on_io,
)
