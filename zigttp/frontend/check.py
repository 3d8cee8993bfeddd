"""`zigttp check` / `zigts check`: run the front end and the analyzer, print, pick an exit code.

Exit codes (seed): 0 clean, 1 any error, 2 warnings only. Human output goes to stdout, one
block per diagnostic (`file:line:col: error[ZT101]: ...`, source line, caret, `= help:`),
coloured only when `color` is set (the CLI passes "stdout is a TTY"), then a summary line.
`--json` prints one document: `{"success", "errors", "warnings", "diagnostics": [...]}`; each
diagnostic carries `file line col severity code message hint source_line`, plus `column`
and `suggestion`, the names the original `zigts check --json` used.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from zigttp.diagnostics import Diagnostic, render
from zigttp.errors import UsageError
from zigttp.frontend.analyzer import ALIASES, PROFILES
from zigttp.frontend.pipeline import diagnose
from zigttp.records import asdict

EXIT_CLEAN, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


def run_check(
    paths: list[str], *, json_output: bool, profile: str, color: bool, out: TextIO | None = None
) -> int:
    """Check every file; print the diagnostics; return the exit code."""
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; expected one of: {', '.join(PROFILES)}")
    if not paths:
        raise UsageError("check needs at least one handler file")
    stream = out if out is not None else sys.stdout
    profile = ALIASES.get(profile, profile)
    diagnostics = [d for path in paths for d in diagnose(path, profile=profile).diagnostics]
    if json_output:
        stream.write(as_json(diagnostics) + "\n")
    else:
        stream.write(as_text(diagnostics, paths, color))
    return exit_code(diagnostics)


def exit_code(diagnostics: list[Diagnostic]) -> int:
    if any(d.is_error for d in diagnostics):
        return EXIT_ERRORS
    return EXIT_WARNINGS if diagnostics else EXIT_CLEAN


def as_text(diagnostics: list[Diagnostic], paths: list[str], color: bool) -> str:
    blocks = [render(d, color=color) + "\n" for d in diagnostics]
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = ", ".join(paths)
    if not diagnostics:
        return f"check: {files}: no problems found\n"
    summary = f"check: {files}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}\n"
    return "\n".join(blocks) + "\n" + summary


def as_json(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    return json.dumps(
        {
            "success": errors == 0,
            "errors": errors,
            "warnings": len(diagnostics) - errors,
            "diagnostics": [_entry(d) for d in diagnostics],
        },
        indent=2,
    )


def _entry(diag: Diagnostic) -> dict[str, object]:
    """Our fields plus the original zigts names (`column`, `suggestion`) for its tools."""
    return {**asdict(diag), "column": diag.col, "suggestion": diag.hint}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
