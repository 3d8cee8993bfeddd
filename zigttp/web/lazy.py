"""Bytecode of the web API's lazily loaded parts (`runtime/js/web/lazy/*.js`).

The eager files (`runtime/js/web/*.js`) run in every runtime and define only the globals'
shells; the algorithms behind them (crypto.subtle's) live in `lazy/`, which a runtime
asks for with `hooks.native("web.module", name)` on first use and runs with `hooks.load`.
Each is compiled once per process (stripped of source, like the eager files), so a
runtime that never calls crypto.subtle pays nothing for it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from zigttp.web import NativeError, native

LAZY = Path(__file__).parent.parent / "runtime" / "js" / "web" / "lazy"


@cache
def _bytecode(name: str) -> bytes:
    from zigttp.runtime.engine import compile_script

    return compile_script((LAZY / f"{name}.js").read_text("utf-8"), f"zigttp:web/{name}", strip_source=True)


@native("web.module")
def module(name: str) -> bytes:
    known = isinstance(name, str) and name.replace("-", "").isalnum() and (LAZY / f"{name}.js").is_file()
    if not known:
        raise NativeError("TypeError", f"web.module: no lazy web module {name!r}")
    return _bytecode(name)
