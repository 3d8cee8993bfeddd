"""The runtime pool: N pre-warmed JS runtimes, each pinned to its own thread.

Why threads: quickjs-ng releases the GIL while JS runs, so slots run handlers in parallel, and a
slow handler never blocks the event loop. Why one thread per slot: a quickjs context crashes if
touched from a second thread (../shared/style.md, engine fact 1).

A request checks out an idle slot (waiting at most `pool_wait_timeout_ms`, else PoolExhausted →
503), the slot's thread runs the handler and delivers the outcome, then the slot returns itself
to the pool. A slot whose runtime faulted in a way that leaves it unusable (memory, stack,
timeout), or every slot under `--isolation request`, rebuilds its runtime before it is idle
again, so the next request always meets a healthy runtime.
"""

from __future__ import annotations

import sys
import time
from _collections import deque  # (collections.deque itself, without the package's import)
from _queue import SimpleQueue  # (queue.SimpleQueue itself; `queue` imports heapq & co.)
from time import perf_counter, thread_time

from zigttp import deadline, errors
from zigttp.lean import suppress
from zigttp.lean_threads import Event, Lock, start_daemon, take_name
from zigttp.log import bind_request
from zigttp.runtime.engine import JsRuntime
from zigttp.runtime.lanes import BUDGET, INLINE_BOUND, LanePolicy
from zigttp.runtime.marshal import HandlerResponse
from zigttp.runtime.metrics import PoolMetrics

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:  # asyncio (and ssl with it) is imported by the event-loop paths only: the
    import asyncio  # threaded backend, `zigttp lambda` and embedding start without it
    from collections.abc import Callable

    RuntimeFactory = Callable[["Slot"], JsRuntime]

Outcome = HandlerResponse | errors.HandlerError
SLOT_THREAD_STACK = 32 * 1024 * 1024  # room for the JS stack budget plus the interpreter
REBUILD_FIRST_DELAY = 0.05  # seconds before a failed runtime rebuild is retried (doubling)
REBUILD_MAX_DELAY = 5.0


class Call:
    """One handler invocation, as the slot thread sees it (a plain class: one per request)."""

    __slots__ = ("body", "headers_wire", "method", "origin", "request_id", "url")

    def __init__(
        self, method: str, url: str, headers_wire: str, body: bytes | None, request_id: str, origin: str = ""
    ) -> None:
        self.method = method
        self.url = url
        self.headers_wire = headers_wire
        self.body = body
        self.request_id = request_id
        self.origin = origin  # "http://host:port" of the listening socket (a `{ fetch }` request's URL)


def _print_exception(headline: str) -> None:
    """`headline`, then the exception being handled (traceback: imported only on a failure)."""
    import traceback

    sys.stderr.write(headline)
    traceback.print_exc()


