"""Module calls with hostile arguments: every export of every `zigttp:*` module (but fetch,
which needs the network) called with ~34 hostile argument lists -- missing, wrong types, huge,
cyclic, BigInt, Symbols, functions, throwing getters, Proxies, lone surrogates -- either
returns or throws a JS error the handler can catch; nothing escapes as a Python traceback, and
the runtime keeps serving. Also: a lone surrogate in a response string is sent as U+FFFD.
"""

from __future__ import annotations

import contextlib
import io
import json

from zigttp.frontend.pipeline import compile_source
from zigttp.modules import find_module
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

MODULES = [
    "auth",
    "cache",
    "crypto",
    "decode",
    "env",
    "http",
    "id",
    "log",
    "ratelimit",
    "router",
    "sql",
    "text",
    "time",
    "url",
    "validate",
]
HOSTILE = r"""
const cyclic = {}; cyclic.self = cyclic;
const ARGS = [
  [], [undefined], [null], [1e308], [-0], [NaN], [Infinity], ["x".repeat(100000)], ["\u0000\ud800"],
  [{}], [[]], [[[[[[[[[[]]]]]]]]]], [{"__proto__": 1}], [true, false, null, 1, "a", {}, []],
  ["a", "b", "c", "d", "e", "f"], [-1, -1, -1], [2 ** 53 + 1, 2 ** 31], ["", ""], ["%", "%zz"],
  [{toJSON() { return {deep: 1}; }}], [/re/g], [{a: "x".repeat(10000)}, {b: [1, 2, 3]}],
  ["*", "*", "*"], ["../../etc/passwd"], ["\r\n\r\n"], ["\ud83d", "\udc00"],
  [cyclic], [10n], [Symbol("s")], [function () {}], [{get x() { throw new Error("getter"); }}],
  [new Proxy({}, {ownKeys() { throw new Error("trap"); }})], [{length: 1e9}], [[1, [2, [3]]]],
];
function handler(req) {
  let calls = 0, threw = 0;
  for (const name of Object.keys(FNS)) {
    for (const args of ARGS) {
      calls++;
      try { FNS[name](...args); } catch (e) { threw++; }
    }
  }
  return Response.json({calls, threw});
}
"""


def _source() -> tuple[str, int]:
    imports, names = [], []
    for module in MODULES:
        exports = find_module(module).exports
        imports.append(f'import {{ {", ".join(exports)} }} from "zigttp:{module}";')
        names.extend(exports)
    return "\n".join(imports) + f"\nconst FNS = {{{', '.join(names)}}};\n" + HOSTILE, len(names)


def test_module_calls_with_hostile_arguments_never_escape_as_python_errors() -> None:
    source, exports = _source()
    handler = load_handler(
        compile_source(source, "modules.js"), RuntimeLimits(timeout=60), console=lambda *args: None
    )
    runtime = handler.new_runtime()
    log = io.StringIO()
    with contextlib.redirect_stderr(log):
        first = runtime.dispatch("GET", "/", "", None)
        second = runtime.dispatch("GET", "/", "", None)
    assert first.status == second.status == 200
    report = json.loads(first.body)
    assert report["calls"] == exports * 34 and report["calls"] > 1500
    assert "Traceback" not in log.getvalue(), log.getvalue()[:2000]


def test_a_response_with_a_lone_surrogate_sends_the_replacement_character() -> None:
    """As TextEncoder and Workers' Response do: a lone surrogate becomes U+FFFD on the wire."""
    source = 'function handler(req) { return Response.text("cut: " + "\\ud83d\\ude00".slice(0, 1)); }'
    runtime = load_handler(
        compile_source(source, "cut.js"), RuntimeLimits(), console=lambda *a: None
    ).new_runtime()
    assert runtime.dispatch("GET", "/", "", None).body == "cut: \ufffd".encode()
