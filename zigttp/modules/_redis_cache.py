"""`zigttp:cache` on Redis/Valkey (`--state redis://...`): one cache for all instances.

Same API and answers as the SQLite store (cache.py), with the store doing what it does best:
- TTLs are Redis expiries (`SET ... PX`), enforced by the store for every instance;
- `cacheGet` is one Lua script (read + hit/miss counter), `cacheIncr` one Lua script (read,
  parse as cache.py does, add, write back keeping or resetting the expiry), so both are atomic
  across instances; `cacheSet`/`cacheDelete` are single commands;
- the budget is the store's: `maxmemory` with `maxmemory-policy allkeys-lru` evicts least
  recently used keys. zigttp keeps only the per-entry check (an entry bigger than the byte
  budget is refused with `false`), not the 10,000-entry / 16 MiB totals;
- `cacheStats` hits/misses are shared counters; entries/bytes are counted by walking the
  namespace's keys with SCAN (cost grows with the number of keys: a dashboard call).

Keys: `zigttp:c:<byte length of ns>:<ns>:<key>` (the length keeps namespaces apart even when a
namespace contains ':'); counters: hash `zigttp:c-stats`, fields `h:<ns>` and `m:<ns>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from zigttp.modules._redis_store import StoreUnavailable
from zigttp.modules._result import Result, js_number, want_number, want_opt_number, want_opt_str, want_str
from zigttp.modules._spec import ModuleContext
from zigttp.modules._state import remote_store, state_unavailable
from zigttp.modules.cache import MAX_BYTES, entry_size

PREFIX = "zigttp:c:"
STATS = "zigttp:c-stats"
SCAN_BATCH = 1000

GET_LUA = """
local value = redis.call('GET', KEYS[1])
redis.call('HINCRBY', KEYS[2], (value and 'h:' or 'm:') .. ARGV[1], 1)
return value
"""

# Parsing mirrors cache.parse_number (finite decimals only, anything else is 0) and formatting
# mirrors cache.format_number (an integer below 2^53 as digits, else Python's shortest repr).
INCR_LUA = """
local function parse(text)
  if not text then return 0 end
  local s = string.match(text, '^%s*(.-)%s*$')
  local mantissa = string.match(s, '^[+-]?([%d%.]+)[eE][+-]?%d+$') or string.match(s, '^[+-]?([%d%.]+)$')
  if not mantissa or not (string.match(mantissa, '^%d+%.?%d*$') or string.match(mantissa, '^%.%d+$')) then
    return 0
  end
  local n = tonumber(s)
  if n == nil or n ~= n or n == math.huge or n == -math.huge then return 0 end
  return n
end
local function format(n)
  if n == math.floor(n) and math.abs(n) < 2^53 then return string.format('%d', n) end
  local s
  for digits = 15, 17 do
    s = string.format('%.' .. digits .. 'g', n)
    if tonumber(s) == n then break end
  end
  if not string.find(s, '[%.eni]') then s = s .. '.0' end
  return s
end
local text = format(parse(redis.call('GET', KEYS[1])) + tonumber(ARGV[1]))
if ARGV[2] == 'keep' then
  redis.call('SET', KEYS[1], text, 'KEEPTTL')
