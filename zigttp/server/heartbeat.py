"""The worker side of the watchdog: a heartbeat in memory the supervisor shares with its forks.

Why: a worker whose loop thread is stuck in code that neither returns to the event loop nor
polls the engine's deadline (a builtin looping in C, a host function that blocks) cannot report
it, and it does not handle SIGTERM either (the event loop handles signals). So every worker
owns one cell of a `Board`, an anonymous shared mapping the supervisor creates before it forks,
and a timer on the worker's own event loop stores the time there every `TICK` seconds: the
store happens only when the loop turns, which is exactly what the supervisor needs to know
(`watchdog.py` reads the cells). Nothing is written per request, and no syscall is made:
CLOCK_MONOTONIC is read through the vDSO and is one clock for every process on the host.

A cell is two doubles: the last beat (0 = not serving yet, never judged) and the start of the
oldest handler call still running on a runtime thread (0 = none), for a runaway on a slot
thread, which leaves the loop turning but holds its runtime and a CPU core for good.
"""

from __future__ import annotations

import mmap
import sys
import time

from zigttp.lean_threads import start_daemon

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable

    from zigttp.runtime.pool import RuntimePool

TICK = 0.25  # seconds between beats; far below the smallest limit (--timeout > 0, plus 1 s)
clock = time.perf_counter  # CLOCK_MONOTONIC on Linux, as the pool's `Slot.busy_since`


class Board:
    """Heartbeat cells of workers 1..N, shared with every process forked after it was made."""

    def __init__(self, workers: int) -> None:
        self._map = mmap.mmap(-1, 16 * (workers + 1))  # MAP_SHARED | MAP_ANONYMOUS
        self._cells = memoryview(self._map).cast("d")

    def clear(self, index: int) -> None:
        """Before (re)starting worker `index`: unjudged until its pool is warm and it beats."""
        self._cells[2 * index] = 0.0
        self._cells[2 * index + 1] = 0.0

    def read(self, index: int) -> tuple[float, float]:
        """(last beat, oldest busy runtime thread since) of worker `index`; 0.0 = none."""
        return self._cells[2 * index], self._cells[2 * index + 1]

    def heartbeat(self, index: int) -> Heartbeat:
        return Heartbeat(self._cells, 2 * index)


class Heartbeat:
    """What a worker writes into its cell."""

    def __init__(self, cells: memoryview, at: int) -> None:
        self._cells = cells
        self._at = at

    def beat(self, busy_since: float) -> None:
        self._cells[self._at + 1] = busy_since
        self._cells[self._at] = clock()

    def start(self, pool: Callable[[], RuntimePool]) -> None:
        """Called on the serving thread once it serves: a timer on its event loop (the loop
        backend), else a daemon thread (the threaded backend has no loop to freeze; its beat
        still stops when the interpreter is held, and it reports runaway runtime threads)."""
        asyncio = sys.modules.get("asyncio")  # not imported: no loop runs (the fast start)
        try:
            if asyncio is None:
                raise RuntimeError("no event loop")
            loop = asyncio.get_running_loop()
        except RuntimeError:
            start_daemon(lambda: self._beat_forever(pool), "zigttp-heartbeat")
            return

        def tick() -> None:
            self.beat(pool().oldest_busy())
            loop.call_later(TICK, tick)

        tick()

    def _beat_forever(self, pool: Callable[[], RuntimePool]) -> None:
        while True:
            self.beat(pool().oldest_busy())
            time.sleep(TICK)
