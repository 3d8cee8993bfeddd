"""zigttp:router: pattern matching in Python and the JS wrapper that maps back to handlers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.jscontext import JsContext
from zigttp.modules import ModuleTypeError
from zigttp.modules.router import JS_WRAPPERS, match

ROUTES = [
    "GET /",
    "GET /users",
    "GET /users/:id",
    "POST /users/:id/posts/:postId",
    "GET /static/*path",
    "* /any",
]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/", {"index": 0, "params": {}}),
        ("GET", "/users", {"index": 1, "params": {}}),
        ("GET", "/users/42", {"index": 2, "params": {"id": "42"}}),
        ("get", "/users/42?x=1", {"index": 2, "params": {"id": "42"}}),
        ("POST", "/users/7/posts/9", {"index": 3, "params": {"id": "7", "postId": "9"}}),
        ("GET", "/static/css/site.css", {"index": 4, "params": {"path": "css/site.css"}}),
        ("GET", "/static/", {"index": 4, "params": {"path": ""}}),
        ("DELETE", "/any", {"index": 5, "params": {}}),
        ("GET", "/users/a%20b", {"index": 2, "params": {"id": "a b"}}),
    ],
)
def test_match(method: str, path: str, expected: dict[str, Any]) -> None:
    assert match(ROUTES, method, path) == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/users"), ("GET", "/users/42/extra"), ("GET", "/nope"), ("GET", "/users/")],
)
def test_no_match_is_undefined(method: str, path: str) -> None:
    assert match(ROUTES, method, path) is None


def test_first_matching_key_wins() -> None:
    assert match(["GET /users/me", "GET /users/:id"], "GET", "/users/me")["index"] == 0


def test_at_most_eight_params_are_captured() -> None:
    pattern = "GET /" + "/".join(f":p{i}" for i in range(9))
    path = "/" + "/".join(str(i) for i in range(9))
    assert match([pattern], "GET", path) is None  # the 9th segment must then match literally
    assert len(match([pattern], "GET", path.rsplit("/", 1)[0] + "/:p8")["params"]) == 8


def test_bad_routes_argument_raises() -> None:
    with pytest.raises(ModuleTypeError, match="routerMatch: argument 'routes'"):
        match({"GET /": 1}, "GET", "/")


def _runtime() -> JsContext:
    """A bare engine with `routerMatch` installed the way the bridge does it (JSON across)."""
    context = JsContext(host=lambda _index, args: json.dumps(match(*json.loads(args))))
    context.eval(
        "const host = (...a) => { const r = JSON.parse(__host(0, JSON.stringify(a)));"
        " return r === null ? undefined : r; };"
        "const routerMatch = (function (__host) { return ("
        f"{JS_WRAPPERS['routerMatch']}); }})(host);"
    )
    return context


def test_js_wrapper_maps_index_back_to_handler_value() -> None:
    context = _runtime()
    result = context.eval(
        "const routes = { 'GET /a': () => 'A', 'GET /users/:id': (p) => 'user ' + p.id };"
        "const m = routerMatch(routes, { method: 'GET', path: '/users/7', url: '/users/7?q' });"
        "m.handler(m.params)"
    )
    assert result == "user 7"


def test_js_wrapper_returns_undefined_without_match() -> None:
    context = _runtime()
    assert context.eval("routerMatch({ 'GET /a': 1 }, { method: 'GET', url: '/b' }) === undefined")


def test_js_wrapper_falls_back_to_url_without_path() -> None:
    context = _runtime()
    assert context.eval("routerMatch({ 'GET /a': 1 }, { method: 'GET', url: '/a?x' }).handler") == 1


def test_js_wrapper_throws_type_error_for_bad_routes() -> None:
    context = _runtime()
    message = context.eval(
        "let e; try { routerMatch(null, {}); } catch (x) { e = x.name + ': ' + x.message; } e"
    )
    assert message == "TypeError: routerMatch: argument 'routes' must be an object"


def test_key_without_method_matches_any_method() -> None:
    assert match(["/health"], "PATCH", "/health") == {"index": 0, "params": {}}
