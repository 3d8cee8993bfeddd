"""examples/embed: the Python program starting a server with a custom module and a TS handler."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT

TYPESCRIPT = importlib.util.find_spec("zigttp.frontend.check") is not None


@pytest.mark.skipif(not TYPESCRIPT, reason="handler.ts needs the tree-sitter front end (not merged yet)")
def test_embed_example_demo_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples/embed/main.py"), "--demo"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        '200 {"plan":"pro","seats":3,"total":8700,"currency":"EUR"}',
        '201 {"customer":"ada","charged":1800,"status":"paid"}',
    ]
