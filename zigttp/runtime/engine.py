"""The only module that knows the engine exists: zigttp's own quickjs-ng extension.

`_engine` (native/engine, built over vendor/quickjs-ng at install) gives one `Runtime` per
`JsRuntime`: its own JSRuntime heap, memory ceiling, GC and thread. Everything is compiled
to bytecode once: the prelude and JSX runtime once per process, the handler once per load
(or at `zigttp build`), so a runtime is built by reading bytecode, not by parsing source.

Faults come from the engine's own state (its fault flags, our deadline), as
`_engine.Fault(kind, message)`, and are translated here into the `HandlerError` family
(`zigttp.errors`) so nothing else needs to know the engine exists. A runtime must be
created, used and dropped on one thread (the extension refuses any other).
"""

from __future__ import annotations

from _weakref import ref as weak_ref  # (weakref.ref itself, without the weakref module)

from zigttp import errors
from zigttp.lean import Pattern
from zigttp.records import record
from zigttp.runtime import _engine
from zigttp.runtime.bytecode_cache import cached_compile
from zigttp.runtime.limits import RuntimeLimits
from zigttp.runtime.marshal import HandlerResponse
from zigttp.runtime.scripts import runtime_bytecode
from zigttp.web import HostState, call_native

ENGINE_VERSION: str = _engine.ENGINE_VERSION
HANDLER_FILE = "<input>"  # the name stack frames of handler code carry (marshal.map_stack)

TYPE_CHECKING = False  # (typing and collections stay off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable

    ConsoleSink = Callable[[str, str], None]
    HostFunction = Callable[[int, str], str]

_FAULTS: dict[str, type[errors.HandlerError]] = {
    "exception": errors.HandlerException,
    "handler": errors.InvalidHandler,
    "result": errors.InvalidHandlerResult,
    "depth": errors.CallStackOverflow,
    "stack": errors.StackOverflow,
    "memory": errors.MemoryLimitExceeded,
    "timeout": errors.TimeLimitExceeded,
}


@record(frozen=True)
class CompileFailure(Exception):
    """The engine's parser refused a script: message and the 1-based position in it."""

    message: str
    line: int
    column: int


_POSITION = Pattern(r"at [^\n]*?:(\d+):(\d+)")


def compile_script(source: str, filename: str = HANDLER_FILE, *, strip_source: bool = False) -> bytes:
    """Bytecode of a classic script, or CompileFailure with the engine's message and place."""
    try:
        return _engine.compile(source, filename, strip_source)
    except _engine.CompileError as exc:
        text = str(exc.args[0])
        message, _, stack = text.partition("\n")
        found = _POSITION.search(stack)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        raise CompileFailure(message, line, char_column(source, line, column)) from None
    except UnicodeEncodeError:
        raise CompileFailure("the source is not valid Unicode (a lone surrogate)", 1, 1) from None


def char_column(source: str, line: int, column: int) -> int:
    """The engine counts a position's column in UTF-8 bytes of its line; editors and our
    diagnostics count characters: the 1-based character column of byte column `column`."""
    lines = source.split("\n", line)
    if column <= 1 or not 1 <= line <= len(lines):
        return column
    head = lines[line - 1].encode("utf-8", "surrogatepass")[: column - 1]
    return len(head.decode("utf-8", "ignore")) + 1


def handler_bytecode(source: str) -> bytes:
    """A handler's bytecode, from the on-disk cache when this engine compiled it before."""
    return cached_compile(source, HANDLER_FILE, lambda: compile_script(source))


