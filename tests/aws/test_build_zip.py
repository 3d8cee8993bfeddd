"""deploy/lambda/build.sh → function.zip whose bootstrap serves events (downloads wheels: opt-in)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.aws.conftest import event
from tests.aws.runtime_double import RuntimeApiDouble
from tests.conftest import ROOT

network = pytest.mark.skipif(
    os.environ.get("ZIGTTP_NETWORK_TESTS") != "1",
    reason="downloads manylinux wheels from PyPI; set ZIGTTP_NETWORK_TESTS=1",
)


def invoke_zip(zip_path: Path, task: Path, handler: str, path: str, python: str) -> str:
    """Unpack `zip_path`, run its bootstrap against a Runtime API double, return one body."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(task)
        assert archive.getinfo("bootstrap").external_attr >> 16 & 0o111  # executable
    (task / "bootstrap").chmod(0o755)
    api = RuntimeApiDouble()
    process = subprocess.Popen(
        [str(task / "bootstrap")],
        stderr=subprocess.PIPE,
        text=True,
        env={
            "PATH": os.environ["PATH"],
            "LAMBDA_TASK_ROOT": str(task),
            "_HANDLER": handler,
            "AWS_LAMBDA_RUNTIME_API": api.address,
            "ZIGTTP_PYTHON": python,
        },
    )
    try:
        return api.invoke(event("function-url", rawPath=path)).payload["body"]
    finally:
        process.terminate()
        process.communicate(timeout=10)
        api.close()


@network
def test_zip_bootstrap_serves_an_event(tmp_path: Path) -> None:
    out = tmp_path / "function.zip"
    subprocess.run(
        [str(ROOT / "deploy/lambda/build.sh"), str(ROOT / "examples/hello.js"), str(out)],
        check=True,
        timeout=300,
        env={**os.environ, "PYTHON": sys.executable},
    )
    python = shutil.which("python3.11") or sys.executable
    body = invoke_zip(out, tmp_path / "task", "hello.js", "/api/greet/zip", python)
    assert body == '{"greeting":"Hello, zip!"}'
    with zipfile.ZipFile(out) as archive:  # (PEP 552 flags: 0b01 = hash-based, not checked)
        flags = {n: archive.read(n)[4:8] for n in archive.namelist() if n.endswith(".pyc")}
    assert flags and set(flags.values()) == {(1).to_bytes(4, "little")}
    assert any("zigttp/aws/__pycache__/runtime_loop." in name for name in flags)


def test_zip_carries_relative_imports_as_one_built_artifact(tmp_path: Path) -> None:
    """Issue 19.13: the zip held only the entry file, so `./lib.js` failed at init on Lambda.
    NO_DEPS=1 skips the wheel download; the bootstrap runs with this interpreter's zigttp."""
    app = tmp_path / "app"
    (app / "lib").mkdir(parents=True)
    (app / "lib" / "greet.js").write_text('export function greet(n) { return "hi " + n; }\n')
    (app / "api.js").write_text(
        'import { greet } from "./lib/greet.js";\n'
        'export function handler(req) { return Response.text(greet("zip")); }\n'
    )
    out = tmp_path / "function.zip"
    subprocess.run(
        [str(ROOT / "deploy/lambda/build.sh"), str(app / "api.js"), str(out)],
        check=True,
        timeout=120,
        env={**os.environ, "PYTHON": sys.executable, "NO_DEPS": "1"},
    )
    with zipfile.ZipFile(out) as archive:
        assert sorted(n for n in archive.namelist() if not n.endswith("/")) == ["api.pyz", "bootstrap"]
    assert invoke_zip(out, tmp_path / "task", "api.js", "/", sys.executable) == "hi zip"
