"""Registry of `zigttp:*` virtual modules: one file per module, discovered by name.

Adding a module is adding a file that defines `MODULE`; nothing else needs to change.
`find_module` imports only the file it is asked for (serve's cold start pays for the modules
a handler uses, not for all of them); `builtin_modules` imports every file. Registered
exports get JS call semantics (extra arguments ignored, missing ones None): see `_arity.py`.
User modules (`@zigttp.native`, `--module`) join the same lookup through `_registry`.
"""

from __future__ import annotations

from zigttp.lean import cache
from zigttp.modules._arity import with_js_semantics
from zigttp.modules._registry import register_module, unregister_module, user_module, user_modules
from zigttp.modules._spec import (
    ModuleContext,
    ModuleSpec,
    ModuleTypeError,
    is_module_specifier,
    module_name,
)

__all__ = [
    "ModuleContext",
    "ModuleSpec",
    "ModuleTypeError",
    "builtin_modules",
    "find_module",
    "is_module_specifier",
    "module_name",
    "register_module",
    "unregister_module",
    "user_modules",
]


@cache
def _load(name: str) -> ModuleSpec | None:
    if name.startswith("_") or not name.isidentifier():
        return None
    qualified = f"{__name__}.{name}"
    try:
        import importlib  # (here: importlib brings warnings, ~0.5 ms of a cold start)

        module = importlib.import_module(qualified)
    except ModuleNotFoundError as missing:
        if missing.name == qualified:
            return None
        raise
    spec: ModuleSpec | None = getattr(module, "MODULE", None)
    if spec is None or spec.name != name:
        return None
    return with_js_semantics(spec)


def builtin_modules() -> dict[str, ModuleSpec]:
    import pkgutil  # (not at the top: only listing every module needs it, serving does not)

    found: dict[str, ModuleSpec] = {}
    for info in pkgutil.iter_modules(__path__):
        spec = _load(info.name)
        if spec is not None:
            found[spec.name] = spec
    return found


def find_module(specifier: str) -> ModuleSpec | None:
    """`zigttp:NAME`, `zttp:NAME` (or bare NAME) → its spec, or None if no such module exists.

    Built-in modules first, then user modules registered with `register_module`.
    """
    name = module_name(specifier)
    return _load(name) or user_module(name)


def is_builtin(name: str) -> bool:
    return _load(name) is not None
