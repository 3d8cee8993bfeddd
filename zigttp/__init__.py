"""zigttp: a serverless JavaScript/TypeScript runtime on a pool of isolated quickjs-ng contexts.

The public API is imported lazily so that `zigttp serve` keeps a lean import path:

* `ServerConfig` — every knob of `zigttp serve`;
* `Server(handler, config)` — serve over HTTP (`start()`/`stop()` or `serve_forever()`);
* `Runtime(handler, config)` — call the handler in-process: `handle(method, url, headers, body)`;
* `Response` — what `Runtime.handle` returns;
* `native("zigttp:NAME")` — expose Python functions to handlers as a virtual module;
* `ModuleSpec`, `ModuleTypeError` — the module contract shared with the built-in modules.
"""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from typing import Any

    from zigttp.config import ServerConfig
    from zigttp.modules import ModuleSpec, ModuleTypeError
    from zigttp.modules._native import native
    from zigttp.runtime.api import Response, Runtime
    from zigttp.server.lifecycle import Server

__all__ = [
    "ModuleSpec",
    "ModuleTypeError",
    "Response",
    "Runtime",
    "Server",
    "ServerConfig",
    "__version__",
    "native",
]

_LAZY = {
    "ServerConfig": "zigttp.config",
    "Server": "zigttp.server.lifecycle",
    "Runtime": "zigttp.runtime.api",
    "Response": "zigttp.runtime.api",
    "native": "zigttp.modules._native",
    "ModuleSpec": "zigttp.modules",
    "ModuleTypeError": "zigttp.modules",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'zigttp' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
