"""`zigttp test`: resolve fixtures and handlers, run them, report; `--watch` reruns on change.

Exit status: 0 all passed, 1 any failed (or a handler is missing), 2 invalid fixture.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zigttp.testing.discover import resolve
from zigttp.testing.report import exit_status, write_json, write_text
from zigttp.testing.runner import FixtureRun, run_fixture


def run_once(paths: tuple[str, ...], *, json_output: bool = False, strict_io: bool = False) -> int:
    pairs = resolve(paths)  # FixtureError (exit 2) before anything runs
    runs: list[FixtureRun] = []
    for fixture, handler in pairs:
        for warning in fixture.warnings:
            sys.stderr.write(f"zigttp: warning: {warning}\n")
        if not Path(handler).is_file():
            from zigttp.errors import HandlerLoadError

            raise HandlerLoadError(f"handler file not found: {handler} (for {fixture.path})")
        runs.append(run_fixture(fixture, handler, strict_io=strict_io))
    if json_output:
        write_json(runs, sys.stdout)
    else:
        write_text(runs, sys.stdout)
    sys.stdout.flush()
    return exit_status(runs)


def run_test(paths: tuple[str, ...], *, json_output: bool = False, strict_io: bool = False,
             watch: bool = False) -> int:
    if not watch:
        return run_once(paths, json_output=json_output, strict_io=strict_io)
    return _watch(paths, json_output=json_output, strict_io=strict_io)


def _watch(paths: tuple[str, ...], *, json_output: bool, strict_io: bool) -> int:
    try:
        from watchfiles import watch
    except ImportError:
        from zigttp.errors import UsageError

        raise UsageError("--watch needs the watchfiles package: pip install watchfiles") from None
    from zigttp.errors import ZigttpError

    roots = _watch_roots(paths)
    status = 0
    while True:
        try:
            status = run_once(paths, json_output=json_output, strict_io=strict_io)
        except ZigttpError as exc:
            sys.stderr.write(f"zigttp: {exc}\n")
            status = exc.exit_code
        sys.stderr.write(f"Watching {', '.join(roots)} for changes (Ctrl-C to stop)\n")
        try:
            next(iter(watch(*roots, watch_filter=_relevant, raise_interrupt=False)))
        except StopIteration:  # interrupted
            return status


def _watch_roots(paths: tuple[str, ...]) -> list[str]:
    if not paths:
        return ["."]
    return sorted({str(Path(p).parent if Path(p).is_file() else Path(p)) for p in paths})


def _relevant(_change: object, path: str) -> bool:
    return path.endswith((".jsonl", ".js", ".jsx", ".ts", ".tsx", ".pyz", ".json"))
