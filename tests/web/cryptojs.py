"""Run an async handler body in a real runtime (engine, prelude, every web API file) and
return the JSON it answers with; `limits` sets the request's deadline."""

from __future__ import annotations

import json
from typing import Any

from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

ERRORS = """
const fail = async (promise) => {
  try { await promise; return "resolved"; }
  catch (e) { return [e.name, e instanceof DOMException, String(e.message)]; }
};
const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
const bytes = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const text = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0)); // ASCII test strings
"""


def handler_source(body: str) -> str:
    return f"{ERRORS}\nasync function handler(req) {{\n{body}\n}}\n"


def run_js(body: str, limits: RuntimeLimits | None = None) -> Any:
    handler = load_handler(
        compile_source(handler_source(body), "web.js"), limits or RuntimeLimits(), console=lambda *a: None
    )
    response = handler.new_runtime().dispatch("GET", "/", "", None)
    return json.loads(response.body)
