"""The running request's wall-clock deadline, per thread, for host code the JS guards cannot reach.

A handler's `--timeout` is enforced inside JS (loop ticks against `Date.now()`, prelude.js), but
while JS waits in a blocking module call (an SQLite statement, an outbound fetch) no JS runs, so
such calls bound themselves by this deadline instead. The pool binds it around each handler run
on the thread that runs it (like `log.bind_request`); outside a request (top-level code, module
unit tests) nothing is bound and callers use their own cap.
"""

from __future__ import annotations

import time

from zigttp.lean_threads import local

_local = local()


def begin(seconds: float) -> None:
    """A request starts on this thread with `seconds` to run (its `--timeout`)."""
    _local.at = time.monotonic() + seconds


def end() -> None:
    _local.at = None


def current() -> float | None:
    """The `time.monotonic()` instant the running request must finish by, or None."""
    return getattr(_local, "at", None)


def remaining(cap: float) -> float:
    """Seconds left for one call: `cap`, shortened to the request's deadline (never negative)."""
    at = current()
    if at is None:
        return cap
    return max(0.0, min(cap, at - time.monotonic()))
