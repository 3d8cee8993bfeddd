"""The benchmark input is what it claims (1,000+ lines of TSX that compile cleanly)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from zigttp.frontend.pipeline import compile_file

BENCH = Path(__file__).resolve().parents[2] / "bench" / "frontend.py"


def _bench_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_frontend", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_handler_is_1000_lines_and_compiles(tmp_path: Path) -> None:
    text = _bench_module().generate()
    assert text.count("\n") >= 1000
    path = tmp_path / "handler.tsx"
    path.write_text(text)
    compiled = compile_file(path, use_cache=False)
    assert not compiled.errors
    assert compiled.code.count("\n") >= text.count("\n")
    assert compile_file(path) == compile_file(path)  # store, then hit
