"""A fake `zigttp:fake` module and in-process helpers for the fixture runner's tests.

`lookup` is traceable (stubbed by io rows), `register` is not (always runs for real), so tests
can exercise stubbing without depending on the real modules.
"""

from __future__ import annotations

from typing import Any

from zigttp.frontend.pipeline import CompiledHandler, compile_source
from zigttp.modules import ModuleContext, ModuleSpec
from zigttp.testing.fixtures import parse_fixture_text
from zigttp.testing.runner import FixtureRun, run_fixture

REAL_CALLS: list[tuple[str, Any]] = []


def _create(_ctx: ModuleContext) -> dict[str, Any]:
    def lookup(key: Any) -> Any:
        REAL_CALLS.append(("lookup", key))
        return f"real:{key}"

    def register(name: Any) -> Any:
        REAL_CALLS.append(("register", name))
        return True

    return {"lookup": lookup, "register": register}


FAKE = ModuleSpec("fake", ("lookup", "register"), _create, traceable=frozenset({"lookup"}))
IMPORT = 'const {lookup, register} = __zigttp_import("fake");\n'


def module_handler(body: str, filename: str = "fake.js") -> CompiledHandler:
    """Handler code that imports zigttp:fake the way the front end's output does."""
    return CompiledHandler(filename=filename, code='"use strict";' + IMPORT + body, modules=("fake",))


def run_text(handler: str | CompiledHandler, fixture: str, **options: Any) -> FixtureRun:
    compiled = handler if isinstance(handler, CompiledHandler) else compile_source(handler, "h.js")
    parsed = parse_fixture_text(fixture, "t.test.jsonl")
    return run_fixture(parsed, compiled.filename, compiled=compiled, extra_modules=(FAKE,), **options)


def fixture(*rows: str) -> str:
    return "\n".join(rows) + "\n"
