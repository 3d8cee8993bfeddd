"""JS call semantics for Python exports: extra arguments are ignored, missing ones are undefined.

JS code calls functions with any number of arguments: `items.map(escapeHtml)` passes
(value, index, array), and `escapeHtml()` passes nothing. A Python function would raise a
plain TypeError for both, which the bridge reports as a module bug. So every built-in export
is wrapped once: arguments beyond its positional parameters are dropped, and missing required
ones arrive as None (JS `undefined`), where the module's own argument checks turn them into a
ModuleTypeError naming the argument.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from zigttp.modules._spec import Export, ModuleContext, ModuleSpec

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def with_js_arity(fn: Export) -> Export:
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # builtins without a signature: leave as they are
        return fn
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return fn
    positional = [p for p in parameters if p.kind in _POSITIONAL]
    limit = len(positional)
    required = sum(p.default is inspect.Parameter.empty for p in positional)

    @functools.wraps(fn)
    def call(*args: Any) -> Any:
        args = args[:limit]
        return fn(*args, *(None,) * (required - len(args)))

    return call


def with_js_semantics(spec: ModuleSpec) -> ModuleSpec:
    """The same spec whose `create` returns JS-arity exports."""
    create: Callable[[ModuleContext], dict[str, Export]] = spec.create

    def create_js(ctx: ModuleContext) -> dict[str, Export]:
        return {name: with_js_arity(fn) for name, fn in create(ctx).items()}

    return ModuleSpec(
        name=spec.name,
        exports=spec.exports,
        create=create_js,
        traceable=spec.traceable,
        js_wrappers=spec.js_wrappers,
    )
