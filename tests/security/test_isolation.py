"""Isolation: runtimes do not share state, `--isolation request` forgets everything between
requests, concurrent requests never see each other's data, and handler code reaches nothing of
the host beyond the declared `zigttp:*` modules.
"""

from __future__ import annotations

import concurrent.futures
import json
import secrets

import pytest

from zigttp.frontend.pipeline import compile_source
from zigttp.runtime import globals as runtime_globals
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

STATEFUL = r"""
let counter = 0;
function handler(req) {
  if (req.path === "/set") { globalThis.planted = req.query.v; counter += 100; }
  counter++;
  return Response.json({planted: globalThis.planted ?? null, counter});
}
"""


def _runtime(source: str):
    handler = load_handler(compile_source(source, "iso.js"), RuntimeLimits(), console=lambda *a: None)
    return handler.new_runtime()


def _call(runtime, path: str, headers: str = "") -> dict:
    return json.loads(runtime.dispatch("GET", path, headers, None).body)


def test_one_runtimes_globals_are_invisible_to_another() -> None:
    first, second = _runtime(STATEFUL), _runtime(STATEFUL)
    assert _call(first, "/set?v=secret")["planted"] == "secret"
    assert _call(second, "/") == {"planted": None, "counter": 1}
    assert _call(first, "/") == {"planted": "secret", "counter": 102}


def test_isolation_request_forgets_globals_between_requests(serve) -> None:
    server = serve(STATEFUL, "-n", "1", "--isolation", "request")
    assert server.get("/set?v=secret").json()["planted"] == "secret"
    for _ in range(3):
        assert server.get("/").json() == {"planted": None, "counter": 1}


def test_default_isolation_keeps_state_in_a_runtime(serve) -> None:
    server = serve(STATEFUL, "-n", "1")
    server.get("/set?v=kept")
    assert server.get("/").json() == {"planted": "kept", "counter": 102}


SECRETS = r"""
async function handler(req) {
  const mine = req.headers.get("x-secret");
  globalThis.lastSecret = mine;               // shared by every request of this runtime
  await null;                                  // a turn of the job queue between write and read
  let spin = 0; for (let i = 0; i < 2000; i++) spin += i;
  return Response.json({mine, global: globalThis.lastSecret, body: await req.text()});
}
"""


@pytest.mark.parametrize("isolation", ["context", "request"])
def test_secrets_never_cross_requests_under_concurrent_load(serve, isolation: str) -> None:
    server = serve(SECRETS, "-n", "4", "-q", "--isolation", isolation)

    def one(_: int) -> tuple[str, str, str]:
        secret = secrets.token_hex(8)
        response = server.post("/", headers={"x-secret": secret}, data=f"body-{secret}")
        assert response.status_code == 200
        return secret, response.text, response.json()["global"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(240)))
    for secret, text, seen in results:
        assert seen == secret, "another request's secret leaked into this response"
        assert text.count(secret) == 3  # mine, global, body; and nothing of anybody else:
    all_secrets = {secret for secret, _, _ in results}
    for secret, text, _ in results:
        assert not any(other in text for other in all_secrets - {secret})


PROBES = {
    "require": "typeof require",
    "process": "typeof process",
    "module": "typeof module",
    "exports": "typeof exports",
    "std": "typeof std",
    "os": "typeof os",
    "XMLHttpRequest": "typeof XMLHttpRequest",
    "WebSocket": "typeof WebSocket",
    "Deno": "typeof Deno",
    "Bun": "typeof Bun",
    "scriptArgs": "typeof scriptArgs",
    "print": "typeof print",
    "load": "typeof load",
    "WebAssembly": "typeof WebAssembly",  # quickjs-ng has none: a documented absence (docs/web-api.md)
    "Worker": "typeof Worker",
    "host-function": "typeof __zigttp_host",
    "dispatch-hook": "typeof __zigttp_dispatch",
    "configure-hook": "typeof __zigttp_configure",
    "snapshot-hook": "typeof __zigttp_snapshot",
}
ATTEMPTS = {
    "import-os": "import('os')",
    "import-std": "import('std')",
    "import-file": "import('/etc/passwd')",
    "import-relative": "import('./iso.js')",
    "import-node-fs": "import('node:fs')",
}
# Everything a handler's global scope may hold: ECMAScript builtins of quickjs-ng, the web-platform
# API, the JSX runtime, the dialect's helpers and the front end's instrumentation (one list,
# zigttp/runtime/globals.py, which `check` uses too).
ALLOWED_GLOBALS = set(runtime_globals.ALL)


@pytest.fixture(scope="module")
def probe_runtime():
    checks = ", ".join(f"{json.dumps(name)}: {expr}" for name, expr in PROBES.items())
    attempts = ", ".join(
        f"{json.dumps(name)}: {expr}.then(() => 'loaded', (e) => 'refused: ' + e)"
        for name, expr in ATTEMPTS.items()
    )
    source = (
        f"async function handler(req) {{\n"
        f"  if (req.path === '/globals') return Response.json(Object.getOwnPropertyNames(globalThis));\n"
        f"  if (req.path === '/typeof') return Response.json({{{checks}}});\n"
        f"  const a = {{{attempts}}};\n"
        f"  const out = {{}};\n"
        f"  for (const k of Object.keys(a)) out[k] = await a[k];\n"
        f"  return Response.json(out);\n}}\n"
    )
    return _runtime(source)


def _drain(runtime, path: str) -> dict:
    return json.loads(runtime.dispatch("GET", path, "", None).body)


@pytest.mark.parametrize("name", list(PROBES))
def test_no_host_object_is_visible(probe_runtime, name: str) -> None:
    assert _drain(probe_runtime, "/typeof")[name] == "undefined"


@pytest.mark.parametrize("name", list(ATTEMPTS))
def test_dynamic_import_of_host_modules_and_files_is_refused(probe_runtime, name: str) -> None:
    assert _drain(probe_runtime, "/attempts")[name].startswith("refused")


def test_global_scope_holds_only_allowed_names(probe_runtime) -> None:
    assert set(_drain(probe_runtime, "/globals")) <= ALLOWED_GLOBALS


def test_module_host_is_reachable_only_through_declared_modules() -> None:
    source = (
        'import { env } from "zigttp:env";\n'
        "function handler() {\n"
        "  let unknown;\n"
        "  try { __zigttp_import('fs'); unknown = 'loaded'; } catch (e) { unknown = String(e); }\n"
        "  return Response.json({host: typeof __zigttp_host, unknown, home: env('HOME') ?? null,"
        " path: env('PATH') ?? null}); }\n"
    )
    body = _call(_runtime(source), "/")
    assert body["host"] == "undefined"
    assert "unknown module" in body["unknown"]
    assert body["home"] is None and body["path"] is None, "env() outside the allow-list is undefined"


def test_env_exposes_only_allow_listed_variables(serve) -> None:
    source = (
        'import { env } from "zigttp:env";\n'
        "function handler() { return Response.json({ok: env('ZIGTTP_TEST_OK') ?? null,"
        " secret: env('ZIGTTP_TEST_SECRET') ?? null, home: env('HOME') ?? null}); }\n"
    )
    server = serve(
        source,
        "-n",
        "1",
        "--allow-env",
        "ZIGTTP_TEST_OK",
        env={"ZIGTTP_TEST_OK": "visible", "ZIGTTP_TEST_SECRET": "hidden"},
    )
    assert server.get("/").json() == {"ok": "visible", "secret": None, "home": None}
