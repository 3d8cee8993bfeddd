"""`python APP.pyz`: serve a built artifact on the shortest import path.

Without arguments the archive is served exactly as `zigttp serve APP.pyz` would serve it
(zigttp.json defaults, `PORT` and `ZIGTTP_WORKERS` from the environment) but without loading
the command-line parser, which is a noticeable share of a cold start; with arguments they are
parsed as `zigttp serve APP.pyz ARGS` would parse them (`python APP.pyz --port 9000 -q`).
"""

from __future__ import annotations

import gc
import os
import sys

gc.disable()  # (as `entry._serve` does: the collector is off until the workers fork, Supervisor._spawn)

from zigttp import import_bundle  # noqa: E402

import_bundle.install("artifact")  # (import_bundle.py: the start path's modules from one file)

from zigttp.errors import UsageError, ZigttpError  # noqa: E402

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from typing import Any

ENVIRONMENT = {"PORT": "port", "ZIGTTP_WORKERS": "workers"}  # as the CLI's envvar= options


def main(archive: str, args: list[str]) -> None:
    if args:  # parsed as `zigttp serve APP.pyz ARGS` (click only for help and errors: entry.py)
        from zigttp.entry import main as entry_main

        entry_main(["serve", archive, *args])
        return
    from zigttp.commands.serve import run_serve
    from zigttp.diagnostics import report_error

    try:
        options = environment_options(os.environ)
        sys.exit(run_serve(archive, None, options, explicit=set(options)))
    except ZigttpError as exc:
        sys.exit(report_error(exc))


def environment_options(environ: dict[str, str] | os._Environ[str]) -> dict[str, Any]:
    """The serve options the environment sets, validated like their flags."""
    options: dict[str, Any] = {}
    for variable, name in ENVIRONMENT.items():
        text = environ.get(variable, "")
        if not text:
            continue
        if not text.isdigit():
            raise UsageError(f"{variable}={text!r} is not a number")
        options[name] = int(text)
    if options.get("port", 0) > 65535:
        raise UsageError(f"PORT={options['port']} is out of range (0..65535)")
    if options.get("workers", 1) < 1:
        raise UsageError("ZIGTTP_WORKERS must be at least 1")
    return options
