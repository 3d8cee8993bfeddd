"""A runtime built through the extension's C API alone, with the real prelude.

The steps are those `zigttp.runtime.engine.JsRuntime` takes, called one by one so that each
test can stop, probe or misuse any of them. Used by tests/engine and tests/fuzz.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from zigttp.runtime import _engine
from zigttp.runtime.engine import runtime_bytecode

ROOT = Path(__file__).resolve().parents[2]
Fault = _engine.Fault
Answer = tuple[int, bytes, bytes]


@dataclass
class Engine:
    """One `_engine.Runtime` with the prelude, its runtime scripts and one handler loaded."""

    runtime: _engine.Runtime
    console: list[tuple[str, str]] = field(default_factory=list)

    def dispatch(self, body: bytes | None = None, *, method: str = "GET", url: str = "/",
                 headers: str = "", timeout: float = 2.0) -> Answer:
        return self.runtime.dispatch(method, url, headers, body, timeout)

    def fault(self, **request: object) -> tuple[str, str]:
        """(kind, message) of the Fault a request must raise."""
        try:
            answer = self.dispatch(**request)  # type: ignore[arg-type]
        except Fault as exc:
            return exc.args
        raise AssertionError(f"expected a Fault, got {answer!r}")


def load(handler: str, *, memory: int = 0, stack: int = 1 << 20, depth: int = 1024,
         timeout: float = 2.0, host: object = None) -> Engine:
    """Build a runtime and load `handler` (classic-script source) into it."""
    console: list[tuple[str, str]] = []
    runtime = _engine.Runtime(memory, stack, depth, lambda level, text: console.append((level, text)), host)
    prelude, *scripts = runtime_bytecode()  # then the JSX and dialect runtimes
    runtime.install_prelude(prelude)
    for script in scripts:
        runtime.run(script, 0.0, False)
    runtime.limit_memory()
    runtime.run(_engine.compile(handler, "<input>"), timeout, False)
    runtime.seal()
    return Engine(runtime, console)


def responder(expression: str, **limits: object) -> Engine:
    """A handler that returns `expression` (evaluated per request, `request` in scope)."""
    return load(f"function handler(request) {{ return {expression}; }}", **limits)  # type: ignore[arg-type]


def run_isolated(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter on the same engine build (the sanitized one under
    native/sanitize.sh): for cases whose failure would be a hang with the GIL held or a crash."""
    preamble = "import os\nif os.environ.get('ZIGTTP_ENGINE_SO'): import tests.engine.sanitized\n"
    return subprocess.run([sys.executable, "-c", preamble + code], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)
