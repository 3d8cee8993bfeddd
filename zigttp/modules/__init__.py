"""Registry of `zigttp:*` virtual modules: one file per module, discovered by name.

Adding a module is adding a file that defines `MODULE`; nothing else needs to change.
Registered exports get JS call semantics (extra arguments ignored, missing ones None): see
`_arity.py`.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from zigttp.modules._arity import with_js_semantics
from zigttp.modules._spec import ModuleContext, ModuleSpec, ModuleTypeError

__all__ = ["ModuleContext", "ModuleSpec", "ModuleTypeError", "builtin_modules", "find_module"]


@functools.cache
def builtin_modules() -> dict[str, ModuleSpec]:
    found: dict[str, ModuleSpec] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec: ModuleSpec = module.MODULE
        found[spec.name] = with_js_semantics(spec)
    return found


def find_module(specifier: str) -> ModuleSpec | None:
    """`zigttp:NAME` (or bare NAME) → its spec, or None if no such module exists."""
    name = specifier.removeprefix("zigttp:")
    return builtin_modules().get(name)
