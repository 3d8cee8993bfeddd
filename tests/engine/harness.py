"""A runtime for tests of the extension's C API, loaded the way the server loads one.

`load()` builds a real `JsRuntime` (engine.py's loading sequence: the prelude, its runtime
scripts, the handler, seal) and hands back its `_engine.Runtime`, which the tests then call
directly, misuse and probe. Tests of a single loading step call `_engine` on their own.
Used by tests/engine and tests/fuzz. Deadlines default to 10 s, far above what any case
needs on a loaded machine under ASan; the deadline tests pass their own short one.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from zigttp.runtime import _engine
from zigttp.runtime.engine import HANDLER_FILE, JsRuntime, runtime_bytecode
from zigttp.runtime.limits import RuntimeLimits

TYPE_CHECKING = False
if TYPE_CHECKING:
    from zigttp.runtime.engine import HostFunction

ROOT = Path(__file__).resolve().parents[2]
Fault = _engine.Fault
Answer = tuple[int, bytes, bytes]


@dataclass
class Engine:
    """One `_engine.Runtime` with everything a served handler has loaded."""

    runtime: _engine.Runtime
    console: list[tuple[str, str]] = field(default_factory=list)

    def dispatch(
        self,
        body: bytes | None = None,
        *,
        method: str = "GET",
        url: str = "/",
        headers: str = "",
        timeout: float = 10.0,
    ) -> Answer:
        return self.runtime.dispatch(method, url, headers, body, timeout)

    def fault(self, **request: object) -> tuple[str, str]:
        """(kind, message) of the Fault a request must raise."""
        try:
            answer = self.dispatch(**request)  # type: ignore[arg-type]
        except Fault as exc:
            return exc.args
        raise AssertionError(f"expected a Fault, got {answer!r}")


def load(
    handler: str,
    *,
    memory: int = 0,
    stack: int = 1 << 20,
    depth: int = 1024,
    timeout: float = 10.0,
    host: HostFunction | None = None,
) -> Engine:
    """A runtime with `handler` (classic-script source) loaded as `zigttp serve` loads it."""
    console: list[tuple[str, str]] = []
    limits = RuntimeLimits(memory=memory, timeout=timeout, stack_size=stack, max_call_depth=depth)
    loaded = JsRuntime(
        _engine.compile(handler, HANDLER_FILE),
        limits,
        lambda level, text: console.append((level, text)),
        host,
    )
    return Engine(loaded._runtime, console)


def prelude_only() -> _engine.Runtime:
    """A runtime with nothing but the prelude installed: for tests of run() and seal()."""
    runtime = _engine.Runtime(0, 1 << 20, 0, lambda _level, _text: None)
    runtime.install_prelude(runtime_bytecode()[0])
    return runtime


def responder(expression: str, **limits: object) -> Engine:
    """A handler that returns `expression` (evaluated per request, `request` in scope)."""
    return load(f"function handler(request) {{ return {expression}; }}", **limits)  # type: ignore[arg-type]


def run_isolated(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter on the same engine build (the sanitized one under
    native/sanitize.sh): for cases whose failure would be a hang with the GIL held or a crash."""
    preamble = "import os\nif os.environ.get('ZIGTTP_ENGINE_SO'): import tests.engine.sanitized\n"
    return subprocess.run(
        [sys.executable, "-c", preamble + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
