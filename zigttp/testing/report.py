"""Render fixture results: human lines or `--json`, and the exit status they imply.

Human form, one block per fixture, then a closing line alone on its line:

    Testing examples/hello.js (3 tests from examples/hello.test.jsonl)
    PASS health check
    FAIL unknown route is a 404
        expected status: 404, actual status: 200
        warning: io divergence: call #1 env.env("X") has no io row (returned undefined)

    2 passed, 1 failed            (", N skipped" appended when tests were skipped)

Exit status: 0 when nothing failed, 1 otherwise (invalid fixtures never get here: exit 2).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, TextIO

from zigttp.testing.runner import FixtureRun, TestResult


def totals(runs: Sequence[FixtureRun]) -> tuple[int, int, int]:
    passed = sum(run.count("pass") for run in runs)
    failed = sum(run.count("fail") for run in runs)
    skipped = sum(run.count("skip") for run in runs)
    return passed, failed, skipped


def summary_line(runs: Sequence[FixtureRun]) -> str:
    passed, failed, skipped = totals(runs)
    line = f"{passed} passed, {failed} failed"
    return f"{line}, {skipped} skipped" if skipped else line


def exit_status(runs: Sequence[FixtureRun]) -> int:
    return 1 if totals(runs)[1] else 0


def _result_lines(result: TestResult) -> list[str]:
    if result.status == "skip":
        reason = result.reasons[0] if result.reasons else "skipped"
        return [f"SKIP {result.name} ({reason})"]
    lines = [f"{result.status.upper()} {result.name}"]
    lines += [_indent(reason) for reason in result.reasons]
    lines += [_indent(f"warning: {warning}") for warning in result.warnings]
    if result.status == "fail":
        lines += [_indent(line) for line in result.console]
    return lines


def _indent(text: str) -> str:
    """Reasons may span lines (a JS stack): continuation lines sit under the first."""
    first, *rest = text.rstrip("\n").split("\n")
    return "\n".join([f"    {first}", *(f"      {line.strip()}" for line in rest)])


def write_text(runs: Sequence[FixtureRun], out: TextIO) -> None:
    for run in runs:
        count = len(run.results)
        if not count:
            out.write(f"No tests found in '{run.fixture}'\n")
            continue
        plural = "test" if count == 1 else "tests"
        out.write(f"Testing {run.handler} ({count} {plural} from {run.fixture})\n")
        for result in run.results:
            out.write("\n".join(_result_lines(result)) + "\n")
        out.write("\n")
    out.write(summary_line(runs) + "\n")


def _result_json(result: TestResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": result.name,
        "line": result.line,
        "status": result.status,
        "reasons": result.reasons,
        "warnings": result.warnings,
        "durationMs": round(result.duration_ms, 3),
    }
    if result.console:
        data["console"] = result.console
    if result.actual is not None:
        actual = asdict(result.actual)
        data["actual"] = {
            "status": actual["status"],
            "headers": actual["headers"],
            "body": actual["body"],
            "error": actual["error"],
        }
    return data


def to_json(runs: Sequence[FixtureRun]) -> dict[str, Any]:
    passed, failed, skipped = totals(runs)
    return {
        "passed": passed,
        "failed": failed,
        "skipped": skipped,
        "success": failed == 0,
        "fixtures": [
            {
                "fixture": run.fixture,
                "handler": run.handler,
                "tests": [_result_json(result) for result in run.results],
            }
            for run in runs
        ],
    }


def write_json(runs: Sequence[FixtureRun], out: TextIO) -> None:
    out.write(json.dumps(to_json(runs), indent=2, ensure_ascii=False) + "\n")
