"""The `zigttp` command's entry point: `serve` and `lambda` without click on the common path.

Why: click is ~100 M instructions of a cold start (bench/README.md, item 3), and the usual
`zigttp serve handler.ts -p 8080 -q` needs none of it. `parse_serve` reads such a command line
from `serve_options.SERVE_OPTIONS`, the table click's `serve` is built from (`lambda`: from
`LAMBDA_OPTIONS`), with click's
semantics (`--opt value`, `--opt=value`, `-p 8080`, `-p8080`, repeatable options, the same
environment variables, the last value of a repeated option wins); anything else (`--help`,
`--version`, an unknown flag, a value out of range, `--replay`, any other command) goes to
the click CLI, so help and every error message are click's, word for word.
"""

from __future__ import annotations

import gc
import os
import sys

from zigttp import import_bundle

if sys.argv[1:2] in (["serve"], ["lambda"]):  # (the commands that start servers: import_bundle.py)
    import_bundle.install(sys.argv[1])

from zigttp.errors import ZigttpError  # (from the bundle, when there is one)
from zigttp.serve_options import HANDLER_ENV, LAMBDA_OPTIONS, SERVE_OPTIONS, Opt

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Parsed = tuple[str | None, str | None, dict[str, Any], set[str]]  # handler, inline, options, explicit
    Environ = os._Environ[str] | dict[str, str]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    lean = _LEAN.get(args[0]) if args else None
    if lean is not None:
        from zigttp.config import with_upstream_env

        with_upstream_env(os.environ)  # ZTTP_* works wherever ZIGTTP_* does (before the env is read)
        parse, run = lean
        parsed = parse(args[1:], os.environ)
        if parsed is not None:
            sys.exit(_mapped(run, *parsed))
    from zigttp.cli import main as cli_main

    cli_main(args)


def _serve(handler: str | None, inline: str | None, options: dict[str, Any], explicit: set[str]) -> int:
    """What `cli.serve` does with the parsed values. The collector is off until the workers
    fork (`Supervisor._spawn` says why; `run_serve` turns it on where it does not fork)."""
    gc.disable()
    from zigttp.commands.serve import run_serve

    return run_serve(handler, inline, options, explicit=explicit)


def _lambda(handler: str | None, inline: str | None, options: dict[str, Any], _explicit: set[str]) -> int:
    """What `cli.lambda_` does with the parsed values."""
    from zigttp.aws.runtime_loop import lambda_config, run_lambda

    return run_lambda(handler, inline, lambda_config(options))


def _mapped(command: Callable[..., int], *args: Any) -> int:
    """`command(*args)` with `cli.main`'s error mapping."""
    try:
        return command(*args)
    except ZigttpError as exc:
        from zigttp.diagnostics import report_error

        return report_error(exc)
    except KeyboardInterrupt:  # (click turns it into Abort: a new line, exit 130)
        sys.stderr.write("\n")
        return 130


def parse_serve(args: list[str], environ: Environ) -> Parsed | None:
    """`serve`'s arguments as click would parse them, or None for click to handle."""
    parsed = _parse(args, environ, SERVE_OPTIONS, HANDLER_ENV)
    if parsed is not None:
        parsed[2].pop("replay")
    return parsed


def parse_lambda(args: list[str], environ: Environ) -> Parsed | None:
    """`lambda`'s arguments as click would parse them, or None for click to handle."""
    return _parse(args, environ, LAMBDA_OPTIONS, None)


def _parse(
    args: list[str], environ: Environ, table: tuple[Opt, ...], handler_env: str | None
) -> Parsed | None:
    """A command's HANDLER and `table`'s options, or None where click must answer."""
    by_flag = {flag: opt for opt in table for flag in opt.flags}
    given: dict[str, Any] = {}
    handler: str | None = None
    position = 0
    while position < len(args):
        token = args[position]
        position += 1
        if not token.startswith("-") or token == "-":
            if handler is not None or not _path_ok(token, "file"):
                return None  # (click: "Got unexpected extra argument", "is a directory")
            handler = token
            continue
        opt, text, position = _option(by_flag, token, args, position)
        if opt is None or opt.name == "replay":
            return None
        value = _convert(opt, text)
        if value is None:
            return None
        if opt.multiple:
            given[opt.name] = (*given.get(opt.name, ()), value)
        else:
            given[opt.name] = value
    explicit = set(given)
    if handler is None and handler_env and environ.get(handler_env):
        handler = environ[handler_env]
        if not _path_ok(handler, "file"):
            return None
    if handler is not None:
        explicit.add("handler")
    for opt in table:
        if opt.name in given:
            continue
        if opt.envvar and environ.get(opt.envvar):
            value = _convert(opt, environ[opt.envvar])
            if value is None:
                return None
            given[opt.name] = value
            explicit.add(opt.name)
        else:
            given[opt.name] = _default(opt)
    inline = given.pop("inline")
    return handler, inline, given, explicit


def _option(
    by_flag: dict[str, Opt], token: str, args: list[str], position: int
) -> tuple[Opt | None, str | None, int]:
    """The option `token` names, its value text (None for a flag), and the next position."""
    if token.startswith("--"):
        name, equals, inline_value = token.partition("=")
        opt = by_flag.get(name)
        if opt is None or (opt.kind == "flag" and equals):
            return None, None, position
        if opt.kind == "flag":
            return opt, None, position
        if equals:
            return opt, inline_value, position
    else:
        opt = by_flag.get(token[:2])
        if opt is None:
            return None, None, position
        if opt.kind == "flag":
            return (opt, None, position) if len(token) == 2 else (None, None, position)
        if len(token) > 2:
            return opt, token[2:], position  # -p8080
    if position >= len(args):
        return None, None, position  # (click: "Option requires an argument")
    return opt, args[position], position + 1


def _convert(opt: Opt, text: str | None) -> Any:
    """The value click's type for `opt` gives `text`; None where click would refuse it."""
    if opt.kind == "flag":
        return True
    assert text is not None
    try:
        if opt.kind == "int":
            value: Any = int(text)
        elif opt.kind == "float":
            value = float(text)
        elif opt.kind == "size":
            from zigttp.config import parse_size

            return parse_size(text)
        elif opt.kind == "choice":
            return text if text in opt.choices else None
        elif opt.kind == "str":
            return text
        else:
            return text if _path_ok(text, opt.kind) else None
    except (ValueError, ZigttpError):  # (parse_size raises UsageError)
        return None
    if opt.low is not None and (value < opt.low or (opt.low_open and value == opt.low)):
        return None
    if opt.high is not None and value > opt.high:
        return None
    return value


def _path_ok(text: str, kind: str) -> bool:
    """click.Path(dir_okay=kind == "dir", file_okay=kind == "file"): a path that need not exist,
    but if it does, of that kind and readable."""
    import stat

    try:
        mode = os.stat(text).st_mode
    except OSError:
        return bool(text)
    if stat.S_ISDIR(mode) if kind == "file" else stat.S_ISREG(mode):
        return False
    return os.access(text, os.R_OK)


def _default(opt: Opt) -> Any:
    if opt.kind == "size" and opt.default is not None:
        from zigttp.config import parse_size

        return parse_size(opt.default)
    return opt.default


_LEAN = {"serve": (parse_serve, _serve), "lambda": (parse_lambda, _lambda)}  # command → (parse, run)
