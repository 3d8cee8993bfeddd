"""`zigttp:env`: read environment variables, but only those the operator allowed.

`env(name)` returns the variable's value, or undefined (None) when it is unset OR not allowed:
a handler cannot tell the two apart, so probing for secrets outside the allow-list reveals
nothing. The allow-list is `ctx.options["env_allow"]` (from `--allow-env`): exact names or
shell-style globs (`APP_*`), matched case-sensitively. The environment is read at call time.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from typing import Any

from zigttp.modules._result import want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec


def is_allowed(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def create(ctx: ModuleContext) -> dict[str, Any]:
    patterns = tuple(ctx.options.get("env_allow", ()))

    def env(name: Any) -> str | None:
        name = want_str("env", "name", name)
        if not is_allowed(name, patterns):
            return None
        return os.environ.get(name)

    return {"env": env}


MODULE = ModuleSpec(name="env", exports=("env",), create=create, traceable=frozenset({"env"}), effects=False)