elseif tonumber(ARGV[2]) <= 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], text, 'PX', ARGV[2])
end
return text
"""


class RedisCache:
    def __init__(self, ctx: ModuleContext) -> None:
        store = remote_store(ctx)
        assert store is not None
        self._store = store
        self._redis = store.client
        self._get = store.script(GET_LUA)
        self._incr = store.script(INCR_LUA)
        self.max_bytes = int(ctx.options.get("cache_max_bytes", MAX_BYTES))

    def get(self, ns: Any, key: Any) -> str | Result | None:
        ns, key = want_str("cacheGet", "ns", ns), want_str("cacheGet", "key", key)
        return self._run(lambda: self._get(keys=[_key(ns, key), STATS], args=[ns]))

    def set(self, ns: Any, key: Any, value: Any, ttl_sec: Any = None) -> bool | Result:
        ns, key = want_str("cacheSet", "ns", ns), want_str("cacheSet", "key", key)
        value = want_str("cacheSet", "value", value)
        ttl = want_opt_number("cacheSet", "ttlSec", ttl_sec)
        if entry_size(ns, key, value) > self.max_bytes:
            return False
        if ttl is not None and ttl <= 0:
            return self._run(lambda: self._redis.delete(_key(ns, key)) >= 0)
        return self._run(lambda: bool(self._redis.set(_key(ns, key), value, px=_millis(ttl))))

    def delete(self, ns: Any, key: Any) -> bool | Result:
        ns, key = want_str("cacheDelete", "ns", ns), want_str("cacheDelete", "key", key)
        return self._run(lambda: self._redis.delete(_key(ns, key)) > 0)

    def incr(self, ns: Any, key: Any, delta: Any = None, ttl_sec: Any = None) -> int | float | Result:
        ns, key = want_str("cacheIncr", "ns", ns), want_str("cacheIncr", "key", key)
        step = 1 if delta is None else want_number("cacheIncr", "delta", delta)
        ttl = want_opt_number("cacheIncr", "ttlSec", ttl_sec)
        expiry = "keep" if ttl is None else ("0" if ttl <= 0 else str(_millis(ttl)))
        text = self._run(lambda: self._incr(keys=[_key(ns, key)], args=[repr(float(step)), expiry]))
        return text if isinstance(text, dict) else js_number(float(text))  # ("inf" on overflow)

    def stats(self, ns: Any = None) -> dict[str, int] | Result:
        ns = want_opt_str("cacheStats", "ns", ns)
        return self._run(lambda: self._stats(ns))

    def _stats(self, ns: str | None) -> dict[str, int]:
        counters = self._redis.hgetall(STATS)
        if ns is not None:
            hits, misses = int(counters.get(f"h:{ns}", 0)), int(counters.get(f"m:{ns}", 0))
            pattern = _glob_escape(_key(ns, "")) + "*"
        else:
            hits = sum(int(v) for k, v in counters.items() if k.startswith("h:"))
            misses = sum(int(v) for k, v in counters.items() if k.startswith("m:"))
            pattern = _glob_escape(PREFIX) + "*"
        entries = size = 0
        batch: list[str] = []
        for name in self._redis.scan_iter(match=pattern, count=SCAN_BATCH):
            batch.append(name)
            if len(batch) >= SCAN_BATCH:
                entries, size = _add_sizes(self._redis, batch, entries, size)
                batch = []
        entries, size = _add_sizes(self._redis, batch, entries, size)
        return {"hits": hits, "misses": misses, "entries": entries, "bytes": size}

    def _run(self, operation: Callable[[], Any]) -> Any:
        try:
            return self._store.call(operation)
        except StoreUnavailable:
            return state_unavailable()


def _key(ns: str, key: str) -> str:
    return f"{PREFIX}{len(ns.encode())}:{ns}:{key}"


def _millis(ttl: float | None) -> int | None:
    return None if ttl is None else max(1, round(ttl * 1000))


def _glob_escape(text: str) -> str:
    return re.sub(r"([\\*?\[\]])", r"\\\1", text)


def _add_sizes(client: Any, names: list[str], entries: int, size: int) -> tuple[int, int]:
    """Add the entries of `names` (still live) and their sizes (ns + key + value bytes)."""
    if not names:
        return entries, size
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.strlen(name)
        pipe.exists(name)
    replies = pipe.execute()
    for name, length, exists in zip(names, replies[::2], replies[1::2], strict=True):
        if exists:  # (it may have expired since SCAN saw it)
            ns_and_key = name[len(PREFIX) :].partition(":")[2]  # "<ns>:<key>"
            entries += 1
            size += len(ns_and_key.encode()) - 1 + length
    return entries, size