class JsRuntime:
    """One pre-warmed runtime with the prelude, module shims and the handler loaded."""

    def __init__(
        self,
        handler_bytecode: bytes,
        limits: RuntimeLimits,
        console: ConsoleSink,
        host_function: HostFunction | None = None,
        module_bytecode: bytes = b"",
        dispatch_timeout: float | None = None,
    ) -> None:
        self.limits = limits
        # A request's time budget; `dispatch_timeout` lowers it below `limits.timeout` for
        # requests only (the inline lane's bound, see runtime.lanes), never for loading.
        self.timeout = min(dispatch_timeout or limits.timeout, limits.timeout)
        self.has_modules = host_function is not None
        self._console = console
        self._warned_taint = False
        prelude, plain, web, lazy = runtime_bytecode()
        self.host_state = HostState()  # this runtime's host objects (zlib streams): freed with it
        state = self.host_state
        self._runtime = _engine.Runtime(
            limits.memory,
            limits.stack_size,
            limits.max_call_depth,
            console,
            host_function,
            lambda name, args: call_native(name, args, state),
            lazy,
        )
        owner = weak_ref(self)  # not the bound method: the state must not keep the runtime alive
        state.watch = lambda fd: owner()._runtime.watch(fd)  # type: ignore[union-attr]
        try:
            self._runtime.install_prelude(prelude)
            for script in plain:
                self._runtime.run(script, 0.0, False)
            for script in web:
                self._runtime.run(script, 0.0, True)  # gets the hooks (native) like the prelude
            if module_bytecode:
                self._runtime.run(module_bytecode, 0.0, True)  # shims get the host hook, not a global
            self._runtime.limit_memory()  # -m counts from here: the handler's own allocations
            self._runtime.run(handler_bytecode, limits.timeout, False)
            self._runtime.seal(limits.timeout)  # the builtins as the top level left them: the reference
        except _engine.Fault as exc:
            raise translate(exc, limits) from None

    @property
    def tainted(self) -> bool:
        """A request changed shared builtins: the pool replaces this runtime before the next."""
        return self._runtime.tainted

    def dispatch(
        self, method: str, url: str, headers_wire: str, body: bytes | None, origin: str = ""
    ) -> HandlerResponse:
        """Run the handler once. Headers are "name\\0value\\0..." (lower-case names); `origin`
        ("http://host:port" of the listening socket) completes a `{ fetch }` request's URL
        when it has no Host header."""
        try:
            answer = self._runtime.dispatch(method, url, headers_wire, body, self.timeout, origin)
        except _engine.Fault as exc:
            self._warn_if_tainted()
            raise translate(exc, self.limits, self.timeout) from None
        if self._runtime.tainted:  # (checked here first: no method call on the hot path)
            self._warn_if_tainted()
        if len(answer) == 4:  # the body is a stream: pulled on this thread (runtime.streams)
            from zigttp.runtime.streams import BodyStream

            return HandlerResponse(answer[0], answer[1], b"", BodyStream(self))
        return HandlerResponse(*answer)

    def pull(self, cancel: bool = False) -> bytes | None:
        """The next chunk of the streamed body the last dispatch returned (None: its end).
        Each chunk must come within the request timeout (the stream's idle limit)."""
        try:
            chunk: bytes | None = self._runtime.pull(cancel, self.limits.timeout)
            return chunk
        except _engine.Fault as exc:
            raise translate(exc, self.limits, self.limits.timeout) from None

    def _warn_if_tainted(self) -> None:
        if self._runtime.tainted and not self._warned_taint:
            self._warned_taint = True
            self._console(
                "warn",
                "zigttp: this request changed shared JavaScript builtins (e.g. "
                "Object.prototype, JSON, Array.prototype, Response); its runtime is "
                "replaced before the next request. Patch builtins at the top level instead.",
            )

    @property
    def engine_runtime(self) -> _engine.Runtime:
        """The extension's Runtime itself: the C lane (server/lane.py) calls it directly."""
        return self._runtime

    def report_replacement(self, reason: str | None) -> None:
        """The warnings `settle_leftovers` gives when a runtime must go (the C lane's runs)."""
        if reason is not None and not self._runtime.tainted:
            self._console("warn", f"zigttp: {reason}; its runtime is replaced")
        self._warn_if_tainted()

    def settle_leftovers(self) -> bool:
        """Run what the last request left (promise jobs, finalizers) before the next one.

        False when this runtime must be replaced: the leftovers threw, ran past the request
        timeout or the memory ceiling, or changed shared builtins."""
        reason: str | None = self._runtime.settle_leftovers(self.limits.timeout)
        self.report_replacement(reason)
        return reason is None

    def memory_used(self) -> int:
        return self._runtime.memory_used()


def translate(exc: _engine.Fault, limits: RuntimeLimits, timeout: float | None = None) -> errors.HandlerError:
    """Map the extension's fault kind to our typed fault."""
    kind, message = exc.args
    if kind == "timeout":
        return errors.TimeLimitExceeded(f"handler exceeded its time limit of {timeout or limits.timeout:g}s")
    if kind == "memory":
        return errors.MemoryLimitExceeded(
            f"handler exceeded the memory limit of {limits.memory} bytes"
            if limits.memory
            else "out of memory"
        )
    if kind == "stack":
        return errors.StackOverflow("stack overflow: " + message.split("\n", 1)[0])
    return _FAULTS.get(kind, errors.HandlerException)(message)


def evaluate(source: str, *, timeout: float = 0.0) -> str | None:
    """JSON of a bare script's value in a fresh runtime (no prelude): tools and tests."""
    runtime = _engine.Runtime(0, 8 * 1024 * 1024, 0, lambda _level, _text: None)
    try:
        return runtime.eval(source, "<eval>", timeout)
    except _engine.Fault as exc:
        raise translate(exc, RuntimeLimits(timeout=timeout)) from None


def time_script(source: str, iterations: int) -> float:
    """Seconds for one `bench(iterations)` call of a benchmark script, after a warm-up call."""
    import time

    runtime = _engine.Runtime(0, 8 * 1024 * 1024, 0, lambda _level, _text: None)
    runtime.eval(source)
    runtime.eval(f"bench({max(1, iterations // 10)})")
    started = time.perf_counter()
    runtime.eval(f"bench({iterations})")
    return max(time.perf_counter() - started, 1e-9)
