"""One suite, both stores: zigttp:ratelimit and zigttp:cache answer the same on SQLite (the
default) and on Redis (`--state`). Real clock, real redis-server; where Redis differs by
design (budget totals, clock source) docs/operations.md says so and the SQLite-only tests live
in tests/modules/test_cache.py and test_ratelimit.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.modules import ModuleContext, find_module

Load = Callable[..., dict[str, Any]]


@pytest.fixture(params=["sqlite", "redis"])
def load(request: pytest.FixtureRequest, tmp_path: Path) -> Load:
    """`load("cache", **options)`: a fresh export table on the store under test. Two loads
    share state (as two workers, or with Redis two instances, do)."""
    state = request.getfixturevalue("redis_url") if request.param == "redis" else None

    def make(name: str, **options: Any) -> dict[str, Any]:
        spec = find_module(name)
        assert spec is not None
        context = ModuleContext(state_dir=str(tmp_path / "state"), options={"state": state, **options})
        return spec.create(context)

    return make


def _wait_until(epoch_seconds: float) -> None:
    time.sleep(max(0.0, epoch_seconds - time.time()) + 0.05)


# -- zigttp:ratelimit --------------------------------------------------------------------------


def test_fixed_window_counts_down_then_denies_without_counting(load: Load) -> None:
    rl = load("ratelimit")
    before = int(time.time())
    results = [rl["rateCheck"]("k", 3, 60) for _ in range(5)]
    after = int(time.time())
    assert [r["value"]["remaining"] for r in results[:3]] == [2, 1, 0]
    reset_at = results[0]["value"]["resetAt"]
    assert {r["value"]["resetAt"] for r in results[:3]} == {reset_at}
    # The window starts at the whole second of the first check, read between the two clock
    # readings (a second boundary may fall between them).
    assert reset_at % 1000 == 0 and (before + 60) * 1000 <= reset_at <= (after + 60) * 1000
    for denied in results[3:]:
        assert denied["ok"] is False and denied["error"]["tag"] == "rate_exceeded"
        assert 58 <= denied["error"]["retryAfter"] <= 60


def _start_of_a_second() -> None:
    """Sleep to just past the next whole second, so two quick checks of a one-second window
    fall in the same window."""
    time.sleep(1.0 - time.time() % 1.0 + 0.01)


def test_window_restarts_once_it_has_ended(load: Load) -> None:
    rl = load("ratelimit")
    _start_of_a_second()
    first = rl["rateCheck"]("k", 1, 1)
    assert rl["rateCheck"]("k", 1, 1)["ok"] is False
    _wait_until(first["value"]["resetAt"] / 1000)
    again = rl["rateCheck"]("k", 1, 1)
    assert again["ok"] is True and again["value"]["resetAt"] > first["value"]["resetAt"]


def test_keys_are_independent_and_reset_reports_existence(load: Load) -> None:
    rl = load("ratelimit")
    rl["rateCheck"]("a", 1, 60)
    assert rl["rateCheck"]("a", 1, 60)["ok"] is False
    assert rl["rateCheck"]("b", 1, 60)["ok"] is True
    assert rl["rateReset"]("a") is True
    assert rl["rateReset"]("a") is False
    assert rl["rateCheck"]("a", 1, 60)["ok"] is True


def test_limit_holds_across_two_module_instances_and_threads(load: Load) -> None:
    instances = [load("ratelimit"), load("ratelimit")]
    outcomes: list[bool] = []
    lock = threading.Lock()

    def hammer(rl: dict[str, Any]) -> None:
        for _ in range(30):
            result = rl["rateCheck"]("shared", 50, 60)["ok"]
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=hammer, args=(instances[n % 2],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(True) == 50 and len(outcomes) == 120


def test_bad_arguments_are_type_errors_on_every_store(load: Load) -> None:
    from zigttp.modules import ModuleTypeError

    rl = load("ratelimit")
    with pytest.raises(ModuleTypeError, match="limit"):
        rl["rateCheck"]("k", 0, 60)
    with pytest.raises(ModuleTypeError, match="windowSec"):
        rl["rateCheck"]("k", 1, 0.5)


# -- zigttp:cache ------------------------------------------------------------------------------


def test_get_set_delete(load: Load) -> None:
    cache = load("cache")
    assert cache["cacheGet"]("ns", "k") is None
    assert cache["cacheSet"]("ns", "k", "v") is True
    assert cache["cacheGet"]("ns", "k") == "v"
    assert cache["cacheDelete"]("ns", "k") is True
    assert cache["cacheDelete"]("ns", "k") is False
    assert cache["cacheGet"]("ns", "k") is None


def test_ttl_expires_and_non_positive_ttl_deletes(load: Load) -> None:
    cache = load("cache")
    cache["cacheSet"]("ns", "short", "v", 0.2)
    cache["cacheSet"]("ns", "gone", "v")
    cache["cacheSet"]("ns", "gone", "v2", 0)
    assert cache["cacheGet"]("ns", "gone") is None
    assert cache["cacheGet"]("ns", "short") == "v"
    time.sleep(0.35)
    assert cache["cacheGet"]("ns", "short") is None
    assert cache["cacheDelete"]("ns", "short") is False


def test_namespaces_are_isolated_even_with_separators_in_names(load: Load) -> None:
    cache = load("cache")
    cache["cacheSet"]("a:b", "c", "first")
    cache["cacheSet"]("a", "b:c", "second")
    cache["cacheSet"]("a*", "x", "glob")
    assert cache["cacheGet"]("a:b", "c") == "first"
    assert cache["cacheGet"]("a", "b:c") == "second"
    assert cache["cacheStats"]("a")["entries"] == 1
    assert cache["cacheStats"]("a*")["entries"] == 1
    cache["cacheDelete"]("a", "b:c")
    assert cache["cacheGet"]("a:b", "c") == "first"


@pytest.mark.parametrize(
    ("stored", "delta", "expected", "text"),
    [
        (None, None, 1, "1"),
        ("5", 2, 7, "7"),
        ("1.5", 1, 2.5, "2.5"),
        ("0.1", 0.2, 0.30000000000000004, "0.30000000000000004"),
        (" 7 ", 1, 8, "8"),
        ("abc", 3, 3, "3"),
        ("1_0", 1, 1, "1"),
        ("0x10", 1, 1, "1"),
        ("1e400", 1, 1, "1"),
        ("-2e3", 0.5, -1999.5, "-1999.5"),
        ("9007199254740991", 1, 9007199254740992.0, "9007199254740992.0"),
        ("1e20", 1, 1e20, "1e+20"),
        ("1.7e308", 1.7e308, float("inf"), "inf"),
    ],
)
def test_incr_parses_and_formats_numbers_alike(
    load: Load, stored: str | None, delta: Any, expected: float, text: str
) -> None:
    cache = load("cache")
    if stored is not None:
        cache["cacheSet"]("n", "k", stored)
    result = cache["cacheIncr"]("n", "k", delta)
    assert result == expected and type(result) is type(expected)
    assert cache["cacheGet"]("n", "k") == text


def test_incr_keeps_the_expiry_unless_given_one(load: Load) -> None:
    cache = load("cache")
    cache["cacheSet"]("n", "kept", "1", 0.3)
    cache["cacheSet"]("n", "reset", "1", 0.3)
    assert cache["cacheIncr"]("n", "kept") == 2
    assert cache["cacheIncr"]("n", "reset", 1, 60) == 2
    time.sleep(0.45)
    assert cache["cacheGet"]("n", "kept") is None
    assert cache["cacheGet"]("n", "reset") == "2"


def test_incr_is_atomic_across_instances_and_threads(load: Load) -> None:
    instances = [load("cache"), load("cache")]

    def bump(cache: dict[str, Any]) -> None:
        for _ in range(50):
            cache["cacheIncr"]("n", "counter")

    threads = [threading.Thread(target=bump, args=(instances[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert instances[0]["cacheGet"]("n", "counter") == "300"


def test_stats_count_hits_misses_entries_and_bytes_per_namespace(load: Load) -> None:
    cache = load("cache")
    cache["cacheSet"]("a", "k1", "value")  # 1 + 2 + 5 bytes
    cache["cacheSet"]("a", "k2", "é")  # 1 + 2 + 2 bytes (UTF-8)
    cache["cacheSet"]("b", "k", "v")
    cache["cacheGet"]("a", "k1")
    cache["cacheGet"]("a", "missing")
    cache["cacheGet"]("b", "k")
    assert cache["cacheStats"]("a") == {"hits": 1, "misses": 1, "entries": 2, "bytes": 13}
    assert cache["cacheStats"]() == {"hits": 2, "misses": 1, "entries": 3, "bytes": 16}
    assert load("cache")["cacheStats"]("a")["hits"] == 1  # another instance sees the same


def test_an_entry_larger_than_the_byte_budget_is_refused(load: Load) -> None:
    cache = load("cache", cache_max_bytes=64)
    assert cache["cacheSet"]("ns", "big", "x" * 100) is False
    assert cache["cacheGet"]("ns", "big") is None
    assert cache["cacheSet"]("ns", "small", "x" * 10) is True
