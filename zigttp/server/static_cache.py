"""The static-file cache: file bytes in an LRU bounded by total bytes (seed §10).

* files larger than `max_file_size` are never cached (the backend streams them with sendfile);
* inserting evicts least-recently-used entries until the new one fits in `max_bytes`;
* an entry is valid only while the file's (inode, size, mtime) stay the same, so an edited
  file is re-read on its next request;
* counters (hits, misses, evictions, bytes, entries) feed `/_zigttp/metrics`.

A lock guards the table: the threaded backend reads from many connection threads at once.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

Stamp = tuple[int, int, int]


def stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


class StaticCache:
    def __init__(self, max_bytes: int, max_file_size: int) -> None:
        self.max_bytes = max_bytes
        self.max_file_size = min(max_file_size, max_bytes)
        self._entries: OrderedDict[str, tuple[Stamp, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0
        self.hit_bytes = 0

    def cacheable(self, size: int) -> bool:
        return size <= self.max_file_size

    def keys(self) -> list[str]:
        """Cached paths, least recently used first."""
        with self._lock:
            return list(self._entries)

    def read(self, path: str, info: os.stat_result) -> bytes:
        """The file's bytes, from the cache when its stamp still matches."""
        stamp = stamp_of(info)
        with self._lock:
            entry = self._entries.get(path)
            if entry is not None and entry[0] == stamp:
                self._entries.move_to_end(path)
                self.hits += 1
                self.hit_bytes += len(entry[1])
                return entry[1]
            self.misses += 1
        with open(path, "rb") as file:
            data = file.read(self.max_file_size + 1)
        if len(data) == info.st_size:
            self.put(path, stamp, data)
        return data

    def put(self, path: str, stamp: Stamp, data: bytes) -> None:
        if len(data) > self.max_file_size:
            return
        with self._lock:
            old = self._entries.pop(path, None)
            if old is not None:
                self.bytes -= len(old[1])
            while self._entries and self.bytes + len(data) > self.max_bytes:
                _, (_, evicted) = self._entries.popitem(last=False)
                self.bytes -= len(evicted)
                self.evictions += 1
            self._entries[path] = (stamp, data)
            self.bytes += len(data)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "hits": self.hits,
                "misses": self.misses,
                "evictions": self.evictions,
                "bytes": self.bytes,
                "entries": len(self._entries),
                "hit_bytes": self.hit_bytes,
            }
