"""`zigttp:compose` (`zttp:compose` upstream): handler composition, `guard` and `pipe`.

Both exports are JavaScript (`runtime/js/dialect.js`); nothing crosses into Python, since
their arguments are functions. Upstream desugars them in its parser; here they are values:

* `guard(fn)` marks `fn` as a guard (called directly it just calls `fn`). In a `|>` chain
  holding guards, pre-guards get the request and answer it by returning anything but
  undefined; the chain's one handler runs otherwise; post-guards get its response and may
  replace it: `const handler = guard(cors) |> guard(auth) |> routes |> guard(log);`
* `pipe(f1, f2, ..., fN)` is `fN(...f2(f1()))`: the first function takes no argument.
"""

from __future__ import annotations

from typing import Any

from zigttp.modules._spec import ModuleContext, ModuleSpec

JS_WRAPPERS = {
    "guard": "function guard(fn) { return __zigttp_compose.guard(fn); }",
    "pipe": "function pipe(...fns) { return __zigttp_compose.pipe(...fns); }",
}


def _js_only(*_args: Any) -> None:
    raise TypeError("zigttp:compose runs in JavaScript; this host function is never called")


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {"guard": _js_only, "pipe": _js_only}


MODULE = ModuleSpec(name="compose", exports=("guard", "pipe"), create=create, js_wrappers=JS_WRAPPERS)
