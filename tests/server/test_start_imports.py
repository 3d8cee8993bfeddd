"""What a warm start imports before its first answer (issue 16 item 3: the start path is lean).

Each module below cost a cold start millions of instructions and the first answer uses none of
them (bench/README.md, cold start): `dataclasses` (with inspect, ast, dis), `hashlib` (OpenSSL),
`tempfile`/`shutil`, `traceback`, `pkgutil`, `zipfile`, click, asyncio, uvloop; and `enum` with
all that imports it (`socket` and `signal` convert their constants to IntEnums at import, `re`,
`json`, `http`, `typing`), `pathlib` (urllib.parse, ipaddress), httptools (a plain request is
read by the engine's llhttp: server/protocol.py). The server is
held in its fast phase (`ZIGTTP_FAST_START_HOLD`: the full server is not imported meanwhile) and
logs every import to stderr as it happens (`PYTHONPROFILEIMPORTTIME`), so the log after the first
answer is the start path. A warm start: the second one, once the first has filled the caches
(the front end runs, with its dataclasses, only when a handler is compiled).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, ServerProcess

HANDLER = "function handler(req) { return Response.json({ok: true, path: req.path}); }\n"
NOT_ON_THE_START_PATH = (
    "dataclasses",
    "inspect",
    "hashlib",
    "_hashlib",
    "tempfile",
    "shutil",
    "traceback",
    "pkgutil",
    "zipfile",
    "click",
    "asyncio",
    "uvloop",
    "http.client",
    "ssl",
    # session 5: what `import socket`, `signal`, `re`, `json`, `pathlib` and httptools bring
    "typing",
    "enum",
    "re",
    "json",
    "pathlib",
    "urllib.parse",
    "ipaddress",
    "socket",
    "signal",
    "http",
    "httptools",
    "selectors",
    "contextlib",
    "queue",
    "heapq",
    "bisect",
    # session 6: `threading` (its functools, collections, types, _weakrefset) and weakref
    "threading",
    "functools",
    "collections",
    "collections.abc",
    "types",
    "weakref",
)


def imported(server: ServerProcess) -> set[str]:
    """Every module the server imported so far, by its full name (its importtime log)."""
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", server.stderr, re.M))


ONE_WORKER = ("-w", "1", "-n", "1")
DEFAULT_WORKERS = ()  # (with ZIGTTP_WORKERS unset: `config.default_workers` counts the cores)


def first_answer_imports(serve, target: Path, tmp_path: Path, *flags: str) -> set[str]:
    env = {
        "ZIGTTP_FAST_START_HOLD": str(tmp_path / "hold"),  # (never created: held to the end)
        "PYTHONPROFILEIMPORTTIME": "1",
        "ZIGTTP_CACHE_DIR": str(tmp_path / "cache"),
        "ZIGTTP_WORKERS": "",  # (the tests' default is one worker)
    }
    for _ in range(2):  # the first start fills the caches
        server = serve(target, "-q", *flags, env=env)
        assert server.get("/x").json() == {"ok": True, "path": "/x"}
        modules = imported(server)
        server.stop()
    return modules


@pytest.mark.parametrize("flags", [ONE_WORKER, DEFAULT_WORKERS], ids=["one worker", "default workers"])
def test_a_source_handler_answers_before_importing_what_it_does_not_use(
    serve, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(HANDLER)
    modules = first_answer_imports(serve, handler, tmp_path, *flags)
    assert "zigttp.server.fast_start" in modules  # (the log is the server's)
    assert sorted(modules & set(NOT_ON_THE_START_PATH)) == []


def test_an_artifact_answers_before_importing_what_it_does_not_use(serve, tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(HANDLER)
    artifact = tmp_path / "h.pyz"
    built = subprocess.run(
        [sys.executable, "-m", "zigttp", "build", str(handler), "-o", str(artifact)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    modules = first_answer_imports(serve, artifact, tmp_path, *ONE_WORKER)
    assert "zigttp.build.artifact" in modules
    assert sorted(modules & set(NOT_ON_THE_START_PATH)) == []  # (its JSON: zigttp.lean.json_loads)


def test_zigttp_lambda_answers_its_first_event_before_importing_what_it_does_not_use(tmp_path: Path) -> None:
    """init → first invocation (the Runtime API double): the import log up to the invocation's
    access line. What the process imports after its first answer (the sweep, the import
    bundle's refresh, whatever runs while it is stopped) is not on the start path, and its
    timing varies with the stop. An empty TMPDIR: the sweep finds nothing to remove."""
    from tests.aws.conftest import HANDLER, LambdaProcess, event

    env = {"PYTHONPROFILEIMPORTTIME": "1", "TMPDIR": str(tmp_path), "ZIGTTP_CACHE_DIR": str(tmp_path / "c")}
    for _ in range(2):  # the first start fills the caches
        process = LambdaProcess([str(HANDLER)], env)
        assert process.api.invoke(event("apigw-http-v2")).kind == "response"
        stderr = process.stop()
    answered = re.search(r"^\[[\w-]+\] POST /my/path\S* -> 201 ", stderr, re.M)
    assert answered, stderr[-2000:]  # (stderr is line-buffered: the log's lines keep their order)
    modules = set(
        re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", stderr[: answered.start()], re.M)
    )
    assert "zigttp.aws.runtime_loop" in modules
    assert sorted(modules & {*NOT_ON_THE_START_PATH, "runpy", "importlib.util", "base64", "urllib"}) == []
