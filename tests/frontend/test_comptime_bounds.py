"""comptime() is bounded in size and time (issue 19.7): `comptime("a".repeat(1e10))` drove
`zigttp check` to 12.9 GB in 60 s and died with a traceback under a memory cap. Each case runs
the real CLI under a 1 GiB address-space cap; an unbounded fold dies (MemoryError) instead of
printing the diagnostic at file:line:col."""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path

import pytest

from tests.conftest import zigttp_command

CAP = 1 << 30

CASES = {
    "repeat": ('const big = comptime("a".repeat(1e10));', 22),
    "padStart": ('const big = comptime("x".padStart(1e12));', 22),
    "replaceAll": ('const big = comptime("a".repeat(1000000).replaceAll("a", "bbbb"));', 22),
    "concat": ('const big = comptime("a".repeat(1000000) + "b".repeat(1000000));', 22),
    "split": ("const big = comptime([" + ", ".join(['"a".repeat(1000000).split("")'] * 3) + "]);", 13),
}


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def run_capped(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        zigttp_command(*args), capture_output=True, text=True, timeout=120, preexec_fn=_capped
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_oversized_comptime_is_a_diagnostic_at_its_position(tmp_path: Path, name: str) -> None:
    line, col = CASES[name]
    path = tmp_path / "h.js"
    path.write_text(f"{line}\nfunction handler() {{ return Response.text(String(big)); }}\n")
    result = run_capped("check", str(path))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-2000:]
    assert "Traceback" not in output
    assert f"{path}:1:{col}: error[ZT409]" in output
    assert "1 MiB per string" in output


def test_many_large_comptime_calls_hit_the_per_file_budget(tmp_path: Path) -> None:
    lines = [f'const a{i} = comptime("a".repeat(1000000));' for i in range(40)]
    path = tmp_path / "h.js"
    path.write_text("\n".join(lines) + "\nfunction handler() { return Response.text(a0); }\n")
    result = run_capped("check", str(path))
    assert result.returncode == 1
    assert (
        f"{path}:9:12: error[ZT409]: comptime: comptime() results in this file exceed 8 MiB" in result.stdout
    )


def test_serve_refuses_it_at_load_with_the_same_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "h.js"
    path.write_text(CASES["repeat"][0] + "\nfunction handler() { return Response.text(big); }\n")
    result = run_capped("serve", str(path), "--port", "0")
    assert result.returncode == 1 and f"{path}:1:22: error[ZT409]" in result.stderr
