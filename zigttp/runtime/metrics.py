"""Pool counters and the seed's metrics line.

    Pool metrics: in_use=2/8 exhausted=0 avg_wait_us=3 max_wait_us=20 avg_exec_us=120 max_exec_us=500

Counters are updated from slot threads without a lock: they are statistics, and a rare lost
update is cheaper than a lock on every request.
"""

from __future__ import annotations


class PoolMetrics:
    def __init__(self, size: int) -> None:
        self.size = size
        self.in_use = 0
        self.exhausted = 0
        self.acquisitions = 0
        self.wait_total = 0.0
        self.wait_max = 0.0
        self.executions = 0
        self.exec_total = 0.0
        self.exec_max = 0.0
        self.inline_executions = 0  # of `executions`, on the event-loop thread (runtime.lanes)

    def record_wait(self, seconds: float) -> None:
        self.acquisitions += 1
        self.wait_total += seconds
        if seconds > self.wait_max:
            self.wait_max = seconds

    def record_exec(self, seconds: float) -> None:
        self.record_execs(1, seconds, seconds)

    def record_execs(self, count: int, total: float, longest: float, *, inline: bool = False) -> None:
        """`count` executions taking `total` seconds, the longest `longest` (the C lane reports
        a batch in one call)."""
        self.executions += count
        self.exec_total += total
        if longest > self.exec_max:
            self.exec_max = longest
        if inline:
            self.inline_executions += count

    def line(self) -> str:
        avg_wait = self.wait_total / self.acquisitions if self.acquisitions else 0.0
        avg_exec = self.exec_total / self.executions if self.executions else 0.0
        return (
            f"Pool metrics: in_use={self.in_use}/{self.size} exhausted={self.exhausted} "
            f"avg_wait_us={avg_wait * 1e6:.0f} max_wait_us={self.wait_max * 1e6:.0f} "
            f"avg_exec_us={avg_exec * 1e6:.0f} max_exec_us={self.exec_max * 1e6:.0f}"
        )
