"""zigttp:cache: get/set/delete/incr/stats, TTL, LRU budget, sharing across instances."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.modules import ModuleContext, ModuleTypeError
from zigttp.modules.cache import create


@pytest.fixture
def cache(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("cache")


def test_set_then_get_returns_value(cache: dict[str, Any]) -> None:
    assert cache["cacheSet"]("ns", "k", "v") is True
    assert cache["cacheGet"]("ns", "k") == "v"


def test_missing_key_is_undefined(cache: dict[str, Any]) -> None:
    assert cache["cacheGet"]("ns", "nope") is None


def test_namespaces_are_separate(cache: dict[str, Any]) -> None:
    cache["cacheSet"]("a", "k", "1")
    assert cache["cacheGet"]("b", "k") is None


def test_ttl_expires_entry(cache: dict[str, Any], clock: Any) -> None:
    cache["cacheSet"]("ns", "k", "v", 10)
    clock.now += 9.9
    assert cache["cacheGet"]("ns", "k") == "v"
    clock.now += 0.1
    assert cache["cacheGet"]("ns", "k") is None


def test_non_positive_ttl_means_already_expired(cache: dict[str, Any]) -> None:
    cache["cacheSet"]("ns", "k", "old")
    assert cache["cacheSet"]("ns", "k", "v", 0) is True
    assert cache["cacheGet"]("ns", "k") is None


def test_delete_reports_whether_entry_existed(cache: dict[str, Any]) -> None:
    cache["cacheSet"]("ns", "k", "v")
    assert cache["cacheDelete"]("ns", "k") is True
    assert cache["cacheDelete"]("ns", "k") is False


def test_incr_counts_from_zero_and_by_delta(cache: dict[str, Any]) -> None:
    assert cache["cacheIncr"]("ns", "n") == 1
    assert cache["cacheIncr"]("ns", "n", 5) == 6
    assert cache["cacheIncr"]("ns", "n", -0.5) == 5.5
    assert cache["cacheGet"]("ns", "n") == "5.5"


def test_incr_treats_non_numeric_as_zero(cache: dict[str, Any]) -> None:
    cache["cacheSet"]("ns", "n", "hello")
    assert cache["cacheIncr"]("ns", "n", 2) == 2


def test_incr_keeps_expiry_unless_ttl_given(cache: dict[str, Any], clock: Any) -> None:
    cache["cacheIncr"]("ns", "n", 1, 10)
    clock.now += 5
    cache["cacheIncr"]("ns", "n")
    clock.now += 5
    assert cache["cacheGet"]("ns", "n") is None


def test_stats_count_hits_misses_entries_bytes(cache: dict[str, Any]) -> None:
    cache["cacheSet"]("ns", "k", "value")
    cache["cacheGet"]("ns", "k")
    cache["cacheGet"]("ns", "missing")
    cache["cacheSet"]("other", "k", "v")
    assert cache["cacheStats"]("ns") == {"hits": 1, "misses": 1, "entries": 1, "bytes": 8}
    assert cache["cacheStats"]() == {"hits": 1, "misses": 1, "entries": 2, "bytes": 15}


def test_lru_evicts_least_recently_used_over_entry_budget(
    load: Callable[..., dict[str, Any]],
) -> None:
    cache = load("cache", cache_max_entries=3)
    for key in "abc":
        cache["cacheSet"]("ns", key, "v")
    cache["cacheGet"]("ns", "a")  # a is now more recent than b
    cache["cacheSet"]("ns", "d", "v")
    assert [cache["cacheGet"]("ns", k) for k in "abcd"] == ["v", None, "v", "v"]


def test_byte_budget_evicts_and_rejects_oversized(load: Callable[..., dict[str, Any]]) -> None:
    cache = load("cache", cache_max_bytes=100)
    cache["cacheSet"]("ns", "a", "x" * 60)
    cache["cacheSet"]("ns", "b", "x" * 30)
    cache["cacheSet"]("ns", "c", "x" * 30)
    assert cache["cacheGet"]("ns", "a") is None
    assert cache["cacheStats"]()["bytes"] <= 100
    assert cache["cacheSet"]("ns", "big", "x" * 200) is False


def test_default_budget_is_ten_thousand_entries_and_16_mib(cache: dict[str, Any]) -> None:
    from zigttp.modules.cache import MAX_BYTES, MAX_ENTRIES

    assert (MAX_ENTRIES, MAX_BYTES) == (10_000, 16 * 1024 * 1024)


@pytest.mark.parametrize(
    ("fn", "args", "argument"),
    [
        ("cacheGet", (1, "k"), "ns"),
        ("cacheSet", ("ns", "k", 5), "value"),
        ("cacheSet", ("ns", "k", "v", "10"), "ttlSec"),
        ("cacheIncr", ("ns", "k", "1"), "delta"),
        ("cacheStats", (3,), "ns"),
    ],
)
def test_bad_arguments_raise_type_error(
    cache: dict[str, Any], fn: str, args: tuple[Any, ...], argument: str
) -> None:
    with pytest.raises(ModuleTypeError, match=f"{fn}: argument '{argument}'"):
        cache[fn](*args)


def test_instances_on_one_state_dir_share_entries(make_ctx: Callable[..., ModuleContext]) -> None:
    first, second = create(make_ctx()), create(make_ctx())
    first["cacheSet"]("ns", "k", "shared")
    assert second["cacheGet"]("ns", "k") == "shared"


def _incr_worker(state_dir: str, calls: int) -> None:
    exports = create(ModuleContext(state_dir=state_dir))
    for _ in range(calls):
        exports["cacheIncr"]("ns", "counter")


@pytest.mark.timeout(60)
def test_incr_is_atomic_across_processes(tmp_path: Path) -> None:
    mp = multiprocessing.get_context("spawn")
    workers = [mp.Process(target=_incr_worker, args=(str(tmp_path), 50)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=45)
        assert worker.exitcode == 0
    assert create(ModuleContext(state_dir=str(tmp_path)))["cacheGet"]("ns", "counter") == "150"
