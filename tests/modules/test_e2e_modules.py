"""End to end: handlers using zigttp:* modules served over HTTP by real server processes.

Runs `e2e_launcher.py` (server + workers + pool + bridge, front end bypassed) on port 0 and
talks to it with `requests`, one new connection per request so SO_REUSEPORT spreads requests
over the workers.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

LAUNCHER = Path(__file__).with_name("e2e_launcher.py")
BANNER = re.compile(r"Listening on (http://\S+?:\d+)")

Serve = Callable[..., str]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    processes: list[subprocess.Popen[str]] = []
    stderr_path = tmp_path / "server.stderr"

    def start(code: str, modules: list[str], workers: int = 1, pool: int = 2, **options: Any) -> str:
        spec = json.dumps(
            {"code": code, "modules": modules, "workers": workers, "pool": pool, "options": options}
        )
        with stderr_path.open("a") as stderr:
            process = subprocess.Popen(
                [sys.executable, str(LAUNCHER), spec],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        processes.append(process)
        return _wait_for_banner(process, stderr_path)

    yield start
    for process in processes:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout is not None:
            process.stdout.close()


def _wait_for_banner(process: subprocess.Popen[str], stderr: Path, timeout: float = 20.0) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"server exited before its banner:\n{stderr.read_text()}")
        match = BANNER.search(line)
        if match:
            return match.group(1)
    raise AssertionError("no banner within the timeout")


def get(url: str, **kwargs: object) -> requests.Response:
    with requests.Session() as session:  # a fresh connection per request
        return session.get(url, timeout=10, **kwargs)  # type: ignore[arg-type]


# `firstInProcess`: schema registries are per process, so dropping a schema every runtime
# compiled at load succeeds once per worker process: it counts the workers that served.
RATELIMIT = """
const { rateCheck } = __zigttp_import("ratelimit");
const { schemaCompile, schemaDrop } = __zigttp_import("validate");
schemaCompile("marker", "{}");
function handler(req) {
  const firstInProcess = schemaDrop("marker");
  const r = rateCheck("global", 10, 3600);
  const headers = { "x-first-in-process": String(firstInProcess) };
  return r.ok ? Response.json(r.value, { headers }) : Response.json(r.error, { status: 429, headers });
}
"""


@pytest.mark.timeout(90)
def test_ratelimit_holds_server_wide_across_two_workers(serve: Serve) -> None:
    # One runtime per worker: its top level (the marker) runs once per process. With more, the
    # runtimes built after the first answer (the pool warms then) would compile it again.
    url = serve(RATELIMIT, ["ratelimit", "validate"], workers=2, pool=1)
    responses = [get(url + "/") for _ in range(40)]
    statuses = [response.status_code for response in responses]
    workers_seen = sum(r.headers["x-first-in-process"] == "true" for r in responses)
    assert workers_seen == 2  # both workers served requests...
    assert statuses.count(200) == 10  # ...and the limit held for the server, not per worker
    assert statuses.count(429) == 30
    assert get(url + "/").json() == {"tag": "rate_exceeded", "retryAfter": pytest.approx(3600, abs=5)}


CACHE = """
const { cacheGet, cacheSet, cacheIncr } = __zigttp_import("cache");
function handler(req) {
  if (req.path === "/set") return Response.json(cacheSet("ns", "k", req.query.v));
  if (req.path === "/get") return Response.json({ v: cacheGet("ns", "k") ?? null });
  return Response.json(cacheIncr("ns", "hits"));
}
"""


@pytest.mark.timeout(90)
def test_cache_is_shared_by_both_workers(serve: Serve) -> None:
    url = serve(CACHE, ["cache"], workers=2)
    assert get(url + "/set", params={"v": "shared"}).json() is True
    assert {get(url + "/get").json()["v"] for _ in range(10)} == {"shared"}
    counts = [get(url + "/incr").json() for _ in range(20)]
    assert sorted(counts) == list(range(1, 21))


APP = """
const { parseBearer, jwtSign, jwtVerify } = __zigttp_import("auth");
const { routerMatch } = __zigttp_import("router");
const { rateCheck } = __zigttp_import("ratelimit");
const { schemaCompile, validateJson } = __zigttp_import("validate");
const { sql, sqlOne } = __zigttp_import("sql");
const { escapeHtml } = __zigttp_import("text");
const SECRET = "e2e-secret";
schemaCompile("item", JSON.stringify({ type: "object", required: ["name"],
  properties: { name: { type: "string", minLength: 1 } } }));
