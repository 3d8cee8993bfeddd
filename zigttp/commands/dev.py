"""`zigttp dev [HANDLER]`: serve with live reload and a status line.

Serves like `zigttp serve` (same options, zigttp.json defaults) from one process, and reloads
on save (`server.reload`). On a terminal a `rich` live status line sits under the log:

    ● handler.js  reload #3 ok at 11:32:05 (14 ms)  0 warnings  requests 42 (2xx 40 4xx 1 5xx 1)

Without a terminal (or with `--no-status`) each reload prints one plain line instead:

    Reloaded handler.js in 14.2 ms (reload #3)
    Reload failed at 11:32:10; still serving the previous version: <diagnostics>
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from typing import Any, TextIO

from zigttp.commands.serve import config_from_options, resolve_options
from zigttp.errors import UsageError
from zigttp.log import ServerLog
from zigttp.server.reload import Reloader, ReloadResult, file_stamps


class DevStatus:
    """What the status line shows; also prints each reload's outcome to the log."""

    def __init__(self, entry: str, log: ServerLog, color: bool) -> None:
        self.entry = entry
        self.log = log
        self.color = color
        self.last: ReloadResult | None = None
        self.reloads = 0
        self.server: Any = None

    def report(self, result: ReloadResult) -> None:
        self.last = result
        if result.ok:
            self.reloads += 1
            self.log.info(f"Reloaded {self.entry} in {result.seconds * 1000:.1f} ms (reload #{self.reloads})")
            for diagnostic in result.diagnostics:
                self.log.info(self._render(diagnostic))
            return
        when = time.strftime("%H:%M:%S", time.localtime(result.at))
        detail = "\n".join(self._render(d) for d in result.diagnostics) or result.error
        self.log.info(f"Reload failed at {when}; still serving the previous version:\n{detail}")

    def _render(self, diagnostic: Any) -> str:
        from zigttp.diagnostics import render

        return render(diagnostic, color=self.color)

    def line(self) -> str:
        requests = self._requests()
        if self.last is None:
            state = "[green]●[/] watching"
        elif self.last.ok:
            when = time.strftime("%H:%M:%S", time.localtime(self.last.at))
            state = f"[green]●[/] reload #{self.reloads} ok at {when} ({self.last.seconds * 1000:.0f} ms)"
        else:
            when = time.strftime("%H:%M:%S", time.localtime(self.last.at))
            errors = sum(1 for d in self.last.diagnostics if d.is_error) or 1
            state = f"[red]✗[/] reload failed at {when} ({errors} error(s)); serving previous version"
        warnings = sum(1 for d in (self.last.diagnostics if self.last else ()) if not d.is_error)
        return f"{state}  [dim]{self.entry}[/]  {warnings} warning(s)  requests {requests}"

    def _requests(self) -> str:
        dispatcher = getattr(self.server, "dispatcher", None)
        if dispatcher is None:
            return "0"
        by_class: dict[str, int] = {}
        for status, count in dict(dispatcher.requests.by_status).items():
            key = f"{status // 100}xx"
            by_class[key] = by_class.get(key, 0) + count
        detail = " ".join(f"{k} {v}" for k, v in sorted(by_class.items()))
        return f"{dispatcher.requests.count}" + (f" ({detail})" if detail else "")


class _ConsoleStream:
    """A text stream that prints through a rich Console, so lines land above the live line."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def write(self, text: str) -> int:
        self.console.print(text.rstrip("\n"), markup=False, highlight=False, soft_wrap=True)
        return len(text)

    def flush(self) -> None:
        pass


def run_dev(
    handler: str | None,
    options: dict[str, Any],
    *,
    explicit: set[str],
    status_line: bool = True,
    stream: TextIO | None = None,
) -> int:
    handler, options = resolve_options(handler, options, explicit)
    if handler is None:
        raise UsageError('no handler: run `zigttp dev handler.js` or set "handler" in zigttp.json')
    options["workers"] = 1  # one process: the reloader swaps its pool in place
    config = config_from_options(options).with_changes(inline_lane=False)

    from zigttp.runtime.handler import compile_entry
    from zigttp.server.lifecycle import Server

    if config.modules:  # as in serve: registered before compiling
        from zigttp.modules._loader import load_modules

        load_modules(config.modules)
    stamps = file_stamps({os.path.realpath(handler)})
    compiled = compile_entry(handler, None)
    stamps = file_stamps({os.path.realpath(p) for p in (*compiled.files, handler)}) | stamps
    live = status_line and sys.stderr.isatty()
    console = _rich_console() if live else None
    log_stream = _ConsoleStream(console) if console is not None else (stream or sys.stderr)
    log = ServerLog(log_stream, access=not config.quiet, fmt=config.log_format)  # type: ignore[arg-type]
    status = DevStatus(handler, log, color=live)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # before the banner: a quick stop is clean too
        signal.signal(signum, lambda *_: stop.set())
    server = Server(compiled, config, log=log)
    server.start()
    status.server = server
    print(server.banner("dev: live reload"), flush=True)
    reloader = Reloader(server, handler, status.report, stamps=stamps)
    try:
        if console is not None:
            _watch_with_status_line(reloader, stop, status, console)
        else:
            reloader.watch(stop)
    finally:
        server.stop()
    return 0


def _rich_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _watch_with_status_line(
    reloader: Reloader, stop: threading.Event, status: DevStatus, console: Any
) -> None:
    from rich.live import Live
    from rich.text import Text

    with Live(
        get_renderable=lambda: Text.from_markup(status.line()),
        console=console,
        refresh_per_second=4,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ):
        reloader.watch(stop)