class Slot:
    """One runtime and the thread that owns it."""

    def __init__(self, pool: RuntimePool, index: int, on_ready: Callable[[Slot], None] | None = None) -> None:
        self.pool = pool
        self.index = index
        self._on_ready = on_ready
        self.request_id = "-"
        self.busy_since = 0.0  # perf_counter (CLOCK_MONOTONIC) of the call running now; 0 = idle
        self.runtime: JsRuntime | None = None
        self.startup_error: BaseException | None = None
        self.ready = Event()
        self._inbox: SimpleQueue[tuple[Call, Callable[[Outcome], None]] | None] = SimpleQueue()
        self.name = f"zigttp-slot-{index}"
        start_daemon(self._serve, self.name, SLOT_THREAD_STACK)

    def submit(self, call: Call, deliver: Callable[[Outcome], None]) -> None:
        self._inbox.put((call, deliver))

    def stop(self) -> None:
        self._inbox.put(None)

    def _serve(self) -> None:
        try:
            self.runtime = self.pool.factory(self)
        except BaseException as exc:  # reported by RuntimePool.start
            self.startup_error = exc
        self.ready.set()
        if self._on_ready is not None:
            self._on_ready(self)
        if self.startup_error is not None:
            return
        named = take_name(self.name)  # (started before `threading` was imported: lean_threads)
        while (item := self._inbox.get()) is not None:
            call, deliver = item
            if not named:
                named = take_name(self.name)
            outcome = self._execute(call)
            deliver(outcome)
            healthy = True
            if outcome.__class__ is HandlerResponse and outcome.stream is not None:
                healthy = outcome.stream.serve()  # type: ignore[attr-defined]  # (runtime.streams)
            if not healthy or self._must_rebuild(outcome) or not self._settle_leftovers():
                self._rebuild()
            self.pool.release(self)
        self.runtime = None

    def _execute(self, call: Call) -> Outcome:
        self.request_id = call.request_id
        bind_request(call.request_id)
        started = self.busy_since = time.perf_counter()
        cpu_started = time.thread_time()
        try:
            assert self.runtime is not None
            deadline.begin(self.runtime.limits.timeout)
            return self.runtime.dispatch(call.method, call.url, call.headers_wire, call.body, call.origin)
        except errors.HandlerError as exc:
            return exc
        except Exception:  # a bug in zigttp itself: loud, but only this request fails
            _print_exception(f"zigttp: internal error in slot {self.index}:\n")
            return errors.HandlerError("Internal Server Error")
        finally:
            self.pool.metrics.record_exec(time.perf_counter() - started)
            # CPU time of this thread: wall time would count waits for the GIL.
            self.pool.lanes.record_thread_run(time.thread_time() - cpu_started)
            self.request_id = "-"
            self.busy_since = 0.0
            bind_request(None)
            deadline.end()

    def _settle_leftovers(self) -> bool:
        """Jobs the request left run now, after its answer and before the next request."""
        self.request_id = "-"
        try:
            return self.runtime is not None and self.runtime.settle_leftovers()
        except Exception:  # a bug in zigttp itself: loud; the runtime is replaced
            _print_exception(f"zigttp: internal error in slot {self.index} between requests:\n")
            return False

    def _must_rebuild(self, outcome: Outcome) -> bool:
        if self.pool.fresh_per_request or (self.runtime is not None and self.runtime.tainted):
            return True
        return isinstance(outcome, errors.HandlerError) and outcome.replace_context

    def _rebuild(self) -> None:
        """A fresh runtime before this slot is idle again. A failed build (e.g. the host is out
        of memory) is retried with backoff: the slot stays, and so does the pool's size."""
        self.runtime = None  # drop the old runtime on this thread before building the next
        delay = REBUILD_FIRST_DELAY
        while True:
            try:
                self.runtime = self.pool.factory(self)
                return
            except BaseException:
                _print_exception(
                    f"zigttp: slot {self.index} could not rebuild its runtime (retrying in {delay:g}s):\n"
                )
            time.sleep(delay)
            delay = min(delay * 2, REBUILD_MAX_DELAY)


