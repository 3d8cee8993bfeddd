"""`--module` / `ServerConfig.modules` entries → registered `ModuleSpec`s.

An entry is one of:
* a `ModuleSpec` (built by hand, like the built-in modules);
* `zigttp:NAME`, a module whose `@zigttp.native` functions were declared in this process;
* a path to a Python file (`billing.py`) or a dotted module name (`myapp.billing`): it is
  imported, and every module it declares (`@zigttp.native` functions and/or a `MODULE =
  ModuleSpec(...)` like the built-ins) is taken.

Every spec is registered (so `check` and the front end know its exports) before the handler
is compiled, and the bridge always loads configured modules, imported or not.
"""

from __future__ import annotations

import sys

from zigttp.errors import UsageError
from zigttp.modules._registry import register_module
from zigttp.modules._spec import ModuleSpec, is_module_specifier

TYPE_CHECKING = False  # (pathlib stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from types import ModuleType

ModuleEntry = str | ModuleSpec


def load_modules(entries: Iterable[ModuleEntry]) -> tuple[ModuleSpec, ...]:
    """Resolve and register every entry; a bad entry is a UsageError naming it."""
    specs: dict[str, ModuleSpec] = {}
    for entry in entries:
        for spec in _resolve(entry):
            specs[spec.name] = register_module(spec)
    return tuple(specs.values())


def _resolve(entry: ModuleEntry) -> list[ModuleSpec]:
    if isinstance(entry, ModuleSpec):
        return [entry]
    from zigttp.modules._native import native_module

    if is_module_specifier(entry):
        try:
            return [native_module(entry)]
        except LookupError as exc:
            raise UsageError(str(exc)) from None
    module = _import(entry)
    specs = _declared_in(module)
    if not specs:
        raise UsageError(f"--module {entry}: declares no @zigttp.native functions and no MODULE spec")
    return specs


def _import(entry: str) -> ModuleType:
    from pathlib import Path  # (--module only: pathlib stays off the start path)

    path = Path(entry)
    if entry.endswith(".py") or "/" in entry:
        if not path.is_file():
            raise UsageError(f"--module {entry}: no such Python file")
        return _import_path(path.resolve())
    try:
        import importlib  # (here: importlib brings warnings, ~0.5 ms of a cold start)

        return importlib.import_module(entry)
    except ImportError as exc:
        raise UsageError(f"--module {entry}: cannot import: {exc}") from None


def _import_path(path: Path) -> ModuleType:
    """Import a file once per process under a name derived from its absolute path."""
    import hashlib
    import importlib.util

    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    name = f"zigttp_user_{path.stem}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"--module {path}: not an importable Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise UsageError(f"--module {path}: importing it failed: {type(exc).__name__}: {exc}") from exc
    return module


def _declared_in(module: ModuleType) -> list[ModuleSpec]:
    from zigttp.modules._native import declared_modules, module_spec

    specs = [module.MODULE] if isinstance(getattr(module, "MODULE", None), ModuleSpec) else []
    for name, functions in declared_modules().items():
        mine = {export: fn for export, fn in functions.items() if fn.__module__ == module.__name__}
        if mine:
            specs.append(module_spec(name, functions))
    return specs
