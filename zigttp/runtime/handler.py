"""A loaded handler: compiled code + its module bridge, able to build fresh runtimes.

`load_handler` is where the three sources meet: a handler file (.js/.ts/.jsx/.tsx, run through
the front end), inline `-e` code, or a built artifact. Everything downstream (pool, server,
fixtures, embedding) only sees a `LoadedHandler`.
"""

from __future__ import annotations

import os
import sys

from zigttp.errors import HandlerError, HandlerLoadError, MemoryLimitExceeded
from zigttp.lean import cached_property
from zigttp.modules import ModuleContext, find_module
from zigttp.records import field, record
from zigttp.runtime.bridge import ModuleBridge
from zigttp.runtime.engine import CompileFailure, JsRuntime, handler_bytecode
from zigttp.runtime.limits import RuntimeLimits
from zigttp.runtime.marshal import map_stack

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:  # the front end stays off the import path of a served artifact
    from collections.abc import Callable
    from pathlib import Path

    from zigttp.frontend.pipeline import CompiledHandler
    from zigttp.modules import ModuleSpec
    from zigttp.runtime.bridge import IoTap
    from zigttp.runtime.pool import Slot

    ConsoleWriter = Callable[[str, str, str], None]  # (level, request_id, text)


def stderr_console(level: str, request_id: str, text: str) -> None:
    sys.stderr.write(f"[{request_id}] console.{level}: {text}\n")


@record
class LoadedHandler:
    compiled: CompiledHandler
    limits: RuntimeLimits
    bridge: ModuleBridge
    console: ConsoleWriter = stderr_console
    taps: dict[int, IoTap | None] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.compiled.filename

    @cached_property
    def bytecode(self) -> bytes:
        """The handler compiled once per load (see `bytecode_of`)."""
        return bytecode_of(self.compiled)

    def new_runtime(self, slot: Slot | None = None) -> JsRuntime:
        """Build one runtime; call it on the thread that will own it."""
        slot_index = slot.index if slot is not None else -1

        def console(level: str, text: str) -> None:
            try:
                request_id = slot.request_id if slot is not None else "-"
                self.console(level, request_id, map_stack(str(text), self.compiled.frame))
            except Exception:  # a log sink failing must not fail the request
                pass

        host = self.bridge.host_function(
            lambda: self.taps.get(slot_index), getattr(slot, "note_effect", None)
        )
        try:
            return JsRuntime(
                self.bytecode,
                self.limits,
                console,
                host_function=host if self.bridge.exports else None,
                module_bytecode=self.bridge.bytecode,
                dispatch_timeout=getattr(slot, "time_bound", None),
            )
        except HandlerError as exc:
            detail = map_stack(str(exc), self.compiled.frame).rstrip()
            if isinstance(exc, MemoryLimitExceeded):
                detail += " while running its top level (raise -m/--memory, or allocate less at load)"
            raise HandlerLoadError(f"failed to load {self.name}: {detail}") from None


def bytecode_of(compiled: CompiledHandler) -> bytes:
    """The handler's bytecode: an artifact carries it, a restart reads it from the bytecode
    cache, else the engine compiles `code` (a refusal is a load error at file:line:col)."""
    if compiled.bytecode:
        return compiled.bytecode
    try:
        return handler_bytecode(compiled.code)
    except CompileFailure as failure:
        file, line = compiled.locate(failure.line)
        raise HandlerLoadError(
            f"failed to load {compiled.filename}: {file}:{line}:{failure.column}: "
            f"SyntaxError: {failure.message}"
        ) from None


def module_specs(compiled: CompiledHandler, extra: tuple[ModuleSpec, ...] = ()) -> list[ModuleSpec]:
    """The modules the handler imports, plus every explicitly configured one (always loaded, so
    `__zigttp_import("NAME")` works for them even when no import statement names them)."""
    specs = list(extra)
    configured = {spec.name for spec in extra}
    for name in compiled.modules:
        spec = None if name in configured else find_module(name)
        if spec is not None:
            specs.append(spec)
    return specs


def load_handler(
    compiled: CompiledHandler,
    limits: RuntimeLimits,
    *,
    module_context: ModuleContext | None = None,
    extra_modules: tuple[ModuleSpec, ...] = (),
    console: ConsoleWriter = stderr_console,
) -> LoadedHandler:
    if module_context is None:
        from zigttp.state_dir import create_state_dir  # swept once this process is gone

        module_context = ModuleContext(state_dir=create_state_dir())
    context = module_context
    bridge = ModuleBridge(module_specs(compiled, extra_modules), context)
    return LoadedHandler(compiled, limits, bridge, console)


def _is_artifact(file: str | Path) -> bool:
    from zigttp.build.artifact import is_artifact  # zipfile & co. only off the source path

    return is_artifact(file)


def compile_entry(path: str | None, inline: str | None) -> CompiledHandler:
    """Front end for `serve`: a file path, a built artifact (.pyz) or `-e` code."""
    if inline is not None:
        from zigttp.frontend.pipeline import compile_source

        return compile_source(inline, "<inline>", require_handler=True)
    assert path is not None
    file = path  # (a string: pathlib is ~9 ms of a cold start, bench/README.md)
    if not os.path.isfile(file):
        raise HandlerLoadError(f"handler file not found: {path}")
    if os.path.splitext(file)[1] not in (".js", ".jsx", ".ts", ".tsx") and _is_artifact(file):
        # built by `zigttp build`: verified, never parsed again
        from zigttp.build.artifact import load_artifact

        return load_artifact(file)
    from zigttp.frontend.pipeline import compile_file

    return compile_file(file, require_handler=True)  # no handler: refused at load (ZT107)
