"""The on-disk bytecode cache (runtime.bytecode_cache): a restart reads what the last start
compiled; a changed source, engine or damaged entry compiles afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from zigttp.frontend.pipeline import compile_source
from zigttp.runtime import bytecode_cache
from zigttp.runtime.engine import compile_script, handler_bytecode
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

SOURCE = "function handler(req) { return Response.text('cached'); }"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZIGTTP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("ZIGTTP_NO_CACHE", raising=False)
    return tmp_path / "bytecode"


def _refuse() -> bytes:
    raise AssertionError("compiled although the cache holds this script")


def test_a_second_compile_reads_the_cache(cache: Path):
    first = bytecode_cache.cached_compile(SOURCE, "h", lambda: compile_script(SOURCE))
    assert bytecode_cache.cached_compile(SOURCE, "h", _refuse) == first
    assert len(list(cache.rglob("*"))) == 2  # one folder, one entry


def test_a_changed_source_is_compiled_again():
    bytecode_cache.cached_compile(SOURCE, "h", lambda: compile_script(SOURCE))
    changed = SOURCE.replace("cached", "changed")
    calls = []
    bytecode_cache.cached_compile(changed, "h", lambda: calls.append(1) or compile_script(changed))
    assert calls == [1]


def test_a_package_script_is_read_only_on_a_miss_and_an_edit_is_a_miss(tmp_path: Path):
    """`cached_compile_file` (our own scripts) keys by path, size and mtime: a warm start
    reads no source; an edited file compiles afresh."""
    script = tmp_path / "script.js"
    script.write_text(SOURCE)
    first = bytecode_cache.cached_compile_file(script, "s", lambda: compile_script(script.read_text()))
    assert bytecode_cache.cached_compile_file(script, "s", _refuse) == first
    script.write_text(SOURCE.replace("cached", "edited!"))
    again = bytecode_cache.cached_compile_file(script, "s", lambda: compile_script(script.read_text()))
    assert again != first


def test_a_damaged_entry_is_a_miss_never_bytecode(cache: Path):
    good = bytecode_cache.cached_compile(SOURCE, "h", lambda: compile_script(SOURCE))
    (entry,) = [p for p in cache.rglob("*") if p.is_file()]
    entry.write_bytes(entry.read_bytes()[:-5])
    assert bytecode_cache.cached_compile(SOURCE, "h", lambda: compile_script(SOURCE)) == good


def test_a_flipped_byte_in_an_entry_is_a_miss_never_bytecode(cache: Path):
    good = bytecode_cache.cached_compile(SOURCE, "h", lambda: compile_script(SOURCE))
    (entry,) = [p for p in cache.rglob("*") if p.is_file()]
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0x01
    entry.write_bytes(bytes(data))
    calls = []
    again = bytecode_cache.cached_compile(SOURCE, "h", lambda: calls.append(1) or compile_script(SOURCE))
    assert calls == [1]  # compiled afresh: the check refused the damaged bytecode
    assert again == good


def test_no_cache_compiles_every_time(monkeypatch: pytest.MonkeyPatch, cache: Path):
    monkeypatch.setenv("ZIGTTP_NO_CACHE", "1")
    bytecode_cache.cached_compile(SOURCE, "h", lambda: compile_script(SOURCE))
    assert not cache.exists()


def test_a_handler_from_cached_bytecode_serves_like_a_compiled_one():
    handler_bytecode(SOURCE)  # stored by this load...
    loaded = load_handler(compile_source(SOURCE, "h.js"), RuntimeLimits(), console=lambda *a: None)
    response = loaded.new_runtime().dispatch("GET", "/", "host\0x", None)  # ...read by this one
    assert (response.status, response.body) == (200, b"cached")