class InlineSlot:
    """The runtime owned by the event-loop thread (see `lanes`): no thread of its own.

    Its runtime's requests are bounded by `lanes.INLINE_BOUND` (`time_bound`, read by the
    runtime factory), and it counts the calls to modules with effects (`note_effect`) so an
    interrupted run knows whether it may be repeated on the pool threads."""

    index = -2
    time_bound = INLINE_BOUND

    def __init__(self, pool: RuntimePool) -> None:
        self.pool = pool
        self.request_id = "-"
        self.effects = 0
        self.runtime: JsRuntime = pool.factory(self)  # type: ignore[arg-type]

    def note_effect(self) -> None:
        self.effects += 1

    def run(
        self, method: str, url: str, headers_wire: str, body: bytes | None, request_id: str, origin: str = ""
    ) -> HandlerResponse:
        """One request on the loop thread: the request's parts, not a `Call` (hot path)."""
        runtime = self.runtime
        self.request_id = request_id
        binds = runtime.has_modules  # only host modules read the bound id (zigttp:log)
        if binds:
            bind_request(request_id)
            deadline.begin(runtime.limits.timeout)
        started = perf_counter()
        cpu_started = thread_time()
        effects = self.effects
        try:
            response = runtime.dispatch(method, url, headers_wire, body, origin)
            if response.stream is not None:  # a stream is pulled on a slot thread, never here
                runtime.pull(cancel=True)
                self.pool.lanes.demote(url)
                raise _bound_exceeded(runtime.timeout, retry=self.effects == effects)
            return response
        except errors.HandlerError as exc:
            outcome = self.fault(exc, runtime, url, effects)
            if outcome is exc:
                raise
            raise outcome from None
        except Exception:  # a bug in zigttp itself: loud, but only this request fails
            _print_exception("zigttp: internal error in the inline runtime:\n")
            self.replace()
            raise errors.HandlerError("Internal Server Error") from None
        finally:
            elapsed = perf_counter() - started
            self.settle(runtime)
            pool = self.pool
            metrics = pool.metrics
            metrics.record_exec(elapsed)
            metrics.inline_executions += 1
            # CPU time of the loop thread: wall time would count preemption by other processes
            # (a loaded host would demote every path), which no handler causes.
            cpu = thread_time() - cpu_started
            if cpu > BUDGET:  # (a fast run changes nothing in the lane policy: no call)
                pool.lanes.record_inline_run(url, cpu)
            self.request_id = "-"
            if binds:
                bind_request(None)
                deadline.end()

    def fault(
        self, exc: errors.HandlerError, runtime: JsRuntime, url: str, effects: int
    ) -> errors.HandlerError:
        """What a fault of an inline run becomes (also for the C lane's runs, server/lane.py):
        the runtime replaced if the fault spoiled it; a run interrupted at the inline bound
        demotes its path and is repeated on the threads if it had no effects."""
        if exc.replace_context:
            self.replace()
        if isinstance(exc, errors.TimeLimitExceeded) and runtime.timeout < runtime.limits.timeout:
            # Demoted however the clock measured it, so the repeat runs on the threads.
            self.pool.lanes.demote(url)
            return _bound_exceeded(runtime.timeout, retry=self.effects == effects)
        return exc

    def settle(self, runtime: JsRuntime) -> None:
        """Between requests: what the last one left runs now, or the runtime is replaced."""
        if self.runtime is runtime and not runtime.settle_leftovers():
            self.replace()

    def replace(self) -> None:
        self.runtime = self.pool.factory(self)  # type: ignore[arg-type]


def _bound_exceeded(bound: float, *, retry: bool) -> errors.InlineBoundExceeded:
    if retry:
        return errors.InlineBoundExceeded("inline run interrupted; retried on the pool threads", retry=True)
    return errors.InlineBoundExceeded(
        f"handler exceeded the {bound * 1000:g} ms bound of requests run on the event-loop "
        "thread, after calling a module with effects, so it was not run again; this path has "
        "proven slow and now runs on the pool threads with the full --timeout",
        retry=False,
    )


class _Waiter:
    """A request waiting for a slot: either an asyncio future or a thread event."""

    __slots__ = ("event", "future", "loop", "slot")

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop
        self.future: asyncio.Future[Slot] | None = loop.create_future() if loop else None
        self.event = None if loop else Event()
        self.slot: Slot | None = None


