"""Host tasks: work a runtime's request hands to a host thread (an outbound `fetch()`), so
the request's event loop goes on (timers, other fetches, an AbortSignal) while it runs.

One `TaskSet` per runtime (in its `HostState`, made on the first task). A task runs on the
process's small thread pool; when it finishes, its result joins the set's `done` list and one
byte goes down the set's pipe, whose read end the runtime's loop watches while it sleeps
(`Runtime.watch`, native/engine/runtime.c), so the JS waiting for it runs at once. The JS side
(runtime/js/web/10-timers.js, `hooks.hostTask`) collects results with `task.done` on each
loop turn while a task is pending, and cancels what is left when the request ends
(`task.cancel`): a cancelled outbound call has its socket shut down, so its thread stops.

A finished worker holds the set (and so its pipe) until it has written, so a descriptor is
never written after it is closed; the pipe closes when the runtime and its last task are gone.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Callable
from typing import Any

from zigttp.web import HostState, NativeError, native

MAX_IN_FLIGHT = 32  # per runtime: a request cannot tie up the whole pool
POOL_THREADS = 16  # per process: outbound calls wait on the network, not the CPU

_pool: Any = None
_pool_lock = threading.Lock()


def _executor() -> Any:
    global _pool
    with _pool_lock:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor  # first fetch only: ~2 ms to import

            _pool = ThreadPoolExecutor(POOL_THREADS, thread_name_prefix="zigttp-task")
        return _pool


class Cancel:
    """Lets the runtime's thread stop a task running on another: `cancel()` sets the flag and
    calls what the task attached (an outbound call shuts its socket down)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stop: Callable[[], None] | None = None
        self.cancelled = False

    def attach(self, stop: Callable[[], None]) -> bool:
        """Register how to stop the work; False when it was already cancelled."""
        with self._lock:
            self._stop = stop
            return not self.cancelled

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            stop = self._stop
        if stop is not None:
            stop()


class TaskSet:
    """One runtime's tasks in flight and finished, by integer id."""

    def __init__(self, watch: Callable[[int], None]) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        weakref.finalize(self, _close_pipe, self._read, self._write)
        self._lock = threading.Lock()
        self._running: dict[int, Cancel] = {}
        self._done: list[list[Any]] = []
        self._next = 1
        watch(self._read)

    def start(self, work: Callable[[Cancel], Any]) -> int:
        if len(self._running) >= MAX_IN_FLIGHT:
            raise NativeError(
                "TypeError", f"more than {MAX_IN_FLIGHT} outbound calls in flight in one runtime"
            )
        task, self._next = self._next, self._next + 1
        cancel = Cancel()
        self._running[task] = cancel
        _executor().submit(self._run, task, work, cancel)
        return task

    def _run(self, task: int, work: Callable[[Cancel], Any], cancel: Cancel) -> None:
        try:
            outcome = [task, True, work(cancel)]
        except NativeError as exc:
            outcome = [task, False, [exc.js_type, exc.message]]
        except Exception as exc:  # a zigttp bug: loud in the log, an error (not a hang) in JS
            import traceback

            traceback.print_exc()
            outcome = [task, False, ["Error", f"internal error in a host task: {type(exc).__name__}"]]
        with self._lock:
            if task not in self._running:
                return  # cancelled: nobody waits for it
            self._done.append(outcome)
        with contextlib.suppress(BlockingIOError):  # a full pipe: the loop is awake anyway
            os.write(self._write, b"!")

    def collect(self) -> list[list[Any]]:
        """The tasks finished since the last call: [[id, ok, value or [errorName, message]]...]."""
        with self._lock:
            done, self._done = self._done, []
            for outcome in done:
                self._running.pop(outcome[0], None)
        return done

    def cancel(self, tasks: list[int]) -> None:
        for task in tasks:
            with self._lock:
                cancel = self._running.pop(task, None)
            if cancel is not None:
                cancel.cancel()


def _close_pipe(*fds: int) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def task_set(state: HostState) -> TaskSet:
    """The runtime's TaskSet, made (and its pipe watched by the loop) on first use."""
    tasks = state.tasks
    if tasks is None:
        if state.watch is None:
            raise NativeError("TypeError", "host tasks need a runtime that runs requests")
        tasks = state.tasks = TaskSet(state.watch)
    return tasks  # type: ignore[no-any-return]


@native("task.done", stateful=True)
def done(state: HostState) -> list[list[Any]]:
    return [] if state.tasks is None else state.tasks.collect()


@native("task.cancel", stateful=True)
def cancel(state: HostState, tasks: list[int]) -> None:
    if state.tasks is not None:
        state.tasks.cancel([int(task) for task in tasks])
