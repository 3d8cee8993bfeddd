"""A cold start builds one runtime; the rest of the pool is built after the first answer
(`RuntimePool.start(first_only=True)` + `warm()`), or at once when a request has to wait."""

from __future__ import annotations

import concurrent.futures

from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits
from zigttp.runtime.pool import Call, RuntimePool

SOURCE = "let n = 0; function handler(req) { n++; return Response.json({n}); }"


def _pool(size: int) -> RuntimePool:
    handler = load_handler(compile_source(SOURCE, "h.js"), RuntimeLimits(), console=lambda *a: None)
    return RuntimePool(size, handler.new_runtime)


def _call() -> Call:
    return Call("GET", "/", "host\0x", None, "1-1")


def test_first_only_builds_one_runtime_and_serves():
    pool = _pool(4)
    pool.start(first_only=True)
    try:
        assert len(pool.slots) == 1
        assert pool.run_blocking(_call()).status == 200
    finally:
        pool.close()


def test_warm_builds_the_rest_and_every_runtime_serves():
    pool = _pool(3)
    pool.start(first_only=True)
    try:
        pool.warm()
        pool.warm()  # idempotent
        assert len(pool.slots) == 3
        for slot in pool.slots:
            slot.ready.wait(30)
        # three requests at once: each needs its own runtime (a fresh one counts n = 1)
        with concurrent.futures.ThreadPoolExecutor(3) as threads:
            bodies = list(threads.map(lambda _: pool.run_blocking(_call()).body, range(3)))
        assert len(bodies) == 3 and all(b.startswith(b'{"n":') for b in bodies)
    finally:
        pool.close()


def test_a_waiting_request_starts_the_warm_up():
    pool = _pool(2)
    pool.start(first_only=True)
    try:
        slot = pool.acquire_blocking()  # the only runtime is busy...
        assert pool.acquire_blocking() is not slot  # ...so this wait builds the second
        assert len(pool.slots) == 2
    finally:
        pool.close()
