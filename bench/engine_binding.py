"""The engine boundary in figures: runtime build, pool pre-warm, µs per request of glue.

    .venv/bin/python bench/engine_binding.py [--calls 20000]

Runs against whichever zigttp is importable, so the same script measured main before the
engine extension (PYTHONPATH=<old checkout> with the old wheel installed) and after: the
before/after table of bench/README.md comes from one run of each, interleaved. Figures are
CPU-bound medians on one thread; compare ratios, not absolutes, on a loaded machine.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from typing import Any

from zigttp.frontend.pipeline import compile_source
from zigttp.runtime import marshal
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

HANDLERS = {
    "json": "function handler(req) { return Response.json({ok: true}); }",
    "headers+query": (
        "function handler(req) { return Response.json({a: req.headers.get('accept'), "
        "q: req.query.x}, {status: 201, headers: {'x-one': '1', 'set-cookie': 'a=b'}}); }"
    ),
    "text": "function handler(req) { return 'hello'; }",
    "async": "async function handler(req) { await null; return Response.text('hi'); }",
    "echo": "function handler(req) { return Response.json({body: req.json()}); }",
}
HEADERS = "host\0x\0accept\0*/*\0user-agent\0bench"
_OLD_BINDING = hasattr(marshal, "decode_response")  # main before the engine extension


def _loaded(source: str) -> Any:
    return load_handler(compile_source(source, "bench.js"), RuntimeLimits(), console=lambda *a: None)


def _request(runtime: Any, body: bytes | None) -> Any:
    if _OLD_BINDING:
        text = body.decode() if body is not None else None
        return marshal.decode_response(runtime.dispatch("GET", "/p?x=1", HEADERS, text))  # type: ignore[attr-defined]
    return runtime.dispatch("GET", "/p?x=1", HEADERS, body)


def per_request(source: str, calls: int) -> float:
    """Best-of-3 µs per dispatch: the engine, the prelude's glue and the marshalling."""
    runtime = _loaded(source).new_runtime()
    body = b'{"a": [1, 2, 3], "b": "text"}' if "json()" in source else None
    for _ in range(500):
        _request(runtime, body)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(calls):
            _request(runtime, body)
        best = min(best, (time.perf_counter() - started) / calls * 1e6)
    return best


def runtime_build(rounds: int = 200) -> float:
    """Median µs to build one runtime (prelude, JSX runtime, handler) on this thread."""
    handler = _loaded(HANDLERS["json"])
    handler.new_runtime()  # per-process work (bytecode of the prelude) is not per runtime
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        handler.new_runtime()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def prewarm(count: int = 64, threads: int = 2) -> float:
    """ms to build `count` runtimes on `threads` threads (a pool's start-up, 2 cores here)."""
    handler = _loaded(HANDLERS["json"])
    handler.new_runtime()
    kept: list[Any] = []

    def build(n: int) -> None:
        mine = [handler.new_runtime() for _ in range(n)]
        kept.extend(mine)

    workers = [threading.Thread(target=build, args=(count // threads,)) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args()
    print("binding:", "PyPI quickjs-ng wheel" if _OLD_BINDING else "zigttp engine extension")
    print(f"runtime build: {runtime_build():.0f} µs (median)")
    warm = statistics.median(prewarm() for _ in range(5))
    print(f"pre-warm 64 runtimes on 2 threads: {warm:.1f} ms (median of 5)")
    for name, source in HANDLERS.items():
        print(f"{name:14s} {per_request(source, args.calls):6.2f} µs/request")


if __name__ == "__main__":
    main()
