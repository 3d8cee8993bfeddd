"""The static cache: LRU order, byte bound, per-file limit, invalidation; unit and over HTTP."""

from __future__ import annotations

import http.client
import os
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from zigttp.server.static_cache import StaticCache


def _file(tmp_path: Path, name: str, size: int) -> tuple[str, os.stat_result]:
    path = tmp_path / name
    path.write_bytes(name[0].encode() * size)
    return str(path), path.stat()


def test_evicts_least_recently_used_first(tmp_path):
    cache = StaticCache(max_bytes=300, max_file_size=200)
    a, b, c, d = (_file(tmp_path, n, 100) for n in "abcd")
    for path, info in (a, b, c):
        cache.read(path, info)
    cache.read(*a)  # a becomes most recently used; b is now the oldest
    cache.read(*d)
    assert cache.keys() == [c[0], a[0], d[0]]
    assert cache.stats()["evictions"] == 1


def test_total_bytes_never_exceed_the_bound(tmp_path):
    cache = StaticCache(max_bytes=250, max_file_size=200)
    for name, size in (("a", 120), ("b", 120), ("c", 200), ("d", 30), ("e", 60)):
        cache.read(*_file(tmp_path, name, size))
        assert cache.stats()["bytes"] <= 250
    assert cache.keys() == [str(tmp_path / n) for n in ("d", "e")]


def test_files_over_the_per_file_limit_are_not_cached(tmp_path):
    cache = StaticCache(max_bytes=1000, max_file_size=100)
    path, info = _file(tmp_path, "big", 101)
    assert not cache.cacheable(info.st_size)
    cache.put(path, (0, 0, 0), b"x" * 101)
    assert cache.keys() == []


def test_hits_and_misses_are_counted(tmp_path):
    cache = StaticCache(max_bytes=1000, max_file_size=100)
    entry = _file(tmp_path, "a", 10)
    for _ in range(3):
        cache.read(*entry)
    assert (cache.stats()["misses"], cache.stats()["hits"], cache.stats()["hit_bytes"]) == (1, 2, 20)


def test_a_changed_file_is_read_again(tmp_path):
    cache = StaticCache(max_bytes=1000, max_file_size=100)
    path, info = _file(tmp_path, "a", 10)
    cache.read(path, info)
    Path(path).write_bytes(b"new content!")
    assert cache.read(path, os.stat(path)) == b"new content!"


def _metrics(server) -> dict[str, float]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request("GET", "/_zigttp/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if not sample.labels
    }


def test_eviction_order_and_bound_over_http(serve, tmp_path):
    root = tmp_path / "public"
    root.mkdir()
    for name in "abcd":
        (root / f"{name}.txt").write_bytes(name.encode() * 100)
    server = serve(
        'function handler() { return Response.text("h"); }',
        "--static",
        str(root),
        "--metrics",
        "--static-cache-max-bytes",
        "300",
        "--static-cache-max-file-size",
        "200",
    )
    for name in "abcad":  # a, b, c cached; a touched; d evicts b (least recently used)
        assert server.get(f"/{name}.txt").content == name.encode() * 100
    before = _metrics(server)
    assert before["zigttp_static_cache_bytes"] == 300
    assert before["zigttp_static_cache_evictions_total"] == 1
    for name in "acd":
        server.get(f"/{name}.txt")
    assert _metrics(server)["zigttp_static_cache_hits_total"] == before["zigttp_static_cache_hits_total"] + 3
    server.get("/b.txt")
    after = _metrics(server)
    assert after["zigttp_static_cache_misses_total"] == before["zigttp_static_cache_misses_total"] + 1
    assert after["zigttp_static_cache_bytes"] == 300
