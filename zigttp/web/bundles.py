"""The web API's lazily loaded parts: bytecode the JS side evaluates on first use.

`hooks.native("web.bytecode", "streams")` returns the compiled scripts of
runtime/js/web/streams/ (compiled once per process by engine.lazy_bytecode); the stub
web/30-streams.js evaluates them the first time a handler touches a stream class, so a
runtime's build does not pay ~0.7 ms for classes most handlers never use.
"""

from __future__ import annotations

from zigttp.web import NativeError, native

_GROUPS = frozenset({"streams"})


@native("web.bytecode")
def bytecode(group: str) -> list[bytes]:
    if group not in _GROUPS:
        raise NativeError("TypeError", f"web.bytecode: unknown group {group!r}")
    from zigttp.runtime.engine import lazy_bytecode  # the engine imports this package

    return list(lazy_bytecode(group))
