"""`zigttp test`: resolve fixtures and handlers, run them, report; `--watch` reruns on change.

Exit status: 0 all passed, 1 any failed (or a handler is missing), 2 invalid fixture.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from zigttp.testing.discover import resolve
from zigttp.testing.fixtures import Fixture
from zigttp.testing.report import exit_status, write_json, write_text
from zigttp.testing.runner import FixtureRun, run_fixture


def run_once(
    paths: tuple[str, ...],
    *,
    json_output: bool = False,
    strict_io: bool = False,
    modules: tuple[str, ...] = (),
) -> int:
    pairs = resolve(paths)  # FixtureError (exit 2) before anything runs
    runs: list[FixtureRun] = []
    for fixture, handler in pairs:
        for warning in fixture.warnings:
            sys.stderr.write(f"zigttp: warning: {warning}\n")
        if not Path(handler).is_file():
            from zigttp.errors import HandlerLoadError

            raise HandlerLoadError(f"handler file not found: {handler} (for {fixture.path})")
        extra = _user_modules((*modules, *fixture_modules(fixture)))
        runs.append(run_fixture(fixture, handler, strict_io=strict_io, extra_modules=extra))
    if json_output:
        write_json(runs, sys.stdout)
    else:
        write_text(runs, sys.stdout)
    sys.stdout.flush()
    return exit_status(runs)


def run_test(
    paths: tuple[str, ...],
    *,
    json_output: bool = False,
    strict_io: bool = False,
    watch: bool = False,
    modules: tuple[str, ...] = (),
) -> int:
    if not watch:
        return run_once(paths, json_output=json_output, strict_io=strict_io, modules=modules)
    return _watch(paths, json_output=json_output, strict_io=strict_io, modules=modules)


def fixture_modules(fixture: Fixture) -> tuple[str, ...]:
    """The first row's "modules": `.py` paths are relative to the fixture file."""
    base = Path(fixture.path).parent
    return tuple(str(base / entry) if entry.endswith(".py") else entry for entry in fixture.modules)


def _user_modules(entries: tuple[str, ...]) -> tuple[Any, ...]:
    """`--module` entries (user-defined zigttp:* modules), registered before compiling."""
    if not entries:
        return ()
    from zigttp.modules._loader import load_modules

    return load_modules(entries)


def _watch(paths: tuple[str, ...], *, json_output: bool, strict_io: bool, modules: tuple[str, ...]) -> int:
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
            status = run_once(paths, json_output=json_output, strict_io=strict_io, modules=modules)
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
