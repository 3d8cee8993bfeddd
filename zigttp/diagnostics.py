"""Diagnostics: one message about one place in a source file.

Every component that reports on user code (front end, analyzer, bundler, module resolution)
produces `Diagnostic`s; `render` prints them the same way everywhere:

    handler.ts:3:5: error[ZT001]: 'var' is not supported
       3 |     var x = 1;
         |     ^
       = help: use let or const
"""

from __future__ import annotations

from zigttp.records import asdict, record

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from typing import Literal

    from zigttp.errors import ZigttpError

    Severity = Literal["error", "warning"]
else:
    Severity = str  # (other modules import the name)


@record(frozen=True)
class Diagnostic:
    file: str
    line: int  # 1-based
    col: int  # 1-based
    severity: Severity
    code: str
    message: str
    hint: str = ""
    source_line: str = ""

    def headline(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def render(diag: Diagnostic, *, color: bool = False) -> str:
    """Human form: headline, the source line with a caret under the column, and the fix hint."""
    codes = ("\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m")
    red, yellow, bold, reset = codes if color else ("",) * 4
    tint = red if diag.is_error else yellow
    lines = [
        f"{bold}{diag.file}:{diag.line}:{diag.col}:{reset} "
        f"{tint}{diag.severity}[{diag.code}]{reset}: {diag.message}"
    ]
    if diag.source_line:
        gutter = " " * len(str(diag.line))
        lines.append(f" {diag.line} | {diag.source_line.rstrip()}")
        lines.append(f" {gutter} | {' ' * (diag.col - 1)}{tint}^{reset}")
    if diag.hint:
        lines.append(f"   = help: {diag.hint}")
    return "\n".join(lines)


def to_json(diags: list[Diagnostic]) -> str:
    import json  # (check --json only: json brings re, ~2 ms of a cold start)

    return json.dumps({"diagnostics": [asdict(d) for d in diags]}, indent=2)


def report_error(exc: ZigttpError) -> int:
    """Print a typed error for a user (diagnostics with carets for source errors) and return
    its exit code: the one mapping every entry point (CLI, artifact launcher) shares."""
    import sys

    from zigttp.errors import SourceError

    if isinstance(exc, SourceError):
        for diagnostic in exc.diagnostics:
            sys.stderr.write(render(diagnostic, color=sys.stderr.isatty()) + "\n")
    else:
        sys.stderr.write(f"zigttp: {exc}\n")
    return exc.exit_code
