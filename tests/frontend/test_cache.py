"""The on-disk cache: a restart reuses the compile; any change to the entry, a dependency,
the options or the zigttp version misses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from zigttp.frontend import build, cache
from zigttp.frontend.pipeline import compile_file

Write = Callable[[str, str], Path]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every real (uncached) build."""
    calls: list[Path] = []
    original = build.build_entry

    def counting(path: Path, options: object) -> object:
        calls.append(path)
        return original(path, options)  # type: ignore[arg-type]

    monkeypatch.setattr("zigttp.frontend.build.build_entry", counting)
    return calls


def test_second_compile_is_a_cache_hit(project: Path, write: Write, builds: list[Path]) -> None:
    entry = write("h.ts", "function handler(): number { return 1; }\n")
    first = compile_file(entry)
    second = compile_file(entry)
    assert first == second and len(builds) == 1


def test_entry_change_misses(project: Path, write: Write, builds: list[Path]) -> None:
    entry = write("h.ts", "function handler() { return 1; }\n")
    compile_file(entry)
    entry.write_text("function handler() { return 2; }\n")
    assert "return 2" in compile_file(entry).code and len(builds) == 2


def test_dependency_change_misses(project: Path, write: Write, builds: list[Path]) -> None:
    dep = write("dep.ts", "export const a = 1;\n")
    entry = write("h.ts", 'import { a } from "./dep";\nfunction handler() { return a; }\n')
    compile_file(entry)
    dep.write_text("export const a = 2;\n")
    assert "const a = 2" in compile_file(entry).code and len(builds) == 2


def test_version_is_part_of_the_key(
    project: Path, write: Write, builds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = write("h.ts", "function handler() { return 1; }\n")
    compile_file(entry)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    compile_file(entry)
    assert len(builds) == 2


def test_errors_are_not_cached(project: Path, write: Write, builds: list[Path]) -> None:
    entry = write("h.ts", "with (x) {}\n")
    for _ in range(2):
        with pytest.raises(Exception):  # noqa: B017 - SourceError subclass
            compile_file(entry)
    assert len(builds) == 2


def test_cache_dir_from_environment(isolated_cache: Path, project: Path, write: Write) -> None:
    compile_file(write("h.ts", "function handler() { return 1; }\n"))
    assert list(isolated_cache.rglob("*.entry"))


def test_corrupt_cache_entry_is_a_miss(isolated_cache: Path, project: Path, write: Write) -> None:
    entry = write("h.ts", "function handler() { return 1; }\n")
    compile_file(entry)
    for stored in isolated_cache.rglob("*.entry"):
        stored.write_bytes(b"{not marshal")
    assert "return 1" in compile_file(entry).code


def test_no_cache_env_disables(
    monkeypatch: pytest.MonkeyPatch, isolated_cache: Path, project: Path, write: Write
) -> None:
    monkeypatch.setenv("ZIGTTP_NO_CACHE", "1")
    compile_file(write("h.ts", "function handler() { return 1; }\n"))
    assert not list(isolated_cache.rglob("*.entry"))
