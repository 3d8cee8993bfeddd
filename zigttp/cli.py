"""The `zigttp` and `zigts` commands: parse flags, call one function per command, map errors.

No logic lives here (javy's thin CLI): every option lands in `ServerConfig` or in the command's
own function, and `ZigttpError.exit_code` decides the exit status in one place (`main`).
Imports of heavy modules happen inside the commands so `zigttp serve` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from zigttp import __version__
from zigttp.config import with_upstream_env
from zigttp.errors import UsageError, ZigttpError
from zigttp.serve_options import HANDLER_ENV, LAMBDA_OPTIONS, SERVE_OPTIONS, Opt

CONTEXT = {"help_option_names": ["--help"], "max_content_width": 100}


class SizeType(click.ParamType):
    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        from zigttp.config import parse_size

        try:
            return parse_size(str(value))
        except UsageError as exc:
            self.fail(str(exc), param, ctx)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="zigttp")
def cli() -> None:
    """zigttp: serve a JavaScript/TypeScript handler from a pool of isolated quickjs-ng runtimes."""


def _click_type(opt: Opt) -> click.ParamType | None:
    if opt.kind == "int":
        return click.IntRange(min=opt.low, max=opt.high)
    if opt.kind == "float":
        return click.FloatRange(min=opt.low, max=opt.high, min_open=opt.low_open)
    if opt.kind == "size":
        return SizeType()
    if opt.kind == "choice":
        return click.Choice(list(opt.choices))
    if opt.kind in ("file", "dir"):
        return click.Path(dir_okay=opt.kind == "dir", file_okay=opt.kind == "file")
    return None  # str


def _options(table: tuple[Opt, ...]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a command with the click form of every `Opt` in `table` (in table order)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for opt in reversed(table):
            extra: dict[str, Any] = {"help": opt.help}
            if opt.kind == "flag":
                extra.update(is_flag=True, default=opt.default)
            else:
                extra.update(type=_click_type(opt), default=opt.default, multiple=opt.multiple)
                extra.update(show_default=opt.show_default, metavar=opt.metavar, envvar=opt.envvar)
            command = click.option(*opt.flags, opt.name, **extra)(command)
        return command

    return decorate


@cli.command(context_settings=CONTEXT)
@click.argument("handler", required=False, type=click.Path(dir_okay=False), envvar=HANDLER_ENV)
@_options(SERVE_OPTIONS)
@click.pass_context
def serve(
    ctx: click.Context, handler: str | None, inline: str | None, replay: str | None, **options: Any
) -> None:
    """Serve HANDLER (.js .ts .jsx .tsx, or a .pyz from `zigttp build`) or inline code (-e).

    Defaults come from zigttp.json in this or a parent directory; flags override it."""
    if replay is not None:
        from zigttp.commands.test import run_test

        sys.exit(
            run_test((replay, handler) if handler else (replay,), modules=tuple(options.get("modules", ())))
        )
    from zigttp.commands.serve import run_serve
    from zigttp.project import explicit_params

    sys.exit(run_serve(handler, inline, options, explicit=explicit_params(ctx)))


@cli.command(context_settings=CONTEXT)
@click.argument("handler", required=False, type=click.Path(dir_okay=False))
@click.option("--no-status", is_flag=True, help="Plain reload lines instead of the live status line.")
@click.pass_context
def dev(ctx: click.Context, handler: str | None, no_status: bool, **options: Any) -> None:
    """Serve HANDLER with live reload: recompile on save, swap the pool, keep serving on errors.

    Takes every `serve` option; defaults come from zigttp.json as for `serve`."""
    from zigttp.commands.dev import run_dev
    from zigttp.project import explicit_params

    sys.exit(run_dev(handler, options, explicit=explicit_params(ctx), status_line=not no_status))


dev.params.extend(p for p in serve.params if p.name not in ("handler", "inline", "workers", "replay"))


@cli.command(context_settings=CONTEXT)
@click.argument("name")
@click.option(
    "-t",
    "--template",
    type=click.Choice(["basic", "api", "htmx"]),
    default="basic",
    show_default=True,
    help="Project template.",
)
def init(name: str, template: str) -> None:
    """Create project NAME: handler, fixtures, public/, zigttp.json, README."""
    from zigttp.commands.init import run_init

    sys.exit(run_init(name, template))


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "json_output", is_flag=True, help="Machine-readable diagnostics.")
@click.option(
    "--profile",
    type=click.Choice(["default", "strict", "portable"]),
    default="default",
    show_default=True,
    help="Rule set: the seed's subset, or the stricter later one "
    "(portable = strict: the original zigttp's restrictions).",
)
@click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="FILE.py|MODULE",
    help="User-defined zigttp:* modules the handler imports; repeatable.",
)
def check(files: tuple[str, ...], json_output: bool, profile: str, modules: tuple[str, ...]) -> None:
    """Run the front end and subset analyzer on FILES: exit 0 clean, 1 errors, 2 warnings."""
    from zigttp.frontend.check import run_check
    from zigttp.modules._loader import load_modules

    load_modules(modules)

    sys.exit(run_check(list(files), json_output=json_output, profile=profile, color=sys.stderr.isatty()))


@cli.command("lambda", context_settings=CONTEXT)
@click.argument("handler", required=False, type=click.Path(dir_okay=False))
@_options(LAMBDA_OPTIONS)
def lambda_(handler: str | None, inline: str | None, **options: Any) -> None:
    """Run HANDLER as an AWS Lambda custom runtime (Runtime API; API Gateway v1/v2, Function URLs).

    Also selected by `zigttp serve` when AWS_LAMBDA_RUNTIME_API is set. ZIGTTP_* environment
    variables (ZIGTTP_POOL, ZIGTTP_MEMORY, ...) configure it too; flags win.
    """
    from zigttp.aws.runtime_loop import lambda_config, run_lambda

    sys.exit(run_lambda(handler, inline, lambda_config(options)))


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "json_output", is_flag=True, help="Machine-readable results on stdout.")
@click.option("--strict-io", is_flag=True, help="Module-call divergences fail the test.")
@click.option("--watch", is_flag=True, help="Rerun when a fixture or handler changes.")
@click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="FILE.py|MODULE",
    help="Load user-defined zigttp:* modules (as for serve); repeatable.",
)
def test(
    paths: tuple[str, ...], json_output: bool, strict_io: bool, watch: bool, modules: tuple[str, ...]
) -> None:
    """Run declarative fixtures: zigttp test [FIXTURE.jsonl] [HANDLER].

    Without arguments, finds every *.test.jsonl under the current directory and pairs it with
    the handler next to it (foo.test.jsonl -> foo.ts|tsx|js|jsx). Exit 0 all passed, 1 any
    failed, 2 invalid fixture.
    """
    from zigttp.commands.test import run_test

    sys.exit(run_test(paths, json_output=json_output, strict_io=strict_io, watch=watch, modules=modules))


@cli.command(context_settings=CONTEXT)
@click.argument("handler", type=click.Path(dir_okay=False), required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Artifact path (default: HANDLER's name with .pyz, in the current directory).",
)
def build(handler: str | None, output: str | None) -> None:
    """Precompile HANDLER into one artifact that `zigttp serve` (or `python OUT.pyz`) runs.

    Without HANDLER, the `handler` of zigttp.json in this or a parent directory."""
    from zigttp.commands.build import run_build

    sys.exit(run_build(handler, output))


@cli.command(context_settings=CONTEXT)
@click.argument("parts", nargs=-1, type=click.Choice(["engine", "http", "coldstart"]))
@click.option("--quick", is_flag=True, help="Short runs (seconds, not minutes): a smoke test.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write results as JSON.")
@click.option(
    "--check",
    "check_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fail (exit 1) when a ratio to Node drops >10% below this baseline JSON.",
)
@click.option(
    "--duration",
    "seconds",
    type=click.FloatRange(min=1),
    default=10,
    show_default=True,
    help="Seconds of load per HTTP endpoint.",
)
@click.option("--connections", type=click.IntRange(min=1), default=50, show_default=True)
def bench(
    parts: tuple[str, ...],
    quick: bool,
    json_path: str | None,
    check_path: str | None,
    seconds: float,
    connections: int,
) -> None:
    """Benchmarks against Node, Deno and Bun: engine, http, coldstart (default: all)."""
    from zigttp.commands.bench import run_bench

    sys.exit(
        run_bench(
            parts,
            quick=quick,
            json_path=json_path,
            check_path=check_path,
            seconds=seconds,
            connections=connections,
        )
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point of `zigttp`: maps our typed errors to exit codes in one place."""
    with_upstream_env(os.environ)  # ZTTP_* works wherever ZIGTTP_* does (inherited by workers)
    try:
        cli.main(args=argv, prog_name="zigttp", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _explain(exc).show()
        sys.exit(2)
    except click.Abort:
        sys.exit(130)
    except ZigttpError as exc:
        from zigttp.diagnostics import report_error

        sys.exit(report_error(exc))


def _explain(exc: click.ClickException) -> click.ClickException:
    """`-h` is `--host` (as in the original zigttp), so a bare `zigttp serve -h` asking for help
    gets told where help is instead of click's `Option '-h' requires an argument.`"""
    if isinstance(exc, click.BadOptionUsage) and exc.option_name == "-h":
        return click.UsageError(
            "-h is --host and needs an address (e.g. -h 0.0.0.0); for help use --help", exc.ctx
        )
    return exc


def zigts_main() -> None:
    """`zigts check FILE...` (and `zigts FILE...`) is `zigttp check`."""
    args = sys.argv[1:]
    if args and args[0] == "check":
        args = args[1:]
    main(["check", *args])
