"""Throughput of the stores behind zigttp:ratelimit and zigttp:cache: SQLite (default) or Redis.

Runs a fixed number of calls per worker (bounded) and prints calls/s for: one thread, four
threads in one process, two processes, and two processes x two threads. A process stands for
one instance (one `zigttp serve` worker, each with its own connection pool). Figures, not
assertions: results are in docs/modules.md (SQLite) and docs/operations.md (both stores).

    .venv/bin/python bench/modules_store.py [--calls N]                       # SQLite
    redis-server --port 6399 --save "" --appendonly no &
    .venv/bin/python bench/modules_store.py --state redis://127.0.0.1:6399/0  # Redis
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from zigttp.modules import ModuleContext
from zigttp.modules import cache as cache_module
from zigttp.modules import ratelimit as ratelimit_module

Op = Callable[[dict[str, Any], int], Any]


def rate_op(exports: dict[str, Any], i: int) -> Any:
    return exports["rateCheck"](f"key-{i % KEYS}", 1_000_000, 3600)


def cache_get_op(exports: dict[str, Any], i: int) -> Any:
    return exports["cacheGet"]("bench", f"key-{i % KEYS}")


def cache_set_op(exports: dict[str, Any], i: int) -> Any:
    return exports["cacheSet"]("bench", f"key-{i % KEYS}", "value" * 8, 60)


KEYS = 100
OPS: dict[str, tuple[Any, Op]] = {
    "rateCheck": (ratelimit_module, rate_op),
    "cacheGet": (cache_module, cache_get_op),  # hits: run_threads pre-sets every key
    "cacheSet": (cache_module, cache_set_op),
}


def run_threads(
    state_dir: str, op_name: str, threads: int, calls: int, go: Any = None, state: str | None = None
) -> float:
    """Run `threads` x `calls` ops once `go` is set; return the elapsed wall time."""
    module, op = OPS[op_name]
    options = {"state": state, "state_timeout_ms": 5000, "state_connections": threads}
    exports = module.create(ModuleContext(state_dir=state_dir, options=options))
    if module is cache_module:  # so that cacheGet measures hits, not misses
        for i in range(KEYS):
            cache_set_op(exports, i)
    for i in range(100):  # open this process's connection, warm the page cache
        op(exports, i)

    def worker(offset: int) -> None:
        for i in range(calls):
            op(exports, offset + i)

    pool = [threading.Thread(target=worker, args=(n * calls,)) for n in range(threads)]
    if go is not None:
        go.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - started


def _process_main(
    state_dir: str, op_name: str, threads: int, calls: int, go: Any, out: Any, state: str | None
) -> None:
    out.put(run_threads(state_dir, op_name, threads, calls, go, state))


def measure(op_name: str, processes: int, threads: int, calls: int, state: str | None = None) -> float:
    """Calls per second over all workers (startup excluded: workers start on one signal)."""
    with tempfile.TemporaryDirectory() as state_dir:
        run_threads(state_dir, op_name, 1, 100, state=state)  # create the schema
        if processes == 1:
            elapsed = run_threads(state_dir, op_name, threads, calls, state=state)
        else:
            mp = multiprocessing.get_context("spawn")
            go, out = mp.Event(), mp.Queue()
            args = (state_dir, op_name, threads, calls, go, out, state)
            workers = [mp.Process(target=_process_main, args=args) for _ in range(processes)]
            for worker in workers:
                worker.start()
            time.sleep(1.5)  # let every worker import and warm up before the start signal
            go.set()
            elapsed = max(out.get(timeout=300) for _ in workers)
            for worker in workers:
                worker.join()
    return processes * threads * calls / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5_000, help="calls per thread")
    parser.add_argument(
        "--state",
        default=None,
        metavar="URL",
        help="measure a Redis/Valkey store (as `zigttp serve --state URL`)",
    )
    args = parser.parse_args()
    shapes = [(1, 1), (1, 4), (2, 1), (2, 2), (4, 1)]
    print(f"store: {args.state or 'sqlite'}")
    for op_name in OPS:
        for processes, threads in shapes:
            rate = measure(op_name, processes, threads, args.calls, args.state)
            label = f"{processes} proc x {threads} thread"
            print(f"{op_name:10s} {label:20s} {rate:10,.0f} calls/s")


if __name__ == "__main__":
    main()
