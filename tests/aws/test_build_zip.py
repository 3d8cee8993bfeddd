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

pytestmark = pytest.mark.skipif(
    os.environ.get("ZIGTTP_NETWORK_TESTS") != "1",
    reason="downloads manylinux wheels from PyPI; set ZIGTTP_NETWORK_TESTS=1",
)


def test_zip_bootstrap_serves_an_event(tmp_path: Path) -> None:
    out = tmp_path / "function.zip"
    subprocess.run(
        [str(ROOT / "deploy/lambda/build.sh"), str(ROOT / "examples/hello.js"), str(out)],
        check=True,
        timeout=300,
        env={**os.environ, "PYTHON": sys.executable},
    )
    task = tmp_path / "task"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(task)
        assert archive.getinfo("bootstrap").external_attr >> 16 & 0o111  # executable
    (task / "bootstrap").chmod(0o755)
    api = RuntimeApiDouble()
    python = shutil.which("python3.11") or sys.executable
    process = subprocess.Popen(
        [str(task / "bootstrap")],
        stderr=subprocess.PIPE,
        text=True,
        env={
            "PATH": os.environ["PATH"],
            "LAMBDA_TASK_ROOT": str(task),
            "_HANDLER": "hello.js",
            "AWS_LAMBDA_RUNTIME_API": api.address,
            "ZIGTTP_PYTHON": python,
        },
    )
    try:
        outcome = api.invoke(event("function-url", rawPath="/api/greet/zip"))
        assert outcome.payload["body"] == '{"greeting":"Hello, zip!"}'
    finally:
        process.terminate()
        process.communicate(timeout=10)
        api.close()
