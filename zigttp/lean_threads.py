"""Threads for the cold start's path, from `_thread` alone (what `threading` is built on).

Why: `import threading` brings functools, collections, types and _weakrefset: ~14.6 M
instructions of a cold start's ~100 M (bench/README.md, session 6), and the first answer only
starts a few daemon threads (a pool slot, the parent watch, the heartbeat) and waits on a few
events. So:

* `Event` is `threading.Event` (set, clear, is_set, wait with a timeout);
* `start_daemon(target, name)` runs `target()` on a new daemon thread (`stack_size`: its
  stack, as `threading.stack_size` sets it); an exception it lets out is printed with the
  thread's name, as `threading.excepthook` prints it. Once `threading` is imported, the
  thread is known there by its name (`take_name`: a module's or a log line's
  `threading.current_thread().name`), from its start or, if it started before, from its
  next `take_name`;
* `Lock` and `local` are `threading.Lock` and `threading.local` (the same C types).

* `hold()` queues the threads asked for from then on instead of starting them, and
  `release(start)` starts (or drops) what was queued: the supervisor answers a cold start's
  first requests itself and then forks (`server.supervisor`); a process may fork only while
  it runs no thread but the forking one, and what was asked for belongs to the forked worker.

What `threading` keeps doing: Thread objects with join(), Timer, enumerate(). Like
`threading`'s daemon threads, these are not waited for at exit.

`threading` takes the thread that imports it first for the main thread, and uvloop asks it
whether it may install signal handlers. So the fast start imports it on the main thread once
it has answered (`import_threading_here`, before it starts its importer thread); if a pool
thread imported it sooner (a host module's call can), the main thread's record is rebuilt
as `threading` builds it at import.
"""

from __future__ import annotations

import _thread
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

Lock = _thread.allocate_lock
local = _thread._local
_held: list[tuple[Callable[[], object], str, int]] | None = None  # `hold`: the queued threads


class Event:
    """`threading.Event`: a flag that threads wait on until another sets it."""

    __slots__ = ("_flag", "_lock", "_waiters")

    def __init__(self) -> None:
        self._flag = False
        self._lock = _thread.allocate_lock()
        self._waiters: list[_thread.LockType] = []  # each held until set() releases it

    def is_set(self) -> bool:
        return self._flag

    def set(self) -> None:
        with self._lock:
            self._flag = True
            waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter.release()

    def clear(self) -> None:
        with self._lock:
            self._flag = False

    def wait(self, timeout: float | None = None) -> bool:
        with self._lock:
            if self._flag:
                return True
            waiter = _thread.allocate_lock()
            waiter.acquire()
            self._waiters.append(waiter)
        if waiter.acquire(True, -1 if timeout is None else max(timeout, 0.0)):
            return True
        with self._lock:  # timed out, unless set() released it meanwhile
            if waiter in self._waiters:
                self._waiters.remove(waiter)
                return False
        return True


def import_threading_here() -> None:
    """Import `threading` on this thread, the main one, and make sure it knows it as such."""
    import threading

    if threading.main_thread().ident != _thread.get_ident():  # a pool thread imported it
        threading._main_thread = threading._MainThread()  # type: ignore[attr-defined]  # (what its import does)


def take_name(name: str) -> bool:
    """Give this thread its name in `threading`, if it is imported yet (False: not yet)."""
    threading = sys.modules.get("threading")
    if threading is None or getattr(threading.__spec__, "_initializing", False):
        return False  # (not imported, or being imported by another thread right now)
    threading.current_thread().name = name
    return True


def start_daemon(target: Callable[[], object], name: str, stack_size: int = 0) -> None:
    """Run `target()` on a new daemon thread named `name` (in its error report); while
    `hold()` is on, queue it for `release`."""
    if _held is not None:
        _held.append((target, name, stack_size))
        return

    def run() -> None:
        take_name(name)
        try:
            target()
        except SystemExit:
            pass
        except BaseException as exc:  # what threading.excepthook prints, then the thread ends
            import traceback

            sys.stderr.write(f"Exception in thread {name}:\n")
            traceback.print_exception(exc)

    if not stack_size:
        _thread.start_new_thread(run, ())
        return
    previous = _thread.stack_size(stack_size)
    try:
        _thread.start_new_thread(run, ())
    finally:
        _thread.stack_size(previous)


def hold() -> None:
    """From now on `start_daemon` queues its threads (see the module doc)."""
    global _held
    if _held is None:
        _held = []


def release(*, start: bool) -> None:
    """End `hold`: start the queued threads in order, or (`start=False`) drop them."""
    global _held
    queued, _held = _held or [], None
    if start:
        for target, name, stack_size in queued:
            start_daemon(target, name, stack_size)
