"""`zigttp:ratelimit` on Redis/Valkey (`--state redis://...`): one counter for all instances.

Same fixed-window algorithm as the SQLite store (ratelimit.py), run as ONE Lua script per
call, so the read-check-increment is atomic on the store however many instances call at once.
The script reads the store's own clock (`TIME`), so instances with skewed clocks still agree on
where a window starts and ends, and gives the key an expiry at its window's end, so the store
drops idle counters itself (no sweep). Key: `zigttp:rl:<key>`, a hash {hits, start, span}.

While the store is unavailable, `rateCheck` answers per `--ratelimit-fail`: `closed` (default)
returns the `state_unavailable` error, so a handler that checks `ok` refuses the request;
`open` lets it through with `stateUnavailable: true` in the value.
"""

from __future__ import annotations

import math
from typing import Any

from zigttp.modules._redis_store import StoreUnavailable
from zigttp.modules._result import Result, ok, want_str
from zigttp.modules._spec import ModuleContext
from zigttp.modules._state import remote_store, state_unavailable
from zigttp.modules.ratelimit import check_args, window_result

PREFIX = "zigttp:rl:"

CHECK_LUA = """
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now = tonumber(t[1])
local limit, span = tonumber(ARGV[1]), tonumber(ARGV[2])
local row = redis.call('HMGET', KEYS[1], 'hits', 'start', 'span')
local hits, start, wspan = tonumber(row[1]), tonumber(row[2]), tonumber(row[3])
local denied = 0
if hits == nil or now >= start + wspan then
  hits, start, wspan = 1, now, span
elseif hits >= limit then
  denied = 1
else
  hits = hits + 1
end
if denied == 0 then
  redis.call('HSET', KEYS[1], 'hits', hits, 'start', start, 'span', wspan)
  redis.call('EXPIREAT', KEYS[1], start + wspan)
end
return {hits, start + wspan, denied, now_ms}
"""


class RedisRateLimiter:
    def __init__(self, ctx: ModuleContext) -> None:
        store = remote_store(ctx)
        assert store is not None
        self._store = store
        self._check = store.script(CHECK_LUA)
        self._clock = ctx.clock
        self._fail_open = ctx.options.get("ratelimit_fail") == "open"

    def check(self, key: Any, limit: Any, window_sec: Any) -> Result:
        key, limit, span = check_args(key, limit, window_sec)
        try:
            hits, ends, denied, now_ms = self._store.call(
                lambda: self._check(keys=[PREFIX + key], args=[limit, span])
            )
        except StoreUnavailable:
            return self._unavailable(limit, span)
        return window_result(limit, int(hits), int(ends), bool(denied), int(now_ms))

    def reset(self, key: Any) -> Result | bool:
        key = want_str("rateReset", "key", key)
        try:
            return bool(self._store.call(lambda: self._store.client.delete(PREFIX + key)))
        except StoreUnavailable:
            return state_unavailable()

    def _unavailable(self, limit: int, span: int) -> Result:
        if not self._fail_open:
            return state_unavailable()
        reset_at = (math.floor(self._clock()) + span) * 1000
        return ok({"remaining": limit - 1, "resetAt": reset_at, "stateUnavailable": True})
