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
what a handler never calls.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

NativeFunction = Callable[..., Any]
_REGISTRY: dict[str, NativeFunction] = {}
_AREAS = {  # "area" of "area.name" → the module defining it
    "random": "zigttp.web.random",
    "platform": "zigttp.web.platform",
    "encoding": "zigttp.web.encoding",
    "url": "zigttp.web.url",
    "urlpattern": "zigttp.web.urlpattern",
    "fetch": "zigttp.web.fetch",
    "body": "zigttp.web.multipart",
}


class NativeError(Exception):
    """A failure the handler sees as a JS error named `js_type`."""

    def __init__(self, js_type: str, message: str) -> None:
        super().__init__(f"{js_type}: {message}")
        self.js_type = js_type
        self.message = message


def native(name: str) -> Callable[[NativeFunction], NativeFunction]:
    def register(function: NativeFunction) -> NativeFunction:
        _REGISTRY[name] = function
        return function

    return register


def call_native(name: str, args: tuple[Any, ...]) -> Any:
    """The engine's `native` hook: run one registered function."""
    function = _REGISTRY.get(name)
    if function is None:
        area = _AREAS.get(name.partition(".")[0])
        if area is not None:
            importlib.import_module(area)
            function = _REGISTRY.get(name)
    if function is None:
        raise NativeError("TypeError", f"unknown native function {name!r}")
    try:
        return function(*args)
    except TypeError as exc:
        if getattr(exc, "__traceback__", None) is not None and exc.__traceback__.tb_next is None:
            raise NativeError("TypeError", f"{name}: {exc}") from None  # wrong arguments from JS
        raise