class RuntimePool:
    def __init__(
        self,
        size: int,
        factory: RuntimeFactory,
        *,
        wait_timeout_ms: int = 5000,
        fresh_per_request: bool = False,
        inline_lane: bool = False,
        blocking_modules: bool = False,
    ) -> None:
        self.size = size
        self.factory = factory
        self.wait_timeout = wait_timeout_ms / 1000
        self.fresh_per_request = fresh_per_request
        self.blocking_modules = blocking_modules
        self.metrics = PoolMetrics(size)
        use_inline = inline_lane and size >= 2 and not fresh_per_request
        self.lanes = LanePolicy(enabled=use_inline)
        self.inline: InlineSlot | None = None
        self._lock = Lock()
        self._idle: deque[Slot] = deque()
        self._waiters: deque[_Waiter] = deque()
        self.slots: list[Slot] = []
        self._starting = 0  # slots started so far (see `warm`)
        self._closed = False

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self, *, first_only: bool = False, inline_only: bool = False) -> None:
        """Build the runtimes in parallel; raise the first startup error (e.g. a SourceError).

        With the inline lane, one more runtime belongs to the event-loop thread: it is built
        there once the handler has passed its probation (`inline_allowed`), not here, so a cold
        start waits for one runtime (the first requests run on the slots anyway). `first_only`:
        build one slot now and the others on `warm()` (a server warms them once its first
        request is answered, so a cold start waits for one runtime, not N); a request meanwhile
        waits for that one slot. `inline_only`: no slot (and no thread) now, only the inline
        runtime, built on this thread: the supervisor answers the first requests with it and
        then forks (`server.supervisor`); the forked worker builds the slots (`warm()`).
        """
        if inline_only:
            self._starting = 0
            self.inline = InlineSlot(self)
            return
        self._starting = self.size if not first_only else min(1, self.size)
        self.slots = [Slot(self, index) for index in range(self._starting)]
        for slot in self.slots:
            slot.ready.wait()
        failed = next((s.startup_error for s in self.slots if s.startup_error), None)
        if failed is not None:
            self.close()
            raise failed
        self._idle.extend(self.slots)

    def warm(self, after: float = 0.0) -> None:
        """Build the slots `start(first_only=True)` left out, in the background: each joins the
        idle set (or takes a waiting request) once its runtime is ready. Idempotent. `after`:
        start `after` seconds from now (so the first answer is written before the builds
        compete with it for the GIL)."""
        if after > 0:
            if self._starting < self.size:
                start_daemon(lambda: (time.sleep(after), self.warm()), "zigttp-warm")
            return
        with self._lock:
            if self._starting >= self.size or self._closed:
                return
            indices = range(self._starting, self.size)
            self._starting = self.size
            fresh = [Slot(self, index, on_ready=self._joined) for index in indices]
            self.slots.extend(fresh)

    def _joined(self, slot: Slot) -> None:
        """A slot built by `warm()` is ready (on its thread); a failed one is reported and left
        out: the pool serves with the runtimes it has (the first one loaded the same code)."""
        if slot.startup_error is not None:
            sys.stderr.write(f"zigttp: runtime {slot.index} failed to start: {slot.startup_error}\n")
            return
        with self._lock:
            self.metrics.in_use += 1  # `release` hands it to a waiter or the idle set
        self.release(slot)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            slots = list(self.slots)
        for slot in slots:
            slot.stop()

    def oldest_busy(self) -> float:
        """When the longest-running call on a runtime thread started (0.0 = none), for the
        watchdog (server.heartbeat). Always 0.0 with modules that block by design (zigttp:fetch,
        zigttp:sql wait on I/O with their own timeouts, beyond the engine's deadline)."""
        if self.blocking_modules:
            return 0.0
        return min((slot.busy_since for slot in self.slots if slot.busy_since), default=0.0)

    # -- checkout ------------------------------------------------------------------------------
    def release(self, slot: Slot) -> None:
        """Called on the slot's thread when it is ready for the next request."""
        with self._lock:
            self.metrics.in_use -= 1
            while self._waiters:
                waiter = self._waiters.popleft()
                if self._hand_over(waiter, slot):
                    self.metrics.in_use += 1
                    return
            self._idle.append(slot)

    def _hand_over(self, waiter: _Waiter, slot: Slot) -> bool:
        if waiter.loop is None:
            waiter.slot = slot
            assert waiter.event is not None
            waiter.event.set()
            return True
        future = waiter.future
        assert future is not None
        if future.done():
            return False
        waiter.slot = slot
        waiter.loop.call_soon_threadsafe(self._resolve_waiter, waiter, slot)
        return True

    def _resolve_waiter(self, waiter: _Waiter, slot: Slot) -> None:
        assert waiter.future is not None
        if waiter.future.done():  # timed out after the hand-over was scheduled
            self.release(slot)
        else:
            waiter.future.set_result(slot)

    def _try_checkout(self, waiter_factory: Callable[[], _Waiter]) -> Slot | _Waiter:
        with self._lock:
            if self._idle:
                self.metrics.in_use += 1
                return self._idle.pop()
            waiter = waiter_factory()
            self._waiters.append(waiter)
            cold = self._starting < self.size
        if cold:  # a request waits while runtimes are still unbuilt: build them now
            self.warm()
        return waiter

    def _exhausted(self) -> errors.PoolExhausted:
        self.metrics.exhausted += 1
        return errors.PoolExhausted("Service Unavailable: all runtimes are busy, retry shortly")

    async def acquire(self) -> Slot:
        import asyncio

        loop = asyncio.get_running_loop()
        got = self._try_checkout(lambda: _Waiter(loop))
        if isinstance(got, Slot):
            self.metrics.record_wait(0.0)
            return got
        started = time.perf_counter()
        assert got.future is not None
        try:
            slot = await asyncio.wait_for(asyncio.shield(got.future), self.wait_timeout or 0.0)
        except TimeoutError:
            self._forget(got)
            if got.future.done() and not got.future.cancelled():
                slot = got.future.result()
            else:
                got.future.cancel()
                raise self._exhausted() from None
        self.metrics.record_wait(time.perf_counter() - started)
        return slot

    def acquire_blocking(self) -> Slot:
        got = self._try_checkout(_Waiter)
        if isinstance(got, Slot):
            self.metrics.record_wait(0.0)
            return got
        started = time.perf_counter()
        assert got.event is not None
        if not got.event.wait(self.wait_timeout):
            with self._lock:
                if got.slot is None:
                    self._waiters.remove(got)
                    raise self._exhausted()
        assert got.slot is not None
        self.metrics.record_wait(time.perf_counter() - started)
        return got.slot

    def _forget(self, waiter: _Waiter) -> None:
        with self._lock, suppress(ValueError):
            self._waiters.remove(waiter)

    def inline_allowed(self, url: str) -> bool:
        """Whether this request runs on the event-loop thread (`lanes.inline_allowed`); called
        on that thread, which builds the inline runtime the first time the answer is yes (a
        runtime stays on the thread that created it)."""
        if not self.lanes.inline_allowed(url):
            return False
        if self.inline is None and not self._closed:
            try:
                self.inline = InlineSlot(self)
            except errors.ZigttpError as exc:  # (the slots built the same handler: out of memory?)
                sys.stderr.write(f"zigttp: the inline lane is off: its runtime failed to build: {exc}\n")
                self.lanes.enabled = False
                return False
        return self.inline is not None

    # -- running -------------------------------------------------------------------------------
    def run_inline(self, call: Call) -> HandlerResponse:
        """Run on the calling (event-loop) thread; only when `lanes.inline_allowed` said so."""
        assert self.inline is not None
        return self.inline.run(
            call.method, call.url, call.headers_wire, call.body, call.request_id, call.origin
        )

    async def run(self, call: Call) -> HandlerResponse:
        """Event-loop path: run one handler call on a free slot; raises HandlerError."""
        import asyncio

        slot = await self.acquire()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        slot.submit(call, lambda outcome: loop.call_soon_threadsafe(_settle, future, outcome))
        outcome = await future
        if isinstance(outcome, errors.HandlerError):
            raise outcome
        return outcome

    def run_blocking(self, call: Call) -> HandlerResponse:
        """Thread path: same as `run`, for the threaded backend and in-process embedding."""
        slot = self.acquire_blocking()
        done = Event()
        box: list[Outcome] = []

        def deliver(outcome: Outcome) -> None:
            box.append(outcome)
            done.set()

        slot.submit(call, deliver)
        done.wait()
        if isinstance(box[0], errors.HandlerError):
            raise box[0]
        return box[0]


def _settle(future: asyncio.Future[Outcome], outcome: Outcome) -> None:
    if not future.done():
        future.set_result(outcome)
