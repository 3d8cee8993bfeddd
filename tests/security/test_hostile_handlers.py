"""Hostile handlers: every fault a handler can cause is a 500 (never a crash, a hang or bad
bytes on the wire), and the runtime that ran it serves the next request.

Two families:
* faults (loops, recursion, memory, huge or unserialisable results, throwing getters, thrown
  non-Errors) against one server whose single runtime must survive them all in turn;
* builtin mutation (Object.prototype, Array.prototype, JSON, String.prototype, RegExp, Promise,
  Function.prototype.call, Response, Headers, Symbol.iterator): at load time the prelude's glue
  must not be fooled, and at request time the context is replaced before the next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ServerProcess, start_server
from zigttp.errors import HandlerError, SourceError
from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

FAULTS = r"""
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
const FAULTS = {
  "/loop": () => { for (;;) {} },
  "/loop-catching": () => { for (;;) { try { for (;;) {} } catch (e) {} } },
  "/recursion": () => depth(1e7),
  "/recursion-mutual": () => { const a = (n) => b(n + 1), b = (n) => a(n + 1); return a(0); },
  "/oom-array": () => { const hog = []; for (;;) hog.push("x".repeat(4096) + hog.length); },
  "/oom-string": () => { let s = "x"; for (;;) s += s; },
  "/huge-body": () => Response.text("y".repeat(11 * 1024 * 1024)),
  "/huge-headers": () => {
    const headers = {};
    for (let i = 0; i < 1100; i++) headers["x-h" + i] = "v".repeat(10000);
    return Response.text("ok", {headers});
  },
  "/cyclic-json": () => { const a = {}; a.self = a; return Response.json(a); },
  "/bigint-json": () => Response.json({n: 10n}),
  "/throwing-tojson": () => Response.json({toJSON() { throw new Error("toJSON"); }}),
  "/getter-status": () => ({get status() { throw new Error("status getter"); }, body: "x"}),
  "/getter-body": () => ({status: 200, get body() { throw new Error("body getter"); }}),
  "/getter-headers": () => ({status: 200, get headers() { throw new Error("headers getter"); }}),
  "/proxy-result": () => new Proxy({}, {get() { throw new Error("trap"); }, has() { throw new Error("trap"); },
                                       getOwnPropertyDescriptor() { throw new Error("trap"); }}),
  "/proxy-as-response": () => new Proxy({}, {getPrototypeOf: () => Response.prototype,
                                            get: () => () => "200\r\nx-evil: 1\r\n"}),
  "/forged-response": () => Object.setPrototypeOf({status: 200, body: "x"}, Response.prototype),
  "/throw-null": () => { throw null; },
  "/throw-undefined": () => { throw undefined; },
  "/throw-symbol": () => { throw Symbol("s"); },
  "/throw-bad-tostring": () => { throw {toString() { throw new Error("nested"); }}; },
  "/throw-proxy": () => { throw new Proxy({}, {get() { throw new Error("trap"); },
                                              getPrototypeOf() { throw new Error("trap"); }}); },
  "/throw-error-bad-message": () => { const e = new Error("x"); Object.defineProperty(e, "message", {get() { throw 1; }}); throw e; },
  "/async-reject-null": async () => { await null; throw null; },
  "/async-job-loop": async () => { for (;;) await null; },
  "/async-never": () => new Promise(() => {}),
  "/thenable-throws": () => ({then() { throw new Error("then"); }}),
  "/status-1xx": () => Response.text("x", {status: 101}),
  "/status-string": () => { const r = Response.text("x"); r.status = "200\r\nx-evil: 1"; return r; },
  "/status-huge": () => { const r = Response.text("x"); r.status = 1e9; return r; },
  "/body-object": () => { const r = Response.text("x"); r.body = {}; return r; },
  "/header-crlf": () => Response.text("x", {headers: {"x-a": "1\r\nx-evil: 1"}}),
  "/header-bad-name": () => Response.text("x", {headers: {"x a\r\n": "1"}}),
  "/return-function": () => function () {},
  "/return-symbol": () => Symbol("r"),
};
function handler(req) {
  const fault = FAULTS[req.path];
  if (fault) return fault();
  return Response.json({ok: true}, {headers: {"x-ok": "1"}});
}
"""
FAULT_PATHS = [line.split('"')[1] for line in FAULTS.splitlines() if line.startswith('  "/')]


@pytest.fixture(scope="module")
def fault_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    path: Path = tmp_path_factory.mktemp("hostile") / "faults.js"
    path.write_text(FAULTS)
    server = start_server([str(path), "-n", "1", "-m", "64m", "--timeout", "2", "-q"])
    yield server
    assert server.process.poll() is None, f"server died:\n{server.stderr}"
    server.stop()


def _healthy(server: ServerProcess) -> None:
    response = server.get("/")
    assert (response.status_code, response.json(), response.headers.get("x-ok")) == (200, {"ok": True}, "1")


@pytest.mark.parametrize("path", FAULT_PATHS)
def test_handler_fault_is_500_and_the_runtime_serves_again(fault_server, path: str) -> None:
    response = fault_server.get(path, timeout=30)
    assert response.status_code == 500, (path, response.text[:200])
    assert "x-evil" not in response.headers
    _healthy(fault_server)


def test_thrown_undefined_body_names_the_value(fault_server) -> None:
    assert fault_server.get("/throw-undefined").text == "undefined"


def test_response_cap_counts_headers_too(fault_server) -> None:
    response = fault_server.get("/huge-headers")
    assert response.status_code == 500 and "exceeds" in response.text


# -- builtin mutation ------------------------------------------------------------------------------
MUTATIONS = {
    "object-prototype-key": 'Object.prototype["x-admin"] = "yes"; Object.prototype.isAdmin = true;',
    "object-prototype-then": "Object.prototype.then = function (ok) { ok('hijacked'); };",
    "object-prototype-tostring": "Object.prototype.toString = () => 'EVIL';",
    "object-prototype-setter": 'Object.defineProperty(Object.prototype, "status", {set(v) {}, get() { return 999; }, configurable: true});',
    "array-push": "Array.prototype.push = function () { return 0; };",
    "array-join": "Array.prototype.join = function () { return '200\\n\\nEVIL'; };",
    "array-iterator": "Array.prototype[Symbol.iterator] = function* () { yield 'x-injected\\r\\nevil'; };",
    "array-iterator-next": "Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({done: false, value: 'x'});",
    "array-index-setter": 'Object.defineProperty(Array.prototype, "1", {set(v) {}, get() { return "x-set: evil"; }, configurable: true});',
    "json-stringify": "JSON.stringify = () => 'EVIL';",
    "json-parse": "JSON.parse = () => ({evil: 1});",
    "string-tolowercase": "String.prototype.toLowerCase = () => 'x';",
    "string-split": "String.prototype.split = () => ['evil=1'];",
    "string-indexof": "String.prototype.indexOf = () => -1;",
    "string-ctor": "globalThis.String = () => 'EVIL';",
    "regexp-exec": "RegExp.prototype.exec = () => null;",
    "regexp-test": "RegExp.prototype.test = () => true;",
    "function-call": "Function.prototype.call = () => 'EVIL';",
    "function-apply": "Function.prototype.apply = () => 'EVIL';",
    "promise-then": "Promise.prototype.then = function () {};",
    "promise-resolve": "Promise.resolve = () => ({then() {}});",
    "object-keys": "Object.keys = () => ['x-evil\\r\\nInjected'];",
    "object-defineproperty": "Object.defineProperty = () => { throw new Error('nope'); };",
    "date-now": "Date.now = () => 0;",
    "symbol-iterator": "try { Symbol.iterator = Symbol('fake'); } catch (e) {}",
    "response-global": "globalThis.Response = function () { return {status: 200, body: 'fake'}; };",
    "headers-global": "globalThis.Headers = function () { return {}; };",
    "response-json": "try { Response.json = () => ({status: 200, body: 'fake'}); } catch (e) {}",
    "response-prototype": "try { Response.prototype.text = () => 'EVIL'; } catch (e) {}",
    "lines-symbol": (
        "try { const s = Object.getOwnPropertySymbols(Response.prototype)[0];"
        " Response.prototype[s] = () => 'x-a: 1\\r\\nInjected: 2\\r\\n'; } catch (e) {}"
    ),
    "headers-prototype": "try { Headers.prototype.get = () => 'EVIL'; } catch (e) {}",
    "uint8array": "globalThis.Uint8Array = function () { throw new Error('u8'); };",
}
PROBE = r"""
function probe(req) {
  const h = new Headers({"x-two": "2"});
  h.append("set-cookie", "a=1");
  h.append("set-cookie", "b=2");
  return Response.json({admin: req.headers.get("x-admin"), has: req.headers.has("x-admin"),
                        agent: req.headers.get("user-agent"), q: req.query},
                       {status: 201, headers: h});
}
"""


def _probe_is_correct(status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    assert status == 201, body[:120]
    assert ("content-type", "application/json") in headers
    assert ("x-two", "2") in headers
    assert [v for k, v in headers if k == "set-cookie"] == ["a=1", "b=2"]
    assert all("\r" not in k + v and "\n" not in k + v and "evil" not in (k + v).lower() for k, v in headers)
    assert body == b'{"admin":null,"has":false,"agent":"probe","q":{"a":1,"b":"two"}}'


def _runtime(source: str):
    try:
        compiled = compile_source(source, "hostile.js")
    except SourceError:
        pytest.skip("the front end refuses this mutation statically (e.g. ZT106 for Date.now)")
    handler = load_handler(compiled, RuntimeLimits(timeout=2), console=lambda *args: None)
    return handler.new_runtime()


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_builtins_mutated_at_load_do_not_fool_the_glue(name: str) -> None:
    # the handler's own probe code may be affected, so it runs in an untouched sibling runtime
    # and the mutated runtime's encoded response must still be well-formed and identical in
    # framing: status, validated header lines, body produced by the prelude's captured builtins.
    runtime = _runtime(PROBE + MUTATIONS[name] + "\nfunction handler(req) { return probe(req); }")
    for _ in range(2):
        try:
            response = runtime.dispatch("GET", "/p?a=1&b=two", "user-agent\0probe", None)
        except HandlerError:
            continue  # the mutation broke the handler's own code: a 500, never bad bytes
        _probe_is_correct(response.status, response.headers, response.body)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_builtins_mutated_during_a_request_are_gone_on_the_next(name: str) -> None:
    source = (
        PROBE + "let mutate = false;\nfunction handler(req) {\n"
        f"  if (req.path === '/mutate') {{ {MUTATIONS[name]} return 'mutated'; }}\n"
        "  return probe(req);\n}\n"
    )
    runtime = _runtime(source)
    try:
        refused = runtime.dispatch("GET", "/mutate", "", None) is None
    except HandlerError:
        refused = True  # e.g. adding a key to a prototype after load throws (non-extensible)
    detected = runtime.tainted
    if detected:
        runtime = _runtime(source)  # what the pool does before the next request
    response = runtime.dispatch("GET", "/p?a=1&b=two", "user-agent\0probe", None)
    _probe_is_correct(response.status, response.headers, response.body)
    assert detected or refused or name in UNDETECTED, f"{name}: mutation not detected"


# Mutations the per-request check does not look for (it watches the builtins handler code leans
# on most; see SECURITY.md) -- the glue is immune to them anyway, as the tests above show.
UNDETECTED = {
    "object-defineproperty",
    "symbol-iterator",
    "response-json",
    "response-prototype",
    "lines-symbol",
    "headers-prototype",
    "uint8array",
    "array-iterator-next",
    "regexp-exec",
    "regexp-test",
    "promise-resolve",
    "object-keys",
    "date-now",
}


MERGE_GADGET = r"""
function merge(target, source) {
  for (const key of Object.keys(source)) {
    if (typeof source[key] === "object" && source[key] !== null) {
      if (typeof target[key] !== "object") target[key] = {};
      merge(target[key], source[key]);
    } else target[key] = source[key];
  }
  return target;
}
function handler(req) {
  if (req.method === "POST") return Response.json(merge({}, req.json()));
  const user = {};
  return user.isAdmin ? Response.text("admin area", {status: 200}) : Response.text("forbidden", {status: 403});
}
"""


def test_new_key_pollution_through_a_request_body_is_refused(serve) -> None:
    server = serve(MERGE_GADGET, "-n", "1")
    assert server.get("/").status_code == 403
    polluted = server.post("/", data='{"__proto__": {"isAdmin": true}}')
    assert polluted.status_code == 500 and "not extensible" in polluted.text
    assert server.get("/").status_code == 403


def test_overwriting_pollution_through_a_request_body_does_not_reach_the_next_request(serve) -> None:
    server = serve(
        MERGE_GADGET.replace(
            "const user = {};", "const user = {}; if (req.path === '/s') return String(user);"
        ),
        "-n",
        "1",
    )
    assert server.post("/", data='{"__proto__": {"toString": "not a function"}}').status_code == 200
    assert server.get("/s").text == "[object Object]", "the polluted context must have been replaced"
    server.wait_for_log("changed shared JavaScript builtins")


def test_mutation_at_the_top_level_is_accepted_as_the_baseline(serve) -> None:
    server = serve(
        "Array.prototype.last = function () { return this[this.length - 1]; };\n"
        "let calls = 0;\nfunction handler() { calls++; return Response.json({last: [1, 2].last(), calls}); }",
        "-n",
        "1",
    )
    assert server.get("/").json() == {"last": 2, "calls": 1}
    assert server.get("/").json() == {"last": 2, "calls": 2}, "no replacement: state survives"
    assert "changed shared JavaScript builtins" not in server.stderr
