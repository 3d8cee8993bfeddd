"""The bridge between JS and the Python `zigttp:*` modules.

JS side: `__zigttp_import("NAME")` returns an object of shims; each shim sends its arguments as
one JSON string to the single host hook `host(id, argsJson)` and decodes the reply (the hook is
handed to the shims' closure by the engine, never put on globalThis):

    "o<json>"  a value            "u"  undefined
    "t<msg>"   throw TypeError    "e<msg>"  throw Error

The host function never raises: every failure becomes a reply (a `zigttp:*` error the handler
can catch), and only a bug in this module reaches the engine's hook as an exception.

Every call passes through an optional per-slot `IoTap` so fixtures can stub calls and traces
can record them: one mechanism for built-in and user-defined modules.
"""

from __future__ import annotations

import sys

from zigttp.lean import cache, cached_property
from zigttp.modules import ModuleContext, ModuleSpec, ModuleTypeError
from zigttp.records import record

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, Protocol

    class IoTap(Protocol):
        """Sees every module call of one slot: may answer it (stubs) or observe it (traces)."""

        def call(self, module: str, fn: str, args: list[Any], real: Callable[[], Any]) -> Any: ...


@cache
def _json_codec() -> tuple[Callable[[str], Any], Callable[[Any], str]]:
    """(loads, dumps) for module calls. Imported here, for a handler with modules only: json
    brings `re`, ~2 ms of a cold start. ASCII-only replies: a lone surrogate in a module's
    result (from a hostile argument echoed back) stays a `\\udXXX` escape instead of breaking
    the binding's UTF-8 conversion."""
    import json

    return json.loads, json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode


def _text(message: object) -> str:
    """An error message that can cross into JS whatever it quotes."""
    return str(message).encode("utf-8", "backslashreplace").decode("utf-8")


_JS_TEMPLATE = """(function (hooks) {
  "use strict";
  const host = hooks.host;
  const parse = JSON.parse, stringify = JSON.stringify;
  const TypeErrorCtor = TypeError, ErrorCtor = Error;
  const slice = Function.prototype.call.bind(String.prototype.slice);
  function call(id, args) {
    const reply = host(id, stringify(args));
    const tag = reply[0];
    if (tag === "o") return parse(slice(reply, 1));
    if (tag === "u") return undefined;
    if (tag === "t") throw new TypeErrorCtor(slice(reply, 1));
    throw new ErrorCtor(slice(reply, 1));
  }
  const modules = {%s};
  Object.defineProperty(globalThis, "__zigttp_import", { value: function (name) {
    const found = modules[name];
    if (found === undefined) throw new ErrorCtor("unknown module zigttp:" + name);
    return found;
  } });
})
"""


@record(frozen=True)
class Export:
    module: str
    name: str
    function: Callable[..., Any]
    traceable: bool
    pure: bool = False
    effects: bool = True  # the module's `ModuleSpec.effects`


class ModuleBridge:
    def __init__(self, specs: Sequence[ModuleSpec], context: ModuleContext) -> None:
        self.exports: list[Export] = []
        self.blocking = any(spec.blocks(context) for spec in specs)
        self._wrappers: dict[int, str] = {}
        blocks = []
        if specs:
            import json  # (the shims' names, quoted; json stays off a handler without modules)
        for spec in specs:
            table = spec.create(context)
            entries = []
            wrappers: dict[str, str] = getattr(spec, "js_wrappers", {}) or {}
            for name in spec.exports:
                index = len(self.exports)
                self.exports.append(
                    Export(
                        spec.name, name, table[name], name in spec.traceable, name in spec.pure, spec.effects
                    )
                )
                shim = f"function (...args) {{ return call({index}, args); }}"
                if name in wrappers:
                    shim = f"(function (__host) {{ return ({wrappers[name]}); }})({shim})"
                entries.append(f"{json.dumps(name)}: {shim}")
            blocks.append(f"{json.dumps(spec.name)}: Object.freeze({{{', '.join(entries)}}})")
        self.js_source = _JS_TEMPLATE % ", ".join(blocks) if specs else ""

    @cached_property
    def bytecode(self) -> bytes:
        """The shims compiled once per load (b"" without modules)."""
        if not self.js_source:
            return b""
        from zigttp.runtime.engine import compile_script

        return compile_script(self.js_source, "zigttp:modules", strip_source=True)

    def host_function(
        self, tap: Callable[[], IoTap | None], on_effect: Callable[[], None] | None = None
    ) -> Callable[[int, str], str]:
        """The `host` hook for one slot; `tap()` returns its current IoTap; `on_effect()` is
        told of every call to a module with effects (the inline lane's retry)."""
        exports = self.exports
        loads, dumps = _json_codec() if exports else (None, None)  # (no modules: never called)

        def host(index: int, args_json: str) -> str:
            try:
                export = exports[index]
                if on_effect is not None and export.effects:
                    on_effect()
                args = loads(args_json)
                current = tap()
                if current is None:
                    result = export.function(*args)
                else:
                    result = current.call(export.module, export.name, args, lambda: export.function(*args))
                return "u" if result is None else "o" + dumps(result)
            except ModuleTypeError as exc:
                return "t" + _text(exc)
            except UnicodeError:  # a lone surrogate in a string argument: bad input, not a bug
                name = f"zigttp:{exports[index].module}.{exports[index].name}"
                return f"t{name}: a string argument is not valid Unicode (lone surrogate)"
            except Exception as exc:
                name = f"zigttp:{exports[index].module}.{exports[index].name}"
                sys.stderr.write(f"zigttp: module call {name} failed:\n")
                import traceback

                traceback.print_exc()
                return f"e{name} failed: {_text(exc)}"

        return host
