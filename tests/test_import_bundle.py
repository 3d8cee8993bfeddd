"""The import bundle (zigttp/import_bundle.py): a start after the first imports zigttp's modules
from one file, each only while its source is unchanged; an edited, new or deleted source is
imported the usual way and the bundle catches up. Real interpreters, real files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

HANDLER = "function handler(req) { return Response.json({ok: true}); }\n"


def run(code: str, cache: Path, *, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter, the bundle's cache in `cache`."""
    environ = dict(os.environ)
    environ.update({"ZIGTTP_CACHE_DIR": str(cache), "PYTHONPATH": f"{cwd}{os.pathsep}{ROOT}", **env})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environ,
        timeout=60,
    )


def make_package(root: Path) -> Path:
    """A package `bpkg` of its own (the bundle serves any package directory it is given)."""
    package = root / "bpkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("VALUE = 1\n\ndef fail():\n    raise ValueError('from a')\n")
    (package / "sub" / "__init__.py").write_text("from bpkg.sub import b\n")
    (package / "sub" / "b.py").write_text("from bpkg import a\nDOUBLE = a.VALUE * 2\n")  # (imports a)
    return package


ALL = "['bpkg', 'bpkg.a', 'bpkg.sub', 'bpkg.sub.b']"
IMPORT_AND_REPORT = """
    import sys
    from zigttp import import_bundle
    finder = import_bundle.install("test", "bpkg", {package!r})
    import bpkg.a
    if "{modules}" == "all":
        import bpkg.sub
    served = sorted(finder.served) if finder else []
    print("served", served)
    print("values", bpkg.a.VALUE, bpkg.a.__file__ == {package!r} + "/a.py")
    print("wrote", import_bundle.refresh())
"""


def package_and_code(tmp_path: Path, modules: str = "all") -> tuple[Path, str]:
    """`bpkg` in `tmp_path`, and IMPORT_AND_REPORT for it (`modules`: "all", or "a" alone)."""
    package = make_package(tmp_path)
    return package, IMPORT_AND_REPORT.format(package=str(package), modules=modules)


def started(code: str, tmp_path: Path, **env: str) -> dict[str, str]:
    """The report of one interpreter running `code` (IMPORT_AND_REPORT) over `tmp_path`'s cache."""
    return report(run(code, tmp_path / "cache", cwd=tmp_path, **env))


