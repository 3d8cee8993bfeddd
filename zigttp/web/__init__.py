"""The host side of the web-platform API: Python functions the JS classes call by name.

The JS of the web API lives in `runtime/js/web/*.js`; each file evaluates to
`function (hooks)` and calls `hooks.native("area.name", ...args)` where a well-kept Python
library does the work better than JS would (hashing, URL parsing, compression, ...).
Values cross as plain data (native/engine/values.c): str, int/float, bool, None, bytes,
list, dict. A function signals a JS-visible error by raising `NativeError(js_type, message)`
(`js_type` "TypeError", "RangeError", or a DOMException name the JS maps); anything else it
raises is a zigttp bug, printed with its traceback, and the JS caller gets an InternalError.

Register functions with `@native("area.name")` in a module of this package and list the
module in `_AREAS`: they are imported on first use, so serve's start-up does not pay for
what a handler never calls. A function that keeps host objects between calls (a zlib
stream) registers with `stateful=True` and gets the calling runtime's `HostState` first:
each runtime has its own (`JsRuntime` makes it), so its handles die with the runtime.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    NativeFunction = Callable[..., Any]
_REGISTRY: dict[str, NativeFunction] = {}
_STATEFUL: set[str] = set()
_AREAS = {  # "area" of "area.name" → the module defining it
    "random": "zigttp.web.random",
    "platform": "zigttp.web.platform",
    "encoding": "zigttp.web.encoding",
    "url": "zigttp.web.url",
    "urlpattern": "zigttp.web.urlpattern",
    "fetch": "zigttp.web.fetch",
    "data": "zigttp.web.data_url",
    "compression": "zigttp.web.compression",
    "hash": "zigttp.web.hashing",
    "aes": "zigttp.web.aes",
    "ec": "zigttp.web.ec",
    "rsa": "zigttp.web.rsa",
    "form": "zigttp.web.form",
    "task": "zigttp.web.tasks",
}


class HostState:
    """One runtime's host-side objects, by integer handle (what JS holds instead of them)."""

    def __init__(self) -> None:
        self.handles: dict[int, Any] = {}
        self._next = 1
        self.tasks: Any = None  # web.tasks.TaskSet, made by the first host task (fetch)
        self.watch: Callable[[int], None] | None = None  # Runtime.watch: wake the loop on a fd

    def add(self, value: Any) -> int:
        handle, self._next = self._next, self._next + 1
        self.handles[handle] = value
        return handle

    def get(self, handle: Any, what: str) -> Any:
        value = self.handles.get(handle) if isinstance(handle, int) else None
        if value is None:
            raise NativeError("TypeError", f"{what}: the stream is closed")
        return value

    def count(self, kind: type) -> int:
        return sum(1 for value in self.handles.values() if isinstance(value, kind))


class NativeError(Exception):
    """A failure the handler sees as a JS error named `js_type`."""

    def __init__(self, js_type: str, message: str) -> None:
        super().__init__(f"{js_type}: {message}")
        self.js_type = js_type
        self.message = message


def native(name: str, *, stateful: bool = False) -> Callable[[NativeFunction], NativeFunction]:
    def register(function: NativeFunction) -> NativeFunction:
        _REGISTRY[name] = function
        if stateful:
            _STATEFUL.add(name)
        return function

    return register


def call_native(name: str, args: tuple[Any, ...], state: HostState | None = None) -> Any:
    """The engine's `native` hook: run one registered function (stateful ones get `state`)."""
    function = _REGISTRY.get(name)
    if function is None:
        area = _AREAS.get(name.partition(".")[0])
        if area is not None:
            import importlib  # (here: importlib brings warnings, ~0.5 ms of a cold start)

            importlib.import_module(area)
            function = _REGISTRY.get(name)
    if function is None:
        raise NativeError("TypeError", f"unknown native function {name!r}")
    if name in _STATEFUL:
        if state is None:
            raise NativeError("TypeError", f"{name} needs a runtime's host state")
        args = (state, *args)
    try:
        return function(*args)
    except TypeError as exc:
        if getattr(exc, "__traceback__", None) is not None and exc.__traceback__.tb_next is None:
            raise NativeError("TypeError", f"{name}: {exc}") from None  # wrong arguments from JS
        raise
