"""Run a handler in a real JsRuntime (engine, prelude, web API) in-process: web API tests."""

from __future__ import annotations

import json
from typing import Any

from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.engine import JsRuntime
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits


def runtime(source: str, **limits: Any) -> JsRuntime:
    handler = load_handler(
        compile_source(source, "web.js"),
        RuntimeLimits(**{"timeout": 10.0, **limits}),
        console=lambda *_a: None,
    )
    return handler.new_runtime()


def call(rt: JsRuntime, body: bytes | None = None, path: str = "/") -> bytes:
    """The response body of one request (POST when there is a body)."""
    return bytes(rt.dispatch("POST" if body is not None else "GET", path, "host\0test", body).body)


def call_json(rt: JsRuntime, body: bytes | None = None, path: str = "/") -> Any:
    return json.loads(call(rt, body, path))
