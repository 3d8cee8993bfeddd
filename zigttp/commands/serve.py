"""`zigttp serve`: build a ServerConfig from flags, compile the handler, run the server."""

from __future__ import annotations

import os
import sys

from zigttp.config import ServerConfig, default_pool_size, default_workers
from zigttp.errors import UsageError

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from typing import Any


def config_from_options(options: dict[str, Any]) -> ServerConfig:
    pool_size = options.pop("pool_size", 0) or default_pool_size()
    options["workers"] = options.get("workers") or default_workers()
    memory = options.pop("memory", 0)
    for key in ("allow_env", "outbound_hosts"):  # repeatable, and comma-separated lists too
        options[key] = tuple(item for value in options.get(key, ()) for item in value.split(",") if item)
    options["modules"] = tuple(options.get("modules", ()))
    return ServerConfig(pool_size=pool_size, memory_limit=memory, **options)


def resolve_options(
    handler: str | None, options: dict[str, Any], explicit: set[str]
) -> tuple[str | None, dict[str, Any]]:
    """Fill what the command line left at its default from zigttp.json (see zigttp.project)."""
    from zigttp.project import merge_options, project_defaults

    merged = merge_options({**options, "handler": handler}, explicit, project_defaults())
    return merged.pop("handler"), merged


def run_serve(
    handler: str | None, inline: str | None, options: dict[str, Any], explicit: set[str] | None = None
) -> int:
    handler, options = resolve_options(handler, options, explicit or set())
    if handler is None and inline is None:
        raise UsageError(
            "no handler specified: pass a handler file (zigttp serve handler.ts) "
            'or inline code (zigttp serve -e "function handler(r) { ... }")'
        )
    if handler is not None and inline is not None:
        raise UsageError("pass either a handler file or -e CODE, not both")
    config = config_from_options(dict(options))
    if os.environ.get("AWS_LAMBDA_RUNTIME_API"):  # inside AWS Lambda: speak the Runtime API
        import gc

        gc.enable()  # (`entry._serve` turned it off for the fork, which Lambda never does)
        from zigttp.aws.runtime_loop import run_lambda

        return run_lambda(handler, inline, config.with_changes(pool_size=options.get("pool_size") or 1))
    if config.modules:  # registered before compiling: the front end checks imports against them
        from zigttp.modules._loader import load_modules

        load_modules(config.modules)
    if config.trace_file:
        from zigttp.testing.trace import truncate_trace

        truncate_trace(config.trace_file)
    from zigttp.runtime.handler import compile_entry

    compiled = compile_entry(handler, inline)
    _print_warnings(compiled.diagnostics)
    from zigttp.server.supervisor import Supervisor  # even for one worker: the watchdog

    return Supervisor(config, compiled).run()


def _print_warnings(diagnostics: tuple[Any, ...]) -> None:
    if not diagnostics:
        return
    from zigttp.diagnostics import render

    for diagnostic in diagnostics:
        sys.stderr.write(render(diagnostic, color=sys.stderr.isatty()) + "\n")