sql("one", "SELECT 1 AS one");

const routes = {
  "GET /token": (req) => Response.text(jwtSign({ sub: "u1", exp: Number(req.query.exp) }, SECRET)),
  "GET /me": (req) => {
    const token = parseBearer(req.headers.get("authorization"));
    if (token === undefined) return Response.json({ error: "missing token" }, { status: 401 });
    const auth = jwtVerify(token, SECRET);
    return auth.ok ? Response.json({ sub: auth.value.sub })
                   : Response.json({ error: auth.error }, { status: 401 });
  },
  "GET /users/:id": (req, params) => Response.json(params),
  "POST /items": (req) => {
    const r = validateJson("item", req.text());
    return r.ok ? Response.json(r.value, { status: 201 }) : Response.json(r, { status: 400 });
  },
  "GET /type-error": () => {
    try { rateCheck(42, 1, 1); } catch (e) { return Response.text(e.name + ": " + e.message); }
    return Response.text("no throw");
  },
  "GET /sql": () => Response.json(sqlOne("one")),
  "GET /map": () => Response.json(["<a>", "&"].map(escapeHtml)),
};

function handler(req) {
  const m = routerMatch(routes, req);
  return m ? m.handler(req, m.params) : Response.json({ error: "Not Found" }, { status: 404 });
}
"""
APP_MODULES = ["auth", "router", "ratelimit", "validate", "sql", "text"]


@pytest.fixture
def app(serve: Serve) -> str:
    return serve(APP, APP_MODULES)


def test_jwt_round_trip_over_http(app: str) -> None:
    token = get(app + "/token", params={"exp": 4_000_000_000}).text
    response = get(app + "/me", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (200, {"sub": "u1"})


def test_expired_jwt_is_rejected(app: str) -> None:
    token = get(app + "/token", params={"exp": 1}).text
    response = get(app + "/me", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (401, {"error": "token expired"})


def test_tampered_jwt_is_rejected(app: str) -> None:
    header, payload, signature = get(app + "/token", params={"exp": 4_000_000_000}).text.split(".")
    forged = f"{header}.{payload[:-2]}xx.{signature}"
    response = get(app + "/me", headers={"Authorization": f"Bearer {forged}"})
    assert (response.status_code, response.json()["error"]) == (401, "invalid signature")


def test_missing_bearer_is_401(app: str) -> None:
    assert get(app + "/me").status_code == 401


def test_router_wrapper_returns_handler_and_params(app: str) -> None:
    assert get(app + "/users/42").json() == {"id": "42"}
    assert get(app + "/nope").status_code == 404


def test_validation_errors_cross_as_results(app: str) -> None:
    with requests.Session() as session:
        bad = session.post(app + "/items", data='{"name": ""}', timeout=10)
        good = session.post(app + "/items", data='{"name": "pen"}', timeout=10)
    assert (bad.status_code, bad.json()["errors"]) == (
        400,
        [{"path": "name", "message": "string too short"}],
    )
    assert (good.status_code, good.json()) == (201, {"name": "pen"})


def test_module_type_error_is_a_js_type_error(app: str) -> None:
    assert get(app + "/type-error").text == ("TypeError: rateCheck: argument 'key' must be a string")


def test_sql_without_database_is_a_clear_result(app: str) -> None:
    result = get(app + "/sql").json()
    assert result["ok"] is False and result["error"]["tag"] == "not_configured"


def test_exports_accept_js_call_shapes(app: str) -> None:
    assert get(app + "/map").json() == ["&lt;a&gt;", "&amp;"]  # map passes (value, i, array)


CRUD = """
const { sql, sqlOne, sqlMany, sqlExec } = __zigttp_import("sql");
const { routerMatch } = __zigttp_import("router");
const { env } = __zigttp_import("env");
sql("create", "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
sql("add", "INSERT INTO notes (body) VALUES (:body)");
sql("get", "SELECT id, body FROM notes WHERE id = :id");
sql("find", "SELECT id, body FROM notes WHERE body = :body");
sql("list", "SELECT id, body FROM notes ORDER BY id");
sql("update", "UPDATE notes SET body = :body WHERE id = :id");
sql("remove", "DELETE FROM notes WHERE id = :id");

function status(r, ok) { return r.ok ? ok : 500; }
const routes = {
  "POST /setup": () => Response.json(sqlExec("create")),
  "POST /notes": (req) => {
    const r = sqlExec("add", { body: req.text() });
    return Response.json(r, { status: status(r, 201) });
  },
  "GET /notes": () => Response.json(sqlMany("list")),
  "GET /notes/:id": (req, p) => {
    const r = sqlOne("get", { id: Number(p.id) });
    return Response.json(r, { status: r.ok && r.value === null ? 404 : status(r, 200) });
  },
  "GET /search": (req) => Response.json(sqlMany("find", { body: req.query.q })),
  "PUT /notes/:id": (req, p) => Response.json(sqlExec("update", { id: Number(p.id), body: req.text() })),
  "DELETE /notes/:id": (req, p) => Response.json(sqlExec("remove", { id: Number(p.id) })),
  "GET /env/:name": (req, p) => Response.json({ value: env(p.name) ?? null }),
};

function handler(req) {
  const m = routerMatch(routes, req);
  return m ? m.handler(req, m.params) : Response.json({ error: "Not Found" }, { status: 404 });
}
"""


@pytest.fixture
def crud(serve: Serve, tmp_path: Path) -> str:
    url = serve(CRUD, ["sql", "router", "env"], sqlite=str(tmp_path / "notes.db"), env_allow=["HOME"])
    with requests.Session() as session:
        assert session.post(url + "/setup", timeout=10).json()["ok"] is True
    return url


def test_sql_crud_over_http(crud: str) -> None:
    with requests.Session() as s:
        created = s.post(crud + "/notes", data="first", timeout=10)
        assert (created.status_code, created.json()["value"]["lastInsertRowId"]) == (201, 1)
        s.post(crud + "/notes", data="second", timeout=10)
        assert s.get(crud + "/notes/1", timeout=10).json()["value"] == {"id": 1, "body": "first"}
        assert s.put(crud + "/notes/1", data="edited", timeout=10).json()["value"] == {"rowsAffected": 1}
        assert s.delete(crud + "/notes/2", timeout=10).json()["value"]["rowsAffected"] == 1
        assert s.get(crud + "/notes", timeout=10).json()["value"] == [{"id": 1, "body": "edited"}]
        assert s.get(crud + "/notes/2", timeout=10).status_code == 404


def test_sql_injection_over_http_stays_data(crud: str) -> None:
    with requests.Session() as s:
        s.post(crud + "/notes", data="keep", timeout=10)
        attack = "x' OR '1'='1"
        assert s.get(crud + "/search", params={"q": attack}, timeout=10).json()["value"] == []
        s.post(crud + "/notes", data="'); DROP TABLE notes; --", timeout=10)
        bodies = [n["body"] for n in s.get(crud + "/notes", timeout=10).json()["value"]]
    assert bodies == ["keep", "'); DROP TABLE notes; --"]


def test_env_allow_list_over_http(crud: str) -> None:
    assert get(crud + "/env/HOME").json()["value"]  # allowed and set
    assert get(crud + "/env/PATH").json() == {"value": None}  # set but not allowed


FETCH = """
const { fetch } = __zigttp_import("fetch");
function handler(req) {
  const r = fetch(req.query.target);
  return r.ok ? Response.text(r.text(), { status: r.status })
              : Response.json({ tag: r.error, status: r.status }, { status: 502 });
}
"""


class _Upstream(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "8")
        self.end_headers()
        self.wfile.write(b"upstream")

    def log_message(self, *args: Any) -> None:
        pass


def test_fetch_from_a_handler_reaches_only_allowed_hosts(serve: Serve) -> None:
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{upstream.server_address[1]}/"
        url = serve(FETCH, ["fetch"], outbound_hosts=["127.0.0.1"])
        assert get(url + "/", params={"target": target}).text == "upstream"
        refused = get(url + "/", params={"target": target.replace("127.0.0.1", "localhost")})
        assert refused.status_code == 502
        assert refused.json() == {"tag": "host_not_allowed", "status": 599}
    finally:
        upstream.shutdown()
        upstream.server_close()