def report(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_the_second_interpreter_imports_from_the_bundle_the_first_wrote(tmp_path: Path) -> None:
    _package, code = package_and_code(tmp_path)
    first = started(code, tmp_path)
    assert first == {"served": "[]", "values": "1 True", "wrote": "True"}
    second = started(code, tmp_path)
    assert second == {"served": ALL, "values": "1 True", "wrote": "False"}


def test_an_edited_source_is_imported_from_itself_and_the_bundle_catches_up(tmp_path: Path) -> None:
    package, code = package_and_code(tmp_path)
    started(code, tmp_path)
    (package / "a.py").write_text("VALUE = 21\n\ndef fail():\n    raise ValueError('from a')\n")
    edited = started(code, tmp_path)
    assert edited == {"served": "['bpkg', 'bpkg.sub', 'bpkg.sub.b']", "values": "21 True", "wrote": "True"}
    again = started(code, tmp_path)
    assert again == {"served": ALL, "values": "21 True", "wrote": "False"}


def test_a_module_no_longer_imported_leaves_the_bundle(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    every, fewer = (IMPORT_AND_REPORT.format(package=str(package), modules=m) for m in ("all", "a"))
    started(every, tmp_path)
    assert started(fewer, tmp_path) == {
        "served": "['bpkg', 'bpkg.a']", "values": "1 True", "wrote": "True"
    }  # fmt: skip
    assert started(fewer, tmp_path)["wrote"] == "False"
    assert started(every, tmp_path) == {
        "served": "['bpkg', 'bpkg.a']", "values": "1 True", "wrote": "True"
    }  # fmt: skip


def test_a_deleted_source_is_not_served_from_the_bundle(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    report(
        run(IMPORT_AND_REPORT.format(package=str(package), modules="all"), tmp_path / "cache", cwd=tmp_path)
    )
    (package / "a.py").unlink()
    result = run(
        IMPORT_AND_REPORT.format(package=str(package), modules="all"), tmp_path / "cache", cwd=tmp_path
    )
    assert result.returncode == 1 and "ModuleNotFoundError: No module named 'bpkg.a'" in result.stderr


def test_a_bundled_module_reports_its_source_lines_in_a_traceback(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    report(
        run(IMPORT_AND_REPORT.format(package=str(package), modules="all"), tmp_path / "cache", cwd=tmp_path)
    )
    code = f"""
        from zigttp import import_bundle
        finder = import_bundle.install("test", "bpkg", {str(package)!r})
        import bpkg.a
        assert "bpkg.a" in finder.served
        bpkg.a.fail()
    """
    result = run(code, tmp_path / "cache", cwd=tmp_path)
    assert f'File "{package}/a.py", line 4, in fail' in result.stderr
    assert "raise ValueError('from a')" in result.stderr


def test_a_damaged_bundle_is_ignored_and_rewritten(tmp_path: Path) -> None:
    _package, code = package_and_code(tmp_path)
    started(code, tmp_path)
    (bundle,) = (tmp_path / "cache" / "imports").iterdir()
    bundle.write_bytes(bundle.read_bytes()[:100])  # truncated
    assert started(code, tmp_path)["wrote"] == "True"
    bundle.write_bytes(bundle.read_bytes()[:-40])  # its last module's code cut short
    assert started(code, tmp_path)["wrote"] == "True"
    data = bundle.read_bytes()
    bundle.write_bytes(data[:-40] + bytes(40))  # its last module's code damaged: that one from source
    damaged = started(code, tmp_path)
    assert damaged["values"] == "1 True" and damaged["served"] not in ("[]", ALL)
    bundle.write_bytes(b"\xff" * 64)  # an index length past the end
    assert started(code, tmp_path)["wrote"] == "True"
    assert started(code, tmp_path)["served"] == ALL


def test_no_cache_reads_and_writes_no_bundle(tmp_path: Path) -> None:
    _package, code = package_and_code(tmp_path)
    assert started(code, tmp_path, ZIGTTP_NO_CACHE="1")["wrote"] == "False"
    assert not (tmp_path / "cache" / "imports").exists()
    assert started(code, tmp_path)["wrote"] == "True"
    assert started(code, tmp_path, ZIGTTP_NO_CACHE="1")["served"] == "[]"


def test_dont_write_bytecode_still_writes_the_bundle(tmp_path: Path) -> None:
    """(Container images set PYTHONDONTWRITEBYTECODE for __pycache__; the bundle is a cache of
    its own, in the cache directory.)"""
    _package, code = package_and_code(tmp_path)
    assert started(code, tmp_path, PYTHONDONTWRITEBYTECODE="1")["wrote"] == "True"
    assert started(code, tmp_path, PYTHONDONTWRITEBYTECODE="1")["served"] == ALL


def test_zigttp_serve_writes_the_bundle_and_the_next_start_imports_from_it(serve, tmp_path: Path) -> None:
    """`python -v` names each module's loader: the second start loads zigttp's start path from
    the bundle, not from .pyc files."""
    handler = tmp_path / "h.js"
    handler.write_text(HANDLER)
    env = {"ZIGTTP_CACHE_DIR": str(tmp_path / "cache"), "PYTHONVERBOSE": "1"}
    first = serve(handler, "-q", env=env)
    assert first.get("/").json() == {"ok": True}
    first.stop()
    assert len(list((tmp_path / "cache" / "imports").iterdir())) == 1
    second = serve(handler, "-q", env=env)
    assert second.get("/").json() == {"ok": True}
    second.stop()
    from_bundle = set(
        re.findall(r"^import '(zigttp[\w.]*)' # <zigttp\.import_bundle\.BundleFinder", second.stderr, re.M)
    )
    from_pyc = set(
        re.findall(r"^import '(zigttp[\w.]*)' # <_frozen_importlib_external\.Source", second.stderr, re.M)
    )
    assert {
        "zigttp.config",
        "zigttp.server.supervisor",
        "zigttp.server.fast_start",
        "zigttp.runtime.engine",
    } <= from_bundle
    assert from_pyc <= {
        "zigttp",
        "zigttp.import_bundle",
        "zigttp.cache_dir",
        "zigttp.entry",
    } | _after_the_first_answer(second.stderr)


def _after_the_first_answer(stderr: str) -> set[str]:
    """Modules a worker imports for the full server, after its first answer (not bundled: the
    supervisor writes the bundle from what it imported)."""
    tail = stderr[stderr.find("import 'threading'") :] if "import 'threading'" in stderr else ""
    return set(re.findall(r"^import '(zigttp[\w.]*)'", tail, re.M))


def test_a_bundled_module_answers_tools_after_the_bundle_is_released(tmp_path: Path) -> None:
    """`release` drops the bundle's bytes (a supervisor before it forks); inspect and runpy still
    get a module's source and code from its loader, read from the source file."""
    package = make_package(tmp_path)
    report(
        run(IMPORT_AND_REPORT.format(package=str(package), modules="all"), tmp_path / "cache", cwd=tmp_path)
    )
    code = f"""
        import inspect
        from zigttp import import_bundle
        finder = import_bundle.install("test", "bpkg", {str(package)!r})
        import bpkg.a, bpkg.sub
        import_bundle.release()
        assert finder.entries == {{}} and "bpkg.a" in finder.served
        assert bpkg.a.__spec__.loader is finder and bpkg.a.__spec__.loader_state is None
        print(inspect.getsource(bpkg.a.fail).splitlines()[0])
        print(finder.get_code("bpkg.a").co_filename == bpkg.a.__file__, finder.is_package("bpkg.sub"))
    """
    result = run(code, tmp_path / "cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["def fail():", "True True"]
