"""`zigttp:cache`: a string key/value cache with TTL and LRU, shared by the whole server.

Semantics (upstream-reference §3.2): values are strings in namespaces; `ttlSec` absent = no
expiry, `ttlSec <= 0` = already expired; one LRU budget of 10,000 entries / 16 MiB over all
namespaces (an entry's size is the UTF-8 bytes of namespace + key + value); per-namespace
hit/miss counters. `cacheIncr` treats a missing or non-numeric value as 0.

Like `zigttp:ratelimit`, entries live in the SQLite store of `_store.py` (own file, so cache
and ratelimit writers never contend), so every pooled runtime and worker process sees the same
cache (with `--state redis://...` the cache lives in Redis instead: `_redis_cache.py`).
A read is a write too (it bumps the entry's LRU stamp and the hit counter), so every
operation is one `BEGIN IMMEDIATE` transaction (a hit is a single UPDATE ... RETURNING plus
the hit counter). Entry/byte totals are kept by triggers, so the budget check after a set is
O(1) instead of a table scan. Expired entries are invisible at once and deleted lazily (on
access, or first when the budget is exceeded).
"""

from __future__ import annotations

import math
import sqlite3
import time
from typing import Any

from zigttp.modules._result import (
    js_number,
    want_number,
    want_opt_number,
    want_opt_str,
    want_str,
)
from zigttp.modules._spec import ModuleContext, ModuleSpec
from zigttp.modules._state import blocks_on_io
from zigttp.modules._store import SharedStore, store_path

