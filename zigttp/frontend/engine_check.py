"""The engine's own compiler over the front end's output (compile only, nothing executed).

tree-sitter accepts some scripts the engine refuses at load: early errors such as a
duplicate `let`, a stray `break`, an invalid regular expression literal (`/(/`) or `let let`.
Running quickjs-ng's parser here makes `check`, `serve` and `build` refuse them up front, at
the user's file:line:col, and gives `build` the bytecode its artifact carries.
"""

from __future__ import annotations

from pathlib import Path

from zigttp.diagnostics import Diagnostic
from zigttp.frontend.build import PREFIX
from zigttp.frontend.result import CompiledHandler
from zigttp.records import replace

CODE = "ZT003"
HINT = "the JavaScript engine refuses this code when it loads; fix the statement at this position"


def compile_with_engine(compiled: CompiledHandler) -> tuple[CompiledHandler, list[Diagnostic]]:
    """(compiled with its bytecode, []) or (compiled, [the engine's error as a Diagnostic])."""
    from zigttp.runtime.engine import CompileFailure, handler_bytecode

    try:  # (through the bytecode cache: the next start of this handler finds it there)
        return replace(compiled, bytecode=handler_bytecode(compiled.code)), []
    except CompileFailure as failure:
        return compiled, [_diagnostic(compiled, failure.message, failure.line, failure.column)]


def _diagnostic(compiled: CompiledHandler, message: str, line: int, column: int) -> Diagnostic:
    file, file_line = compiled.locate(line)
    if line == 1:  # the output's line 1 starts with the injected "use strict";
        column = max(1, column - len(PREFIX))
    return Diagnostic(
        file, file_line, column, "error", CODE, f"SyntaxError: {message}", HINT, _source_line(file, file_line)
    )


def _source_line(file: str, line: int) -> str:
    try:
        lines = Path(file).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""
