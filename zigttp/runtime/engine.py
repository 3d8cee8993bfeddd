"""The only module that imports quickjs: one isolated JS runtime and its typed faults.

A `JsRuntime` wraps one quickjs-ng `Context`. quickjs contexts crash if touched from two
threads (even at different times), so a `JsRuntime` must be created, used and dropped on one
thread; `runtime.pool` gives each slot its own thread.

Engine exceptions are translated here into the `HandlerError` family (`zigttp.errors`), so
nothing else needs to know quickjs exists. Classification follows measured engine behaviour
(../shared/style.md "Engine facts"): `quickjs.StackOverflow` for the native stack,
`InternalError: interrupted` for the CPU-time limit, `null` / `out of memory` for `-m`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import _quickjs as quickjs  # the C extension itself: its Python wrapper costs ~10 ms of imports

from zigttp import errors
from zigttp.runtime.limits import RuntimeLimits

ConsoleSink = Callable[[str, str], None]


@cache
def runtime_js() -> str:
    """Prelude + JSX runtime + dialect runtime (`|>`, match, range), read once per process."""
    js = Path(__file__).parent / "js"  # package data (not importlib.resources: ~10 ms to import)
    files = ("prelude.js", "jsx_runtime.js", "dialect.js")
    return "\n".join((js / name).read_text("utf-8") for name in files)


_HIDE_HOOKS = "".join(
    f"delete globalThis.{name};"
    for name in ("__zigttp_dispatch", "__zigttp_settle", "__zigttp_take_console", "__zigttp_snapshot",
                 "__zigttp_configure", "__zigttp_host")
)


# First characters of an encoded response that need more than passing it on: T (tainted
# builtins), C (console lines), ! (failure or pending promise), "" (malformed).
_MARKERS = ("T", "C", "!", "")


class JsRuntime:
    """One pre-warmed context with the prelude, module shims and the handler loaded."""

    def __init__(
        self,
        handler_code: str,
        limits: RuntimeLimits,
        console: ConsoleSink,
        host_functions: dict[str, Callable[..., object]] | None = None,
        module_js: str = "",
        dispatch_timeout: float | None = None,
    ) -> None:
        self.limits = limits
        # A request's time budget; `dispatch_timeout` lowers it below `limits.timeout` for
        # requests only (the inline lane's bound, see runtime.lanes), never for loading.
        self.timeout = min(dispatch_timeout or limits.timeout, limits.timeout)
        self._console = console
        self._context = quickjs.Context()
        self._context.set_max_stack_size(limits.stack_size)
        for name, function in (host_functions or {}).items():
            self._context.add_callable(name, function)
        self._eval(runtime_js())
        self._context.get("__zigttp_configure")(self.timeout)  # per dispatch, not for loading
        if module_js:
            self._eval(module_js)
        if limits.memory:
            self._context.set_memory_limit(limits.memory)
        # quickjs-ng refuses calls into Python while a CPU-time limit is armed, so the engine
        # backstop is only armed for handlers without host modules; the front end's loop
        # instrumentation enforces the deadline for the others.
        self.cpu_limited = not host_functions
        if self.cpu_limited:
            self._context.set_time_limit(limits.timeout)  # per call (eval or dispatch)
        self._dispatch = self._context.get("__zigttp_dispatch")
        self._settle = self._context.get("__zigttp_settle")
        self._take_console = self._context.get("__zigttp_take_console")
        snapshot = self._context.get("__zigttp_snapshot")
        # The host holds its hooks now; handler code must not reach them (re-configuring its
        # deadline, re-taking the builtin snapshot, or calling the module host function with
        # arbitrary arguments). The module shims captured `__zigttp_host` when they loaded.
        self._context.eval(_HIDE_HOOKS)
        # True once a request changed a shared builtin (prelude.js `intact`): the pool replaces
        # this runtime before its next request, so pollution cannot outlive the request.
        self.tainted = False
        try:
            self._eval(handler_code)
        finally:
            self._flush_console(self._take_console())
        snapshot()  # builtins as the handler's top level left them are the reference
        if self.cpu_limited and self.timeout < limits.timeout:
            self._context.set_time_limit(self.timeout)

    def _eval(self, code: str) -> object:
        try:
            return self._context.eval(code)
        except quickjs.JSException as exc:
            raise self.translate(exc) from None

    def dispatch(self, method: str, url: str, headers_wire: str, body: str | None) -> str:
        """Run the handler once; returns the prelude's encoded response (see prelude.js)."""
        try:
            encoded = self._dispatch(method, url, headers_wire, body)
            if type(encoded) is str and encoded[:1] not in _MARKERS:
                return encoded  # the common case: a plain response, no console output
            encoded = self._with_console(encoded)
            if encoded == "!P":
                encoded = self._drain_promise()
        except quickjs.JSException as exc:
            self._flush_console(self._take_console())
            raise self.translate(exc) from None
        except UnicodeDecodeError:
            # A lone surrogate (e.g. a string sliced through an emoji) cannot leave the engine:
            # the binding's UTF-8 conversion fails. The handler's bug, so a 500 that says so.
            raise errors.InvalidHandlerResult(
                "the response is not valid Unicode: it contains a lone surrogate (a string cut "
                "through a surrogate pair); use String.prototype.toWellFormed()"
            ) from None
        if encoded == "!X\nnull" and self.limits.memory:
            # quickjs throws a bare null when an allocation fails under the ceiling (and the
            # memory is already released by the time we look), so under -m a thrown null is
            # reported as out-of-memory: the context is replaced either way.
            return "!M\nout of memory"
        return encoded

    def _drain_promise(self) -> str:
        """Run promise jobs until the handler's promise settles, within the CPU budget.

        The engine's time limit applies per call, and every job is a call of its own, so an
        async handler that never stops scheduling jobs (`for (;;) await null`) would hold the
        slot forever without this budget on the whole drain.
        """
        deadline = time.thread_time() + self.timeout
        jobs = 0
        while self._context.execute_pending_job():
            jobs += 1
            if jobs % 256 == 0 and time.thread_time() > deadline:
                raise errors.TimeLimitExceeded(
                    f"handler exceeded its CPU time limit of {self.timeout:g}s"
                )
        return self._with_console(self._settle())

    def _with_console(self, encoded: object) -> str:
        if not isinstance(encoded, str):
            raise errors.InvalidHandlerResult("internal: dispatcher returned a non-string")
        if encoded.startswith("T"):
            encoded = encoded[1:]
            self._mark_tainted()
        if encoded.startswith("C"):
            lines, _, encoded = encoded[1:].partition("\n")
            self._flush_console(lines)
        return encoded

    def _flush_console(self, lines: object) -> None:
        if isinstance(lines, str) and lines:
            for level, text in json.loads(lines):
                self._console(level, text)

    def _mark_tainted(self) -> None:
        if not self.tainted:
            self.tainted = True
            self._console("warn", "zigttp: this request changed shared JavaScript builtins (e.g. "
                          "Object.prototype, JSON, Array.prototype, Response); its runtime is "
                          "replaced before the next request. Patch builtins at the top level instead.")

    def memory_used(self) -> int:
        return int(self._context.memory().get("memory_used_size", 0))

    def translate(self, exc: quickjs.JSException) -> errors.HandlerError:
        """Map an engine exception to our typed fault."""
        message = str(exc.args[0]) if exc.args else str(exc)
        first = message.split("\n", 1)[0]
        if isinstance(exc, quickjs.StackOverflow):
            return errors.StackOverflow("stack overflow: " + first)
        if first.startswith("InternalError: interrupted"):
            return errors.TimeLimitExceeded(
                f"handler exceeded its CPU time limit of {self.limits.timeout:g}s"
            )
        if self.limits.memory and (first in ("null", "") or "out of memory" in first):
            return errors.MemoryLimitExceeded(
                f"handler exceeded the memory limit of {self.limits.memory} bytes"
            )
        return errors.HandlerException(message)


def time_script(source: str, iterations: int) -> float:
    """Seconds for one `bench(iterations)` call of a benchmark script, after a warm-up call."""
    import time

    context = quickjs.Context()
    context.set_max_stack_size(8 * 1024 * 1024)
    context.eval(source)
    bench = context.get("bench")
    bench(max(1, iterations // 10))
    started = time.perf_counter()
    bench(iterations)
    return max(time.perf_counter() - started, 1e-9)
