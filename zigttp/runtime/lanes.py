"""Where a request's JS runs: inline on the event-loop thread, or on a pool thread.

Why two lanes: handing a request to another thread costs two wake-ups and a GIL hand-over
(measured ~100 µs and a ceiling near 8k calls/s), while the JS of a typical handler takes
~10 µs. So a handler that has *proven* fast runs inline on the loop thread, and everything
else runs on the slot threads, where a slow handler cannot stall other connections.

The inline runtime is one extra runtime next to the pool's N threaded ones.
The policy, in order:
* inline is off for `--isolation request`, for pools of one runtime, and until the handler has
  completed `PROBATION` requests on threads, all within `BUDGET`;
* a path whose inline runs exceed `BUDGET` `STRIKES` times is demoted to threads for good
  (bounded table). Strikes are sticky: fast runs in between do not forgive them (they used to,
  so a path alternating fast and slow requests stayed inline forever). Wall time is measured
  (a thread-CPU clock read costs a syscall on the hot path); the strikes absorb the odd run
  that was merely preempted by the OS, and one run over `SEVERE` demotes at once;
* after `MAX_DEMOTIONS` demotions the inline lane is switched off for the whole process;
* a run over `BUDGET` sets `yield_turn`: the loop backend runs no further inline request in
  that loop iteration, so the loop turns (answers, timers, the watchdog's heartbeat) after
  every slow run: slow runs of many paths in one batch never add up to a stall the watchdog
  would take for a freeze.

The trade-off, bounded: while an inline run lasts, the worker's other connections wait. So an
inline run is interrupted at `INLINE_BOUND` (not `--timeout`), and its path is demoted. If it
called no module with effects (`ModuleSpec.effects`) it left nothing behind but its own runtime,
which is replaced, so the request is run again on the pool threads with the full `--timeout`
(its console lines up to the interruption appear twice). Otherwise it is not repeated (a cache
write or rate-limit count must not happen twice) and is answered 500 `InlineBoundExceeded`,
naming the cause. One path thus stalls the loop at most once, for at most `INLINE_BOUND`, and
the whole process at most `MAX_DEMOTIONS` times.
"""

from __future__ import annotations

BUDGET = 0.002  # seconds of JS an inline run may take before it counts as a strike
SEVERE = 0.02  # an inline run this slow demotes its path at once: no preemption costs 10 budgets
INLINE_BOUND = 0.1  # seconds an inline run may last before it is interrupted (see module doc)
PROBATION = 32  # fast thread runs required before inline is tried
STRIKES = 3
MAX_DEMOTIONS = 64
MAX_TRACKED = 4096


class LanePolicy:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.proven = 0  # consecutive fast runs on threads so far
        self.demoted: set[str] = set()
        self.strikes: dict[str, int] = {}
        self.yield_turn = False  # set by a slow inline run; the loop backend clears it
        self.judging = True  # False while the supervisor answers first requests (a cold run)

    def inline_allowed(self, url: str) -> bool:
        if not self.enabled or self.proven < PROBATION:
            return False
        return not self.demoted or url.partition("?")[0] not in self.demoted

    def record_thread_run(self, seconds: float) -> None:
        if self.proven < PROBATION:
            self.proven = self.proven + 1 if seconds <= BUDGET else 0

    def record_inline_run(self, url: str, seconds: float) -> None:
        if seconds <= BUDGET or not self.judging:
            return  # (a fast run forgives no earlier strike)
        self.yield_turn = True
        path = url.partition("?")[0]
        strikes = self.strikes.get(path, 0) + 1
        if seconds < SEVERE and strikes < STRIKES and len(self.strikes) < MAX_TRACKED:
            self.strikes[path] = strikes
            return
        self.demote(path)

    def demote(self, url: str) -> None:
        """Send this path to the pool threads for good (e.g. its run outlasted INLINE_BOUND)."""
        path = url.partition("?")[0]
        self.strikes.pop(path, None)
        if len(self.demoted) < MAX_TRACKED:
            self.demoted.add(path)
        if len(self.demoted) >= MAX_DEMOTIONS:
            self.enabled = False
