"""A bare engine context for tests that evaluate front-end output or JS helpers directly.

Values come back through JSON (`Runtime.eval`), so `eval` returns plain Python values; a JS
exception raises `JsError` with the engine's message and stack.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from zigttp.runtime import _engine

JsError = _engine.Fault
_HOST_GLOBAL = "(function (hooks) { globalThis.__host = hooks.host; })"


class JsContext:
    """One engine runtime; `host(index, args_json) -> str` is reachable as `__host` in JS."""

    def __init__(self, host: Callable[[int, str], str] | None = None, stack_size: int = 4 << 20) -> None:
        self.console: list[tuple[str, str]] = []
        self.runtime = _engine.Runtime(
            0, stack_size, 0, lambda level, text: self.console.append((level, text)), host
        )
        if host is not None:
            self.runtime.run(_engine.compile(_HOST_GLOBAL, "<test>"), 0.0, True)

    def eval(self, code: str) -> Any:
        text = self.runtime.eval(code, "<input>", 0.0)
        return None if text is None else json.loads(text)
