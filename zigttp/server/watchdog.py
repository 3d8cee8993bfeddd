"""The supervisor side of the watchdog: replace a worker that stopped turning its event loop.

The engine stops every handler at its `--timeout` deadline; this is the last line for what it
cannot stop (a builtin looping in C without polling, a host function that never returns). A
worker whose heartbeat (`heartbeat.py`) is older than `--timeout` + 1 s, or that has had one
call running on a runtime thread for that long, is frozen: its in-flight requests cannot finish
and it would not even handle SIGTERM. The watchdog says so loudly on stderr (which worker, how
long, why, and the Python stack of every thread in it), sends SIGTERM in case it recovers, and
SIGKILL after `GRACE`; the supervisor then starts a replacement. Other workers keep serving.
The same kill ends the shutdown of a worker that has not exited by the drain deadline.
"""

from __future__ import annotations

import _signal as signal  # (signal.py without its IntEnums: zigttp/server/sockets.py says why)
import faulthandler
import os
import sys

from zigttp.lean import suppress
from zigttp.server.heartbeat import Board

GRACE = 1.0  # seconds between the SIGTERM and the SIGKILL of a frozen worker
MARGIN = 1.0  # seconds past --timeout before a worker counts as frozen
STACKS_SIGNAL = signal.SIGUSR1  # a worker dumps every thread's stack on it (faulthandler)


def dump_stacks_on_signal() -> None:
    """In a worker: print every thread's Python stack to stderr on `STACKS_SIGNAL`. The
    dump runs in the C signal handler, so it works while the loop thread is stuck."""
    faulthandler.register(STACKS_SIGNAL, file=sys.stderr, all_threads=True)


class Watchdog:
    def __init__(self, board: Board, timeout: float, workers: int) -> None:
        self.board = board
        self.others = (
            "the other workers keep serving"
            if workers > 1
            else "requests wait for the replacement's warm pool"
        )
        self.timeout = timeout
        self.limit = timeout + MARGIN
        self._kill_at: dict[int, float] = {}  # pid -> when SIGKILL follows the SIGTERM

    def frozen(self, index: int, now: float) -> str | None:
        """Why worker `index` counts as frozen, or None while it is healthy or warming up."""
        beat, busy = self.board.read(index)
        if beat and now - beat > self.limit:
            return (
                f"its event loop has not turned for {now - beat:.1f} s: a request it runs "
                "holds the loop thread past the engine's deadline"
            )
        if busy and now - busy > self.limit:
            return (
                f"a handler call has run for {now - busy:.1f} s on a runtime thread, past "
                "the engine's deadline"
            )
        return None

    def sweep(self, children: dict[int, int], now: float) -> None:
        """Judge every serving worker; SIGKILL the condemned ones whose grace is over."""
        for pid, index in list(children.items()):
            kill_at = self._kill_at.get(pid)
            if kill_at is not None:
                if now >= kill_at:
                    _signal(pid, signal.SIGKILL)
                continue
            reason = self.frozen(index, now)
            if reason is not None:
                self._condemn(pid, index, reason, now)

    def _condemn(self, pid: int, index: int, reason: str, now: float) -> None:
        sys.stderr.write(
            f"zigttp: WATCHDOG: worker {index} (pid {pid}) is frozen: {reason} "
            f"(limit: --timeout {self.timeout:g} s + {MARGIN:g} s). Its thread stacks follow; "
            f"it is killed (SIGTERM, SIGKILL after {GRACE:g} s) and replaced; {self.others}.\n"
        )
        sys.stderr.flush()
        _signal(pid, STACKS_SIGNAL)
        _signal(pid, signal.SIGTERM)
        self._kill_at[pid] = now + GRACE

    def kill_stragglers(self, children: dict[int, int], drain_timeout: float) -> None:
        """At the drain deadline of a shutdown: SIGKILL every worker still there, loudly."""
        for pid, index in list(children.items()):
            if pid in self._kill_at:
                continue  # already condemned: `sweep` kills it when its grace is over
            sys.stderr.write(
                f"zigttp: worker {index} (pid {pid}) did not exit within the "
                f"drain timeout ({drain_timeout:g} s + {GRACE:g} s) after SIGTERM; "
                "killing it (SIGKILL)\n"
            )
            _signal(pid, signal.SIGKILL)
            self._kill_at[pid] = 0.0

    def killed(self, pid: int) -> bool:
        """Forget a reaped worker; True when the watchdog had condemned it."""
        return self._kill_at.pop(pid, None) is not None


def _signal(pid: int, signum: int) -> None:
    with suppress(ProcessLookupError):  # exited meanwhile; the supervisor reaps it
        os.kill(pid, signum)