MAX_ENTRIES = 10_000
MAX_BYTES = 16 * 1024 * 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
  ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  expires REAL, used INTEGER NOT NULL, size INTEGER NOT NULL,
  PRIMARY KEY (ns, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_lru ON entries(used);
CREATE INDEX IF NOT EXISTS entries_expiry ON entries(expires) WHERE expires IS NOT NULL;
CREATE TABLE IF NOT EXISTS stats (
  ns TEXT PRIMARY KEY, hits INTEGER NOT NULL DEFAULT 0, misses INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS totals (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  entries INTEGER NOT NULL, bytes INTEGER NOT NULL
);
INSERT OR IGNORE INTO totals VALUES (1, 0, 0);
CREATE TRIGGER IF NOT EXISTS entries_ins AFTER INSERT ON entries BEGIN
  UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size;
END;
CREATE TRIGGER IF NOT EXISTS entries_del AFTER DELETE ON entries BEGIN
  UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size;
END;
CREATE TRIGGER IF NOT EXISTS entries_upd AFTER UPDATE OF size ON entries BEGIN
  UPDATE totals SET bytes = bytes - OLD.size + NEW.size;
END
"""

UPSERT_SQL = """
INSERT INTO entries (ns, key, value, expires, used, size)
VALUES (:ns, :key, :value, :expires, :used, :size)
ON CONFLICT (ns, key) DO UPDATE SET
  value = excluded.value, expires = excluded.expires, used = excluded.used, size = excluded.size
"""

LIVE = "(expires IS NULL OR expires > :now)"

# A hit is one statement: bump the LRU stamp of a live entry and return its value.
GET_SQL = f"""
UPDATE entries SET used = :used WHERE ns = :ns AND key = :key AND {LIVE} RETURNING value
"""


class Cache:
    def __init__(self, ctx: ModuleContext) -> None:
        self._store = SharedStore(store_path(ctx.state_dir, "cache"), SCHEMA)
        self._clock = ctx.clock
        self.max_entries = int(ctx.options.get("cache_max_entries", MAX_ENTRIES))
        self.max_bytes = int(ctx.options.get("cache_max_bytes", MAX_BYTES))

    def get(self, ns: Any, key: Any) -> str | None:
        ns, key = want_str("cacheGet", "ns", ns), want_str("cacheGet", "key", key)
        params = {"used": _stamp(), "ns": ns, "key": key, "now": self._clock()}
        with self._store.write() as conn:
            rows = conn.execute(GET_SQL, params).fetchall()
            _count(conn, ns, hit=bool(rows))
        return str(rows[0][0]) if rows else None

    def set(self, ns: Any, key: Any, value: Any, ttl_sec: Any = None) -> bool:
        ns, key = want_str("cacheSet", "ns", ns), want_str("cacheSet", "key", key)
        value = want_str("cacheSet", "value", value)
        ttl = want_opt_number("cacheSet", "ttlSec", ttl_sec)
        size = entry_size(ns, key, value)
        if size > self.max_bytes:
            return False
        with self._store.write() as conn:
            if ttl is not None and ttl <= 0:
                _delete(conn, ns, key)
            else:
                self._put(conn, ns, key, value, self._expiry(ttl))
                self._evict(conn)
        return True

    def delete(self, ns: Any, key: Any) -> bool:
        ns, key = want_str("cacheDelete", "ns", ns), want_str("cacheDelete", "key", key)
        with self._store.write() as conn:
            existed = self._live_value(conn, ns, key) is not None
            _delete(conn, ns, key)
        return existed

    def incr(self, ns: Any, key: Any, delta: Any = None, ttl_sec: Any = None) -> int | float:
        """Add `delta` (default 1); a given `ttlSec` resets the expiry, else it is kept."""
        ns, key = want_str("cacheIncr", "ns", ns), want_str("cacheIncr", "key", key)
        step = 1 if delta is None else want_number("cacheIncr", "delta", delta)
        ttl = want_opt_number("cacheIncr", "ttlSec", ttl_sec)
        with self._store.write() as conn:
            row = self._live_row(conn, ns, key)
            current = parse_number(row[0]) if row else 0
            result = js_number(current + step)
            expires = self._expiry(ttl) if ttl is not None else (row[1] if row else None)
            self._put(conn, ns, key, format_number(result), expires)
            self._evict(conn)
        return result

    def stats(self, ns: Any = None) -> dict[str, int]:
        ns = want_opt_str("cacheStats", "ns", ns)
        conn = self._store.connection()
        where = "ns = :ns AND " if ns is not None else ""
        params = {"ns": ns, "now": self._clock()}
        entries, size = conn.execute(
            f"SELECT count(*), coalesce(sum(size), 0) FROM entries WHERE {where}{LIVE}", params
        ).fetchone()
        hits, misses = conn.execute(
            "SELECT coalesce(sum(hits), 0), coalesce(sum(misses), 0) FROM stats"
            + (" WHERE ns = :ns" if ns is not None else ""),
            params,
        ).fetchone()
        return {"hits": hits, "misses": misses, "entries": entries, "bytes": size}

    def _live_row(self, conn: sqlite3.Connection, ns: str, key: str) -> tuple[str, Any] | None:
        row = conn.execute(
            "SELECT value, expires FROM entries WHERE ns = :ns AND key = :key",
            {"ns": ns, "key": key},
        ).fetchone()
        if row is not None and row[1] is not None and row[1] <= self._clock():
            _delete(conn, ns, key)
            return None
        return row

    def _live_value(self, conn: sqlite3.Connection, ns: str, key: str) -> str | None:
        row = self._live_row(conn, ns, key)
        return row[0] if row else None

    def _put(self, conn: sqlite3.Connection, ns: str, key: str, value: str, expires: float | None) -> None:
        params = {"ns": ns, "key": key, "value": value, "expires": expires}
        conn.execute(UPSERT_SQL, {**params, "used": _stamp(), "size": entry_size(ns, key, value)})

    def _expiry(self, ttl: float | None) -> float | None:
        return None if ttl is None else self._clock() + ttl

    def _evict(self, conn: sqlite3.Connection) -> None:
        """Drop expired entries, then least-recently-used ones, until within budget."""
        entries, size = _totals(conn)
        if entries <= self.max_entries and size <= self.max_bytes:
            return
        conn.execute("DELETE FROM entries WHERE expires <= ?", (self._clock(),))
        entries, size = _totals(conn)
        while entries > self.max_entries or size > self.max_bytes:
            excess = max(1, entries - self.max_entries)
            conn.execute(
                "DELETE FROM entries WHERE (ns, key) IN (SELECT ns, key FROM entries ORDER BY used LIMIT ?)",
                (excess,),
            )
            entries, size = _totals(conn)


def _totals(conn: sqlite3.Connection) -> tuple[int, int]:
    entries, size = conn.execute("SELECT entries, bytes FROM totals").fetchone()
    return int(entries), int(size)


def _stamp() -> int:
    """LRU stamp: wall-clock nanoseconds, comparable across processes without a shared
    counter (a counter row would add a write to every get). A clock step back only
    misorders eviction slightly."""
    return time.time_ns()


def _count(conn: sqlite3.Connection, ns: str, *, hit: bool) -> None:
    column = "hits" if hit else "misses"
    conn.execute(
        f"INSERT INTO stats (ns, {column}) VALUES (?, 1) "
        f"ON CONFLICT (ns) DO UPDATE SET {column} = {column} + 1",
        (ns,),
    )


def _delete(conn: sqlite3.Connection, ns: str, key: str) -> None:
    conn.execute("DELETE FROM entries WHERE ns = ? AND key = ?", (ns, key))


def entry_size(ns: str, key: str, value: str) -> int:
    return len(ns.encode()) + len(key.encode()) + len(value.encode())


def parse_number(text: str) -> float:
    if "_" in text:  # Python's float() accepts "1_0"; JS's Number() does not
        return 0
    try:
        number = float(text)
    except ValueError:
        return 0
    return number if math.isfinite(number) else 0


def format_number(number: float) -> str:
    return str(number) if isinstance(number, int) else repr(number)


def create(ctx: ModuleContext) -> dict[str, Any]:
    if ctx.options.get("state"):  # --state redis://...: one cache for every instance
        from zigttp.modules._redis_cache import RedisCache

        cache: Any = RedisCache(ctx)
    else:
        cache = Cache(ctx)
    return {
        "cacheGet": cache.get,
        "cacheSet": cache.set,
        "cacheDelete": cache.delete,
        "cacheIncr": cache.incr,
        "cacheStats": cache.stats,
    }


MODULE = ModuleSpec(
    name="cache",
    exports=("cacheGet", "cacheSet", "cacheDelete", "cacheIncr", "cacheStats"),
    create=create,
    traceable=frozenset({"cacheGet", "cacheSet", "cacheDelete", "cacheIncr", "cacheStats"}),
    blocking_when=blocks_on_io,
)
