"""The extension's own tests under AddressSanitizer + UBSan (native/sanitize.sh), in CI.

In the normal suite, one test runs native/sanitize.sh: it builds the sanitizer extension
once per version of the C sources (cached in build/sanitize/) and runs tests/engine and the
engine fuzz against it in a subprocess. Inside that run (ZIGTTP_ENGINE_SO set) the other
tests here prove the run is real: the sanitized build is the one loaded, and ASan is live.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.engine.harness import ROOT, run_isolated
from zigttp.runtime import _engine

SANITIZED = os.environ.get("ZIGTTP_ENGINE_SO")
inside = pytest.mark.skipif(SANITIZED is None, reason="checks the sanitized run itself (native/sanitize.sh)")


@pytest.mark.skipif(SANITIZED is not None, reason="this is the sanitized run")
@pytest.mark.timeout(900)  # a cold build of quickjs.c with ASan: 1-2 minutes on 2 busy cores
def test_engine_tests_pass_under_asan_and_ubsan() -> None:
    done = subprocess.run(
        [str(ROOT / "native" / "sanitize.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable},
        check=False,
    )
    if done.returncode == 77:
        pytest.skip(done.stdout.strip())
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-8000:]
    # two pytest runs: the engine tests and fuzzers, then the C lane under a real server
    summaries = [line for line in done.stdout.splitlines() if re.search(r"\d+ passed.* in [\d.]+s", line)]
    assert len(summaries) == 2, done.stdout[-4000:]
    for summary in summaries:
        assert "failed" not in summary and "error" not in summary, summary
    assert re.search(r"\b1 skipped", summaries[0]), summaries[0]  # only this test skips in there


@inside
def test_the_sanitized_build_is_the_one_loaded() -> None:
    assert _engine.__file__ == SANITIZED
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("no nm (binutils) to list the extension's symbols")
    symbols = subprocess.run(
        [nm, "-D", "--undefined-only", str(SANITIZED)], capture_output=True, text=True, check=True
    ).stdout
    assert "__asan_report_load" in symbols
    assert "__ubsan_handle_" in symbols


@inside
def test_asan_reports_an_overflow_in_this_setup() -> None:
    # Python objects are plain malloc blocks here (PYTHONMALLOC=malloc): over-reading one is
    # a heap-buffer-overflow, as an off-by-one in marshal.c writing a bytes object would be.
    done = run_isolated("import ctypes\nb = b'x' * 16\nctypes.string_at(id(b), 4096)")
    assert done.returncode != 0
    assert "AddressSanitizer: heap-buffer-overflow" in done.stderr


@inside
def test_leak_sanitizer_reports_a_leaked_python_object() -> None:
    # a new reference nobody releases, as a missing Py_DECREF in module.c would leave
    done = run_isolated(
        "import ctypes\nnew = ctypes.pythonapi.PyBytes_FromStringAndSize\n"
        "new.restype = ctypes.c_void_p\nnew.argtypes = [ctypes.c_char_p, ctypes.c_ssize_t]\n"
        "new(b'x' * 4000, 4000)\n"
    )
    assert done.returncode != 0
    assert "ERROR: LeakSanitizer: detected memory leaks" in done.stderr
