"""zigttp:ratelimit: the spec §7 worked example, argument errors, server-wide sharing."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.modules import ModuleContext, ModuleTypeError
from zigttp.modules.ratelimit import create


@pytest.fixture
def rl(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("ratelimit")


def test_worked_example_from_spec(rl: dict[str, Any], clock: Any) -> None:
    results = []
    for t in (1000, 1001, 1002, 1003, 1060):
        clock.now = t
        results.append(rl["rateCheck"]("k", 3, 60))
    assert results == [
        {"ok": True, "value": {"remaining": 2, "resetAt": 1_060_000}},
        {"ok": True, "value": {"remaining": 1, "resetAt": 1_060_000}},
        {"ok": True, "value": {"remaining": 0, "resetAt": 1_060_000}},
        {"ok": False, "error": {"tag": "rate_exceeded", "retryAfter": 57}},
        {"ok": True, "value": {"remaining": 2, "resetAt": 1_120_000}},
    ]


def test_denied_calls_do_not_increment(rl: dict[str, Any], clock: Any) -> None:
    rl["rateCheck"]("k", 1, 10)
    for _ in range(5):
        assert rl["rateCheck"]("k", 1, 10)["ok"] is False
    clock.now += 10
    expected = {"ok": True, "value": {"remaining": 0, "resetAt": 1_020_000}}
    assert rl["rateCheck"]("k", 1, 10) == expected


def test_window_starts_at_first_hit_not_clock_aligned(rl: dict[str, Any], clock: Any) -> None:
    clock.now = 1007.9
    assert rl["rateCheck"]("k", 5, 10)["value"]["resetAt"] == 1_017_000


def test_retry_after_uses_milliseconds_of_now(rl: dict[str, Any], clock: Any) -> None:
    rl["rateCheck"]("k", 1, 60)
    clock.now = 1003.5
    assert rl["rateCheck"]("k", 1, 60)["error"]["retryAfter"] == 56


def test_keys_are_independent(rl: dict[str, Any]) -> None:
    rl["rateCheck"]("a", 1, 60)
    assert rl["rateCheck"]("a", 1, 60)["ok"] is False
    assert rl["rateCheck"]("b", 1, 60)["ok"] is True


def test_restart_uses_new_window_length(rl: dict[str, Any], clock: Any) -> None:
    rl["rateCheck"]("k", 3, 10)
    clock.now = 1010
    assert rl["rateCheck"]("k", 3, 30)["value"]["resetAt"] == 1_040_000


def test_fractional_window_is_floored_and_integral_float_limit_accepted(
    rl: dict[str, Any],
) -> None:
    assert rl["rateCheck"]("k", 3.0, 1.9) == {
        "ok": True,
        "value": {"remaining": 2, "resetAt": 1_001_000},
    }


def test_reset_reports_whether_counter_existed(rl: dict[str, Any]) -> None:
    assert rl["rateReset"]("k") is False
    rl["rateCheck"]("k", 1, 60)
    assert rl["rateReset"]("k") is True
    assert rl["rateCheck"]("k", 1, 60)["ok"] is True


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        ((1, 3, 60), "key"),
        (("k", 2.5, 60), "limit"),
        (("k", 0, 60), "limit"),
        (("k", True, 60), "limit"),
        (("k", "3", 60), "limit"),
        (("k", 3, 0.5), "windowSec"),
        (("k", 3, None), "windowSec"),
        (("k", 3, float("nan")), "windowSec"),
    ],
)
def test_bad_arguments_raise_type_error_naming_argument(
    rl: dict[str, Any], args: tuple[Any, ...], argument: str
) -> None:
    with pytest.raises(ModuleTypeError, match=rf"^rateCheck: argument '{argument}'"):
        rl["rateCheck"](*args)


def test_reset_bad_key_raises(rl: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="rateReset: argument 'key'"):
        rl["rateReset"](None)


def test_expired_keys_are_evicted(rl: dict[str, Any], clock: Any, tmp_path: Path) -> None:
    for i in range(300):
        rl["rateCheck"](f"k{i}", 1, 1)
    clock.now += 5
    for _ in range(300):
        rl["rateCheck"]("fresh", 1000, 60)
    import sqlite3

    db = sqlite3.connect(tmp_path / "state" / "ratelimit.sqlite3")
    (count,) = db.execute("SELECT count(*) FROM ratelimit").fetchone()
    db.close()
    assert count < 301


def test_two_module_instances_share_counters(make_ctx: Callable[..., ModuleContext]) -> None:
    first, second = create(make_ctx()), create(make_ctx())
    first["rateCheck"]("k", 2, 60)
    second["rateCheck"]("k", 2, 60)
    assert first["rateCheck"]("k", 2, 60)["ok"] is False


def test_threads_share_the_limit_exactly(rl: dict[str, Any]) -> None:
    allowed: list[bool] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(50):
            outcome = rl["rateCheck"]("shared", 60, 60)["ok"]
            with lock:
                allowed.append(outcome)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(allowed) == 200
    assert allowed.count(True) == 60


def _process_worker(state_dir: str, calls: int, limit: int, queue: Any) -> None:
    exports = create(ModuleContext(state_dir=state_dir, clock=lambda: 5_000.0))
    allowed = sum(exports["rateCheck"]("cross", limit, 3600)["ok"] for _ in range(calls))
    queue.put(allowed)


@pytest.mark.timeout(60)
def test_processes_share_the_limit_exactly(tmp_path: Path) -> None:
    processes, calls, limit = 4, 60, 97
    mp = multiprocessing.get_context("spawn")
    queue = mp.Queue()
    workers = [
        mp.Process(target=_process_worker, args=(str(tmp_path), calls, limit, queue))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    totals = [queue.get(timeout=45) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
        assert worker.exitcode == 0
    assert sum(totals) == limit


def test_racing_first_connections_to_fresh_stores(tmp_path: Path) -> None:
    """Regression: threads opening their first connections to a NEW store at once failed
    about once in 40 rounds with "database is locked" (SQLite skips busy_timeout for the
    journal-mode switch)."""
    failures: list[BaseException] = []
    for round_number in range(60):
        exports = create(ModuleContext(state_dir=str(tmp_path / str(round_number))))
        barrier = threading.Barrier(6)

        def first_calls(exports: dict[str, Any] = exports, barrier: Any = barrier) -> None:
            barrier.wait()
            try:
                for _ in range(5):
                    exports["rateCheck"]("k", 100, 60)
            except BaseException as problem:
                failures.append(problem)

        threads = [threading.Thread(target=first_calls) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []


@pytest.mark.parametrize(
    ("args", "argument"),
    [(("k", 2**60, 60), "limit"), (("k", 3, 1e20), "windowSec")],
)
def test_out_of_range_numbers_raise_type_error(
    rl: dict[str, Any], args: tuple[Any, ...], argument: str
) -> None:
    with pytest.raises(ModuleTypeError, match=f"rateCheck: argument '{argument}'"):
        rl["rateCheck"](*args)
