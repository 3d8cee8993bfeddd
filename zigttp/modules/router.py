"""`zigttp:router`: match a request against `"METHOD /pattern"` route keys.

Semantics (upstream-reference §3.2): routes are tried in key order; the method compares
case-insensitively (`*`/`ANY` or a key without a method matches every method); the path (query
string and fragment removed) is split on `/`; `:name` captures one non-empty segment (at most
8 per route, values percent-decoded); a segment `*name` (or bare `*`) captures the rest of the
path, possibly empty; any other segment must match exactly.

The JS call is `routerMatch(routes, req)` where `routes` maps keys to handler FUNCTIONS, which
cannot cross into Python. So the host function is `match(route_keys, method, path)` returning
`{index, params}`, and `JS_WRAPPERS` holds the small JS function the bridge installs as the
export (see `ModuleSpec.js_wrappers`): it passes `Object.keys(routes)` to the host function
`__host` and maps `index` back to the route's value, returning `{handler, params}` or undefined.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from zigttp.modules._result import want_str, want_str_list
from zigttp.modules._spec import ModuleContext, ModuleSpec

MAX_PARAMS = 8
ANY_METHOD = frozenset({"", "*", "ANY", "ALL"})

JS_WRAPPERS = {
    "routerMatch": """function routerMatch(routes, req) {
  if (routes === null || typeof routes !== "object") {
    throw new TypeError("routerMatch: argument 'routes' must be an object");
  }
  if (req === null || typeof req !== "object") {
    throw new TypeError("routerMatch: argument 'req' must be a request");
  }
  const keys = Object.keys(routes);
  const path = typeof req.path === "string" ? req.path : req.url;
  const found = __host(keys, req.method, path);
  if (found === undefined || found === null) return undefined;
  return { handler: routes[keys[found.index]], params: found.params };
}""",
}


def split_key(key: str) -> tuple[str, str]:
    """`"GET /users/:id"` → ("GET", "/users/:id"); `"/x"` → ("", "/x")."""
    parts = key.strip().split(None, 1)
    if len(parts) == 2 and not parts[0].startswith("/"):
        return parts[0].upper(), parts[1].strip()
    return "", key.strip()


def segments(path: str) -> list[str]:
    path = path.split("?", 1)[0].split("#", 1)[0]
    return path.removeprefix("/").split("/")


def match_pattern(pattern: str, path_segments: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    pattern_segments = segments(pattern)
    for index, part in enumerate(pattern_segments):
        if part.startswith("*"):
            params[part[1:] or "*"] = unquote("/".join(path_segments[index:]))
            return params
        if index >= len(path_segments):
            return None
        actual = path_segments[index]
        if part.startswith(":") and len(params) < MAX_PARAMS:
            if not actual:
                return None
            params[part[1:]] = unquote(actual)
        elif part != actual:
            return None
    return params if len(pattern_segments) == len(path_segments) else None


def match(route_keys: Any, method: Any, path: Any) -> dict[str, Any] | None:
    keys = want_str_list("routerMatch", "routes", route_keys)
    wanted = want_str("routerMatch", "req.method", method).upper()
    path_segments = segments(want_str("routerMatch", "req.path", path))
    for index, key in enumerate(keys):
        key_method, pattern = split_key(key)
        if key_method not in ANY_METHOD and key_method != wanted:
            continue
        params = match_pattern(pattern, path_segments)
        if params is not None:
            return {"index": index, "params": params}
    return None


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {"routerMatch": match}


MODULE = ModuleSpec(
    name="router", exports=("routerMatch",), create=create, js_wrappers=JS_WRAPPERS, effects=False
)
