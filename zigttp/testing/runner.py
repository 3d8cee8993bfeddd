"""Run fixture tests against a handler through the real pipeline, one fresh runtime per test.

The handler goes through `compile_entry` (source or built artifact) and `load_handler`, exactly
as `serve` does; then every test builds its own module bridge and JS runtime, so top-level code
runs again and no state leaks between tests (upstream-reference §2.2). All runtimes are built,
used and dropped on one worker thread, because a quickjs context must stay on the thread that
created it. Traceable module calls are answered by the test's `io` rows (`iotap.StubTap`).
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from zigttp import errors
from zigttp.frontend.pipeline import CompiledHandler
from zigttp.modules import ModuleContext, ModuleSpec
from zigttp.runtime.handler import LoadedHandler, compile_entry, load_handler
from zigttp.runtime.limits import RuntimeLimits
from zigttp.runtime.marshal import encode_headers, split_message
from zigttp.testing.assertions import Actual, check_expectations
from zigttp.testing.fixtures import Fixture, FixtureTest
from zigttp.testing.iotap import StubTap, pure_exports, traceable_exports

T = TypeVar("T")
WORKER_STACK = 32 * 1024 * 1024  # the pool's slot-thread stack: room for the JS stack budget
DEFAULT_LIMITS = RuntimeLimits(timeout=10.0)


FIXTURE_ORIGIN = "http://localhost"  # the origin fixture requests are made against


@dataclass
class TestResult:
    name: str
    line: int
    status: str  # "pass" | "fail" | "skip"
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    actual: Actual | None = None
    duration_ms: float = 0.0


@dataclass
class FixtureRun:
    fixture: str
    handler: str
    results: list[TestResult]

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)


def run_fixture(
    fixture: Fixture,
    handler_path: str,
    *,
    strict_io: bool = False,
    limits: RuntimeLimits = DEFAULT_LIMITS,
    compiled: CompiledHandler | None = None,
    extra_modules: tuple[ModuleSpec, ...] = (),
) -> FixtureRun:
    """Compile the handler once, then run every test of `fixture` in its own runtime.

    `compiled` skips the compile step and `extra_modules` adds module specs (embedding, tests).
    """
    if compiled is None:
        try:
            compiled = compile_entry(handler_path, None)
        except (errors.SourceError, errors.BuildError) as exc:
            return _all_failed(fixture, handler_path, f"error: {exc}")
    runner = _Runner(compiled, strict_io, limits, extra_modules)
    results = _on_worker_thread(lambda: [runner.run(test) for test in fixture.tests])
    return FixtureRun(fixture.path, handler_path, results)


def _all_failed(fixture: Fixture, handler_path: str, reason: str) -> FixtureRun:
    results = [
        TestResult(t.name, t.line, "skip" if t.skip else "fail", reasons=[] if t.skip else [reason])
        for t in fixture.tests
    ]
    return FixtureRun(fixture.path, handler_path, results)


def _on_worker_thread(work: Callable[[], T]) -> T:
    """Run `work` on a fresh thread with the pool's stack size and return its result."""
    box: list[tuple[bool, Any]] = []

    def target() -> None:
        try:
            box.append((True, work()))
        except BaseException as exc:  # re-raised on the caller's thread
            box.append((False, exc))

    previous = threading.stack_size(WORKER_STACK)
    try:
        thread = threading.Thread(target=target, name="zigttp-test", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    ok, value = box[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


class _Runner:
    def __init__(
        self,
        compiled: CompiledHandler,
        strict_io: bool,
        limits: RuntimeLimits,
        extra_modules: tuple[ModuleSpec, ...],
    ) -> None:
        self.compiled = compiled
        self.extra_modules = extra_modules
        self.strict_io = strict_io
        self.limits = limits
        self.console: list[str] = []

    def run(self, test: FixtureTest) -> TestResult:
        if test.skip:
            return TestResult(test.name, test.line, "skip", reasons=[test.skip])
        started = time.perf_counter()
        self.console = []
        with tempfile.TemporaryDirectory(prefix="zigttp-test-") as state_dir:
            handler = self._load(state_dir)
            exports = handler.bridge.exports
            tap = StubTap(test.io, traceable_exports(exports), pure_exports(exports))
            handler.taps[-1] = tap
            actual = self._execute(handler, test)
        divergences = [] if actual.load_failed else tap.finish()
        reasons = check_expectations(test, actual)
        warnings = [f"io divergence: {d}" for d in divergences]
        if self.strict_io and divergences:
            reasons.extend(warnings)
            warnings = []
        return TestResult(
            test.name,
            test.line,
            "fail" if reasons else "pass",
            reasons,
            warnings,
            console=self.console,
            actual=actual,
            duration_ms=(time.perf_counter() - started) * 1000,
        )

    def _load(self, state_dir: str) -> LoadedHandler:
        return load_handler(
            self.compiled,
            self.limits,
            module_context=ModuleContext(state_dir),
            extra_modules=self.extra_modules,
            console=self._console,
        )

    def _console(self, level: str, _request_id: str, text: str) -> None:
        self.console.append(f"console.{level}: {text}")

    def _execute(self, handler: LoadedHandler, test: FixtureTest) -> Actual:
        request = test.request
        assert request is not None
        headers = encode_headers({k.lower(): v for k, v in request.headers.items()})
        try:
            runtime = handler.new_runtime(None)
        except errors.HandlerLoadError as exc:
            return Actual(500, {}, "", error=str(exc), load_failed=True)
        try:
            body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
            # a `{ fetch }` handler's request.url is absolute: fixtures run as if on localhost
            response = runtime.dispatch(request.method, request.url, headers, body, FIXTURE_ORIGIN)
            if response.stream is not None:  # a streamed body: the fixture compares all of it
                response.body, response.stream = response.stream.read_here(), None  # type: ignore[attr-defined]
            return Actual.from_response(response)
        except errors.HandlerError as exc:
            message, _stack = split_message(str(exc))
            return Actual(exc.status, {}, message or "Internal Server Error", error=message)
        finally:
            del runtime  # dropped here, on the thread that built it
