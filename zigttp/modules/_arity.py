"""JS call semantics for Python exports: extra arguments are ignored, missing ones are undefined.

JS code calls functions with any number of arguments: `items.map(escapeHtml)` passes
(value, index, array), and `escapeHtml()` passes nothing. A Python function would raise a
plain TypeError for both, which the bridge reports as a module bug. So every built-in export
is wrapped once: arguments beyond its positional parameters are dropped, and missing required
ones arrive as None (JS `undefined`), where the module's own argument checks turn them into a
ModuleTypeError naming the argument.
"""

from __future__ import annotations

from zigttp.lean import wraps
from zigttp.modules._spec import ModuleContext, ModuleSpec
from zigttp.records import replace

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from zigttp.modules._spec import Export

CO_VARARGS = 0x04


def positional_arity(fn: Export) -> tuple[int, int] | None:
    """(accepted, required) positional parameters, or None when unknown or variadic."""
    target = getattr(fn, "__func__", fn)  # a bound method's function
    code = getattr(target, "__code__", None)
    if code is None or code.co_flags & CO_VARARGS:
        return None
    bound = 1 if target is not fn else 0
    accepted = code.co_argcount - bound
    return accepted, accepted - len(getattr(target, "__defaults__", None) or ())


def with_js_arity(fn: Export) -> Export:
    arity = positional_arity(fn)
    if arity is None:
        return fn
    limit, required = arity

    @wraps(fn)
    def call(*args: Any) -> Any:
        args = args[:limit]
        return fn(*args, *(None,) * (required - len(args)))

    return call


def with_js_semantics(spec: ModuleSpec) -> ModuleSpec:
    """The same spec whose `create` returns JS-arity exports."""
    create: Callable[[ModuleContext], dict[str, Export]] = spec.create

    def create_js(ctx: ModuleContext) -> dict[str, Export]:
        return {name: with_js_arity(fn) for name, fn in create(ctx).items()}

    return replace(spec, create=create_js)  # every other field (blocking, pure...) kept
