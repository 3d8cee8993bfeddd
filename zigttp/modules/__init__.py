"""Registry of `zigttp:*` virtual modules: one file per module, discovered by name.

Adding a module is adding a file that defines `MODULE`; nothing else needs to change. User
modules (`@zigttp.native`, `--module`) join the same lookup through `_registry`.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from zigttp.modules._registry import register_module, unregister_module, user_module, user_modules
from zigttp.modules._spec import ModuleContext, ModuleSpec, ModuleTypeError

__all__ = [
    "ModuleContext",
    "ModuleSpec",
    "ModuleTypeError",
    "builtin_modules",
    "find_module",
    "register_module",
    "unregister_module",
    "user_modules",
]


@cache
def builtin_modules() -> dict[str, ModuleSpec]:
    found: dict[str, ModuleSpec] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec: ModuleSpec = module.MODULE
        found[spec.name] = spec
    return found


def find_module(specifier: str) -> ModuleSpec | None:
    """`zigttp:NAME` (or bare NAME) → its spec, or None if no such module exists.

    Built-in modules first, then user modules registered with `register_module`.
    """
    name = specifier.removeprefix("zigttp:")
    return builtin_modules().get(name) or user_module(name)
