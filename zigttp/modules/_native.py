"""`@zigttp.native("zigttp:billing")`: plain Python functions as a `zigttp:*` module.

Decorated functions are collected per module name and turned into an ordinary `ModuleSpec`,
so a user module goes through exactly the path the built-in ones do: `find_module` for the
front end's import checks, the bridge for calls, the bridge's `IoTap` for fixture stubs.

Call semantics, the same as built-in exports: arguments and results are JSON values; extra
arguments are ignored and missing ones arrive as None (JS `undefined`); a value that does
not match the parameter's annotation (int, float, str, bool, list, dict, None, unions of
them) raises `ModuleTypeError`, a JS `TypeError`. Any other exception becomes a JS `Error`
whose message carries the Python message; it fails that request only.
"""

from __future__ import annotations

import functools
import inspect
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from zigttp.modules._arity import positional_arity
from zigttp.modules._spec import ModuleContext, ModuleSpec, ModuleTypeError
from zigttp.modules._spec import module_name as _spec_module_name

if typing.TYPE_CHECKING:
    from zigttp.modules._spec import Export

F = TypeVar("F", bound=Callable[..., Any])
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_JSON_TYPES: dict[Any, tuple[type, ...]] = {
    int: (int,),
    float: (int, float),
    str: (str,),
    bool: (bool,),
    list: (list,),
    dict: (dict,),
    None: (type(None),),
    type(None): (type(None),),
}
_JS_NAMES = {
    int: "number",
    float: "number",
    str: "string",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}

_lock = threading.Lock()
_declared: dict[str, dict[str, Callable[..., Any]]] = {}


def module_name(specifier: str) -> str:
    """`zigttp:billing`, `zttp:billing` (or `billing`) → `billing`."""
    return _spec_module_name(specifier)


def native(specifier: str, *, name: str | None = None) -> Callable[[F], F]:
    """Declare the decorated function as export `name` (default: its own name) of `specifier`.

    The function itself is returned unchanged, so Python code can keep calling it directly.
    """

    def decorate(fn: F) -> F:
        export = name or fn.__name__
        with _lock:
            _declared.setdefault(module_name(specifier), {})[export] = fn
        fn.__zigttp_native__ = module_name(specifier)  # type: ignore[attr-defined]
        return fn

    return decorate


def declared_modules() -> dict[str, dict[str, Callable[..., Any]]]:
    with _lock:
        return {name: dict(table) for name, table in _declared.items()}


def native_module(specifier: str) -> ModuleSpec:
    """The `ModuleSpec` of every function declared so far for `specifier`."""
    functions = declared_modules().get(module_name(specifier))
    if not functions:
        raise LookupError(f"no @zigttp.native functions declared for zigttp:{module_name(specifier)}")
    return module_spec(module_name(specifier), functions)


def module_spec(name: str, functions: dict[str, Callable[..., Any]]) -> ModuleSpec:
    """Wrap plain functions as a spec; every export is traceable (fixture `io` stubs apply)."""
    wrapped = {export: typed_export(f"zigttp:{name}.{export}", fn) for export, fn in functions.items()}

    def create(_ctx: ModuleContext) -> dict[str, Export]:
        return dict(wrapped)

    return ModuleSpec(name, tuple(wrapped), create, traceable=frozenset(wrapped))


def typed_export(label: str, fn: Callable[..., Any]) -> Export:
    """JS arity (as for built-in exports, `_arity`) plus annotation checks → ModuleTypeError."""
    try:
        parameters = [p for p in inspect.signature(fn).parameters.values() if p.kind in _POSITIONAL]
    except (TypeError, ValueError):
        return fn
    hints = _hints(fn)
    checks = [(p.name, hints.get(p.name)) for p in parameters]
    limit, required = positional_arity(fn) or (None, 0)

    @functools.wraps(fn)
    def checked(*args: Any) -> Any:
        args = args[:limit] + (None,) * (required - len(args))
        for value, (param, hint) in zip(args, checks, strict=False):
            _check(label, param, hint, value)
        return fn(*args)

    return checked


def _hints(fn: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception:  # unresolvable forward references: no checks rather than a crash
        return {}


def _accepted(hint: Any) -> tuple[type, ...] | None:
    """The Python types a JSON value may have for `hint`; None means anything goes."""
    if hint in _JSON_TYPES:
        return _JSON_TYPES[hint]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        accepted: tuple[type, ...] = ()
        for member in typing.get_args(hint):
            found = _accepted(member)
            if found is None:
                return None
            accepted += found
        return accepted
    if origin in (list, dict):
        return (origin,)
    return None


def _check(label: str, param: str, hint: Any, value: Any) -> None:
    accepted = _accepted(hint)
    if accepted is None:
        return
    ok = isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted)
    if not ok:
        wanted = " or ".join(dict.fromkeys(_JS_NAMES.get(t, t.__name__) for t in accepted))
        got = "null" if value is None else _JS_NAMES.get(type(value), type(value).__name__)
        raise ModuleTypeError(f"{label}: argument '{param}' must be {wanted}, got {got}")
