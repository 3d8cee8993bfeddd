"""The `zigttp build` artifact: one self-contained, verifiable file (a Python zipapp).

Layout (a zip archive behind a `#!/usr/bin/env python3` line, so `python OUT.pyz` runs it):

    __main__.py     calls `zigttp.build.launch.main(<this file>, argv)` (serve, lean imports)
    __main__.pyc    the same, compiled by the Python that built the archive (PEP 552, hash-based,
                    unchecked): zipimport takes it before the source, so `python OUT.pyz` does
                    not start the compiler (~10 M instructions: the process's first compile).
                    Another Python version refuses its magic number and compiles __main__.py.
    handler.json    the payload: {"meta": {...}, "handler": {filename, code, bytecode, modules,
                    files, line_map}}
    manifest.json   {"format": "zigttp-artifact", "formatVersion": 2, "sha256": <of handler.json>}

`handler.code` is the front end's output (TS stripped, JSX lowered, comptime folded, relative
imports bundled), and `handler.bytecode` (base64) is that code compiled by the engine, so
serving an artifact parses nothing at all. `meta` records the zigttp version, the engine's
version stamp (bytecode is engine-specific: an artifact for another engine is refused with a
message to rebuild), the source path and its sha256, the other files read, and the build
time; it lives inside the hashed payload so it cannot be edited unnoticed.

Reading verifies everything before any code runs: a bad zip, a missing entry, a CRC error, an
unknown format or version, or a payload whose sha256 differs from the manifest is a
`BuildError` and nothing is executed. The hash detects corruption and edits; it is not a
signature (whoever can rewrite the file can rewrite the manifest too).

Reading is on a served artifact's start path, so it takes no `zipfile` (`zipimport`, which
Python itself uses to run the archive, reads the two entries; their CRC is not checked, the
payload's sha256 is), no `hashlib` and no `dataclasses`: ~70 M instructions of a start.
"""

from __future__ import annotations

import binascii
import os
import sys

from zigttp import __version__
from zigttp.errors import BuildError
from zigttp.lean import json_loads
from zigttp.records import record
from zigttp.runtime.bytecode_cache import sha256

TYPE_CHECKING = False  # (typing and pathlib stay off an artifact's start: bench/README.md)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from zigttp.frontend.pipeline import CompiledHandler

FORMAT = "zigttp-artifact"
FORMAT_VERSION = 2  # 2: handler bytecode + engine stamp
SUFFIX = ".pyz"
PAYLOAD = "handler.json"
MANIFEST = "manifest.json"
SHEBANG = b"#!/usr/bin/env python3\n"
MAIN_PY = '''"""Serve the zigttp handler embedded in this archive: python THIS.pyz [serve options]."""
import sys

try:
    from zigttp.build.launch import main
except ImportError:
    sys.exit(
        f"this zigttp artifact needs the zigttp package, which {sys.executable} cannot import.\\n"
        "zigttp is not published on PyPI: install it from a clone of its repository\\n"
        "  (pip install /path/to/zigttp, or `make serve` in the clone to create .venv/),\\n"
        "then run the artifact with that Python: /path/to/zigttp/.venv/bin/python " + sys.argv[0]
    )

main(sys.argv[0], sys.argv[1:])
'''


@record(frozen=True)
class ArtifactInfo:
    path: str
    size: int
    sha256: str
    meta: dict[str, Any]


def sha256_hex(data: bytes) -> str:
    return sha256(data).hexdigest()


def _file_hash(path: str) -> str | None:
    try:
        with open(path, "rb") as file:
            return sha256_hex(file.read())
    except OSError:
        return None


def encode_payload(compiled: CompiledHandler, source: str) -> bytes:
    import time

    from zigttp.runtime.engine import ENGINE_VERSION, compile_script

    bytecode = compiled.bytecode or compile_script(compiled.code)
    meta = {
        "zigttpVersion": __version__,
        "engine": ENGINE_VERSION,
        "python": ".".join(map(str, sys.version_info[:3])),
        "source": source,
        "sourceSha256": _file_hash(source),
        "files": {f: _file_hash(f) for f in compiled.files if f != source},
        "builtAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    handler = {
        "filename": compiled.filename,
        "code": compiled.code,
        "bytecode": binascii.b2a_base64(bytecode, newline=False).decode("ascii"),
        "modules": list(compiled.modules),
        "files": list(compiled.files),
        "lineMap": [[s.start, s.end, s.file, s.file_line] for s in compiled.line_map],
    }
    import json  # (a build: `json_loads` reads it back without json's import, see zigttp/lean.py)

    return json.dumps({"meta": meta, "handler": handler}, ensure_ascii=False).encode("utf-8")


def write_artifact(compiled: CompiledHandler, source: str, out: str | Path) -> ArtifactInfo:
    """Write atomically (temp file + rename) so a failed build never leaves half a file."""
    payload = encode_payload(compiled, source)
    digest = sha256_hex(payload)
    manifest = {"format": FORMAT, "formatVersion": FORMAT_VERSION, "sha256": digest}
    from pathlib import Path

    target = Path(out)
    import tempfile  # build-time only: keep them off serve's import path
    import zipfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(SHEBANG)
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("__main__.py", MAIN_PY)
                archive.writestr("__main__.pyc", main_pyc())
                archive.writestr(MANIFEST, _manifest_json(manifest))
                archive.writestr(PAYLOAD, payload)
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)
    except OSError as exc:
        raise BuildError(f"cannot write artifact {target}: {exc.strerror or exc}") from None
    meta = json_loads(payload)["meta"]  # type: ignore[index]
    return ArtifactInfo(str(target), target.stat().st_size, digest, meta)


