"""Live reload for `zigttp dev`: watch the handler's files, recompile, swap the pool atomically.

* What is watched: `CompiledHandler.files` (the handler and everything it imports), via
  `watchfiles` (imported lazily; only `dev` needs it). The watch set is refreshed after every
  successful reload, so a newly imported file is watched too.
* On a change: `compile_file` (the front end, which runs the analyzer; errors raise
  `SourceError` with diagnostics), then a new pool is built and warmed next to the old one.
  Only when every runtime of the new pool loaded does `Dispatcher.swap_pool` switch new
  requests to it; requests already running finish on the old pool, which is closed once it is
  idle (after a short grace period for a request that picked the old pool just before the
  swap). Any failure (diagnostics, a top-level throw) leaves the previous version serving.
* Events can be missed (the watcher starts after the banner; some editors and file systems
  are quiet), so every half second the watched files' (mtime, size) are also compared with
  those of the last attempt: a difference reloads too.
* The dev server runs without the inline lane (`ServerConfig.inline_lane=False`): every
  runtime then lives on a pool thread, so a pool can be built and retired from this thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zigttp.diagnostics import Diagnostic
from zigttp.errors import SourceError, ZigttpError
from zigttp.frontend.pipeline import CompiledHandler, compile_file
from zigttp.runtime.pool import RuntimePool
from zigttp.server.lifecycle import Server, build_handler, start_pool

RETIRE_GRACE = 1.0  # seconds before an old pool is considered for closing
RETIRE_DEADLINE = 60.0  # an old pool still busy after this long is closed anyway
Stamps = dict[str, tuple[int, int]]


def file_stamps(paths: set[str] | tuple[str, ...]) -> Stamps:
    stamps = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            stamps[path] = (-1, -1)
        else:
            stamps[path] = (info.st_mtime_ns, info.st_size)
    return stamps


@dataclass
class ReloadResult:
    ok: bool
    at: float
    seconds: float
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str = ""
    changed: list[str] = field(default_factory=list)


class Reloader:
    def __init__(
        self,
        server: Server,
        entry: str,
        on_result: Callable[[ReloadResult], None] | None = None,
        stamps: Stamps | None = None,
    ) -> None:
        """`stamps`: the files' stamps taken just before the running version was compiled."""
        self.server = server
        self.entry = entry
        self.on_result = on_result or (lambda result: None)
        self.reloads = 0
        self.stamps = stamps if stamps is not None else file_stamps(self.watched())

    @property
    def compiled(self) -> CompiledHandler:
        return self.server.compiled

    def watched(self) -> set[str]:
        files = self.compiled.files or (self.entry,)
        return {os.path.realpath(path) for path in (*files, self.entry)}

    def reload(self, changed: list[str] | None = None) -> ReloadResult:
        started = time.perf_counter()
        self.stamps = file_stamps(self.watched())
        result = self._attempt(changed or [], started)
        self.on_result(result)
        return result

    def _attempt(self, changed: list[str], started: float) -> ReloadResult:
        def done(**fields: object) -> ReloadResult:
            return ReloadResult(
                at=time.time(), seconds=time.perf_counter() - started, changed=changed, **fields
            )  # type: ignore[arg-type]

        try:
            compiled = compile_file(Path(self.entry))
        except SourceError as exc:
            return done(ok=False, diagnostics=tuple(exc.diagnostics), error=str(exc))
        except OSError as exc:
            return done(ok=False, error=f"cannot read {self.entry}: {exc.strerror}")
        try:
            pool = self._build(compiled)
        except ZigttpError as exc:
            return done(ok=False, diagnostics=compiled.diagnostics, error=str(exc))
        old = self.server.dispatcher.swap_pool(pool, compiled.locate)
        self.server.compiled = compiled
        self.reloads += 1
        retire(old)
        return done(ok=True, diagnostics=compiled.diagnostics)

    def _build(self, compiled: CompiledHandler) -> RuntimePool:
        server = self.server
        handler = build_handler(compiled, server.config, server.log, server.state_dir)
        return start_pool(handler, server.config)

    def watch(self, stop: threading.Event, *, debounce_ms: int = 150) -> None:
        """Block until `stop` is set, reloading on every change of a watched file."""
        import watchfiles

        while not stop.is_set():
            files = self.watched()
            directories = sorted({os.path.dirname(path) for path in files})
            for changes in watchfiles.watch(
                *directories,
                stop_event=stop,
                debounce=debounce_ms,
                step=50,
                watch_filter=lambda _change, path, files=files: os.path.realpath(path) in files,
                raise_interrupt=False,
                rust_timeout=500,
                yield_on_timeout=True,
            ):
                if not changes and file_stamps(files) == self.stamps:
                    continue
                result = self.reload(sorted({path for _, path in changes}))
                if result.ok and self.watched() != files:
                    break  # the import graph changed: watch the new set


def retire(pool: RuntimePool) -> None:
    """Close `pool` once its in-flight requests are done (in the background)."""

    def wait_then_close() -> None:
        time.sleep(RETIRE_GRACE)
        deadline = time.monotonic() + RETIRE_DEADLINE
        while time.monotonic() < deadline and (pool.metrics.in_use > 0 or pool._waiters):
            time.sleep(0.05)
        pool.close()

    threading.Thread(target=wait_then_close, name="zigttp-retire", daemon=True).start()
