"""User-defined `zigttp:*` modules registered at run time (`--module`, `ServerConfig.modules`).

Built-in modules are files in this package; user modules are `ModuleSpec`s registered here
before the handler is compiled, so the front end's import validation (`find_module`) and the
bridge see both through the same lookup. A user module may not shadow a built-in one: a
handler importing `zigttp:cache` must always get the documented module.
"""

from __future__ import annotations

from zigttp.errors import UsageError
from zigttp.lean_threads import Lock
from zigttp.modules._spec import ModuleSpec, module_name

_lock = Lock()
_user: dict[str, ModuleSpec] = {}


def register_module(spec: ModuleSpec) -> ModuleSpec:
    """Make `spec` visible to `find_module`; re-registering a name replaces the old spec."""
    from zigttp.modules import is_builtin

    if is_builtin(spec.name):
        raise UsageError(f"module {spec.specifier} is built in and cannot be redefined")
    if not spec.name or ":" in spec.name or "/" in spec.name:
        raise UsageError(f"invalid module name {spec.name!r}: use zigttp:NAME with NAME a word")
    with _lock:
        _user[spec.name] = spec
    return spec


def unregister_module(name: str) -> None:
    with _lock:
        _user.pop(module_name(name), None)


def user_module(name: str) -> ModuleSpec | None:
    return _user.get(name)


def user_modules() -> dict[str, ModuleSpec]:
    with _lock:
        return dict(_user)