def main_pyc() -> bytes:
    """`MAIN_PY` as an unchecked hash-based .pyc (PEP 552) of this interpreter: a magic
    number, flags 0b01, the source's hash (what `--check-hash-based-pycs always` checks), and
    the marshalled code."""
    import importlib.util
    import marshal

    source = MAIN_PY.encode("utf-8")
    code = compile(source, "__main__.py", "exec", dont_inherit=True)
    flags = (0b01).to_bytes(4, "little")
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def _manifest_json(manifest: dict[str, Any]) -> str:
    import json

    return json.dumps(manifest, indent=1)


def is_artifact(path: str | Path) -> bool:
    """`.pyz` by name, or any zip that is not a JS/TS source file."""
    suffix = os.path.splitext(path)[1]
    if suffix == SUFFIX:
        return True
    if suffix in (".js", ".jsx", ".ts", ".tsx"):
        return False
    import zipfile

    return zipfile.is_zipfile(path)


def _refuse(path: str | Path, why: str) -> BuildError:
    return BuildError(f"refusing to run artifact {path}: {why}; rebuild it with `zigttp build`")


def read_payload(path: str | Path) -> dict[str, Any]:
    """Open, verify and decode an artifact's payload; raises BuildError, never runs anything."""
    manifest_bytes, payload = _entries(path)
    try:
        manifest = json_loads(manifest_bytes)
    except ValueError:
        raise _refuse(path, f"its {MANIFEST} is not valid JSON") from None
    _check_manifest(path, manifest)
    actual = sha256_hex(payload)
    if actual != manifest["sha256"]:
        raise _refuse(
            path,
            f"content hash mismatch (sha256 of {PAYLOAD} is {actual[:16]}..., "
            f"the manifest says {str(manifest['sha256'])[:16]}...)",
        )
    try:
        decoded = json_loads(payload)
    except ValueError:
        raise _refuse(path, f"its {PAYLOAD} is not valid JSON") from None
    if not isinstance(decoded, dict) or not isinstance(decoded.get("handler"), dict):
        raise _refuse(path, f"its {PAYLOAD} has no handler")
    return decoded


def _entries(path: str | Path) -> tuple[bytes, bytes]:
    """The manifest's and the payload's bytes, read with `zipimport` (see the module doc)."""
    import zipimport

    if not os.path.isfile(path):
        raise BuildError(f"artifact not found: {path}")
    try:
        archive = zipimport.zipimporter(str(path))
        archive.invalidate_caches()  # (its directory is cached per path: the file may be new)
        return archive.get_data(MANIFEST), archive.get_data(PAYLOAD)
    except OSError as exc:
        if exc.errno:  # an I/O error
            raise _refuse(path, f"it cannot be read ({exc.strerror})") from None
        raise _refuse(path, f"it is not a zigttp artifact (missing {exc.filename})") from None
    except Exception as exc:  # ZipImportError, zlib errors, truncation: all mean corrupt
        raise _refuse(path, f"it is corrupt ({exc})") from None


def _check_manifest(path: str | Path, manifest: Any) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(
            path,
            f"it is not a zigttp artifact (format {manifest.get('format')!r})"
            if isinstance(manifest, dict)
            else "it is not a zigttp artifact",
        )
    version = manifest.get("formatVersion")
    if version != FORMAT_VERSION:
        raise _refuse(
            path,
            f"artifact format version {version!r} is not supported by zigttp "
            f"{__version__} (it reads version {FORMAT_VERSION})",
        )
    if not isinstance(manifest.get("sha256"), str):
        raise _refuse(path, "its manifest has no sha256")


def load_artifact(path: str | Path) -> CompiledHandler:
    """The CompiledHandler stored in a verified artifact (no front end involved)."""
    handler_type, span_type = _result_types()
    payload = read_payload(path)
    handler = payload["handler"]
    _check_engine(path, payload.get("meta"))
    try:
        return handler_type(
            filename=str(handler["filename"]),
            code=_want(handler["code"], str),
            # (base64.b64decode(validate=True) is this call; `base64` imports `re`)
            bytecode=binascii.a2b_base64(_want(handler["bytecode"], str).encode("ascii"), strict_mode=True),
            modules=tuple(str(m) for m in handler.get("modules", ())),
            files=tuple(str(f) for f in handler.get("files", ())),
            line_map=tuple(
                span_type(int(a), int(b), str(f), int(c)) for a, b, f, c in handler.get("lineMap", ())
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _refuse(path, f"its handler payload is malformed ({exc})") from None


def _check_engine(path: str | Path, meta: Any) -> None:
    """Bytecode runs only on the engine build that wrote it."""
    from zigttp.runtime.engine import ENGINE_VERSION

    built_for = meta.get("engine") if isinstance(meta, dict) else None
    if built_for != ENGINE_VERSION:
        raise _refuse(
            path,
            f"it was built for the engine {built_for!r}, and this zigttp runs {ENGINE_VERSION!r}",
        )


def _result_types() -> tuple[Any, Any]:
    """The result types without importing the parser when the front end keeps them apart."""
    try:
        from zigttp.frontend.result import CompiledHandler, LineSpan  # type: ignore[import-not-found]
    except ImportError:
        from zigttp.frontend.pipeline import CompiledHandler, LineSpan
    return CompiledHandler, LineSpan


def _want(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value
