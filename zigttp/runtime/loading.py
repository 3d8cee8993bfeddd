"""Building a server's handler from its config: the part of a start every host shares.

`zigttp serve`'s workers (`server.lifecycle`), `zigttp dev`'s reloads, the embedding
`Runtime` and `zigttp lambda` all compile the handler and load it with the config's module
context and limits the same way. Here rather than in `server.lifecycle` so that the hosts
without an HTTP server (Lambda, embedding) do not import the server's modules to get it
(~10 M instructions of a Lambda cold start).
"""

from __future__ import annotations

import os

from zigttp.modules import ModuleContext
from zigttp.runtime.handler import LoadedHandler, load_handler
from zigttp.runtime.limits import RuntimeLimits
from zigttp.state_dir import create_state_dir

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:  # the front end stays off the import path of a served artifact
    from pathlib import Path

    from zigttp.config import ServerConfig
    from zigttp.frontend.pipeline import CompiledHandler
    from zigttp.log import ServerLog


def build_handler(
    source: CompiledHandler, config: ServerConfig, log: ServerLog, state_dir: str | None = None
) -> LoadedHandler:
    from zigttp.modules._loader import load_modules

    if state_dir is None:
        state_dir = create_state_dir()
    from zigttp.web import outbound

    outbound.configure(config.outbound_hosts, config.outbound_timeout_ms)  # the global fetch()'s
    options = {**config.module_options(), "log_sink": log.module_log}
    context = ModuleContext(state_dir=state_dir, options=options)
    return load_handler(
        source,
        RuntimeLimits.from_config(config),
        module_context=context,
        extra_modules=load_modules(config.modules),
        console=log.console,
    )


def compile_handler(handler: CompiledHandler | str | Path, config: ServerConfig) -> CompiledHandler:
    """Register the configured modules (the front end checks imports against them), compile."""
    if config.modules:
        from zigttp.modules._loader import load_modules

        load_modules(config.modules)
    return _compile(handler)


def _compile(handler: CompiledHandler | str | Path) -> CompiledHandler:
    if not isinstance(handler, (str, os.PathLike)):  # already compiled
        return handler
    from zigttp.runtime.handler import compile_entry

    text = str(handler)
    if isinstance(handler, os.PathLike) or os.path.splitext(text)[1] in (
        ".js",
        ".ts",
        ".jsx",
        ".tsx",
        ".zgt",
        ".pyz",
    ):
        return compile_entry(text, None)
    return compile_entry(None, text)
