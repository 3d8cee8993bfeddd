"""Golden corpus under `cases/`: each input file has its expected result checked in.

* `strip/NAME.{ts,tsx,js}` → `NAME.out` : compiled code (no depth guard, for reading), then
  a `---- diagnostics` section; the output must also keep the input's line count;
* `jsx/NAME.{jsx,tsx}` → `NAME.html` : what `render()` returns in a real QuickJS context;
* `check/NAME.*` → `NAME.default.txt`, `NAME.strict.txt` : exit code + diagnostic headlines.

Set ZIGTTP_REGEN=1 to rewrite the expected files after an intended change (then review the
diff: the expected files are the specification).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.frontend.build import build_inline
from zigttp.frontend.check import run_check
from zigttp.frontend.pipeline import compile_file
from zigttp.frontend.transform import Options

CASES = Path(__file__).parent / "cases"
SOURCES = (".ts", ".tsx", ".js", ".jsx")
REGEN = os.environ.get("ZIGTTP_REGEN") == "1"


def _inputs(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.suffix in SOURCES)


def _compare(expected_path: Path, actual: str) -> None:
    if REGEN:
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"missing {expected_path.name}; run with ZIGTTP_REGEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", _inputs("strip"), ids=lambda p: p.name)
def test_strip_output_matches_golden(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    compiled = build_inline(text, path.name, Options())
    if not any(d.code == "ZT001" for d in compiled.diagnostics):
        entry = compiled.code.split("\nglobalThis.__zigttp_exports")[0]
        assert entry.count("\n") == text.count("\n"), "line count changed"
    diags = "\n".join(d.headline() for d in compiled.diagnostics)
    _compare(path.with_suffix(".out"), f"{compiled.code}\n---- diagnostics\n{diags}\n")


@pytest.mark.parametrize("path", _inputs("jsx"), ids=lambda p: p.name)
def test_jsx_render_matches_golden(path: Path, js: Callable[[str, str], Any]) -> None:
    compiled = compile_file(path, use_cache=False)
    _compare(path.with_suffix(".html"), js(compiled.code, "render()") + "\n")


@pytest.mark.parametrize("profile", ["default", "strict"])
@pytest.mark.parametrize("path", _inputs("check"), ids=lambda p: p.name)
def test_check_matches_golden(path: Path, profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    out = io.StringIO()
    code = run_check([path.name], json_output=False, profile=profile, color=False, out=out)
    headlines = [line for line in out.getvalue().splitlines() if line.startswith(path.name)]
    _compare(path.with_suffix(f".{profile}.txt"), f"exit {code}\n" + "\n".join(headlines) + "\n")


def _error_free(kind: str) -> list[Path]:
    expected = (p.with_suffix(".out") for p in _inputs(kind))
    return [
        p.with_suffix(".ts") if p.with_suffix(".ts").exists() else p.with_suffix(".tsx")
        for p in expected
        if p.exists() and "error[" not in p.read_text(encoding="utf-8")
    ]


@pytest.mark.parametrize("path", _error_free("strip"), ids=lambda p: p.name)
def test_strip_output_is_valid_javascript(path: Path, context: Callable[[], Any]) -> None:
    """Every error-free golden output (with the depth guard on) parses and runs its top level."""
    compiled = build_inline(path.read_text(encoding="utf-8"), path.name, Options())
    assert not compiled.errors
    context().eval(compiled.code)
