"""On-disk cache of compiled handlers, keyed by content, so a restart skips the front end.

Key = SHA-256 of (zigttp version, compile options, entry path, entry bytes). An entry also
records the SHA-256 of every file the bundle read; a hit is used only if all of them still
match, so editing a dependency invalidates it. Only successful compiles are stored. Location:
`$ZIGTTP_CACHE_DIR`, else `~/.cache/zigttp/frontend/` (the handler's engine bytecode is
cached next to it, by `runtime.bytecode_cache`); `ZIGTTP_NO_CACHE=1` disables it. Any
I/O or format problem is a miss, never an error: the cache can always be deleted. Entries are
`marshal` data (what a .pyc holds): reading one imports nothing (json brings `re`, ~2 ms of a
cold start).
"""

from __future__ import annotations

import marshal
import os

from zigttp import __version__
from zigttp.cache_dir import cache_root, enabled, write_atomically
from zigttp.diagnostics import Diagnostic
from zigttp.frontend.result import CompiledHandler, LineSpan, Options
from zigttp.lean import cache
from zigttp.records import asdict
from zigttp.runtime.bytecode_cache import sha256

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

FORMAT = 2  # 2: entries in marshal format (json and re stay off the start path)


def cache_dir() -> str:
    """`$ZIGTTP_CACHE_DIR` itself, else the `frontend` folder of the user's zigttp cache."""
    root = cache_root()
    return root if os.environ.get("ZIGTTP_CACHE_DIR") else os.path.join(root, "frontend")


def _read_bytes(path: str | Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _digest(data: bytes) -> str:
    return sha256(data).hexdigest()


def _key(path: str | Path, options: Options) -> str | None:
    try:
        content = _read_bytes(path)
    except OSError:
        return None
    meta = repr([FORMAT, __version__, _frontend_digest(), asdict(options), os.path.realpath(path)])
    return _digest(meta.encode() + b"\0" + content)


@cache
def _frontend_digest() -> str:
    """What identifies the front end's own code: any change to it invalidates every cached
    entry. Each file's path, size and mtime (what a .pyc is checked against), not its bytes:
    reading and hashing 180 KB of source was most of a warm start's cache lookup."""
    package = os.path.dirname(__file__)
    stamps = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                stamps.append(f"{os.path.relpath(folder, package)}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return sha256("\n".join(stamps).encode()).hexdigest()


def _entry_path(key: str) -> str:
    return os.path.join(cache_dir(), key[:2], f"{key}.entry")


def load(path: str | Path, options: Options) -> CompiledHandler | None:
    key = _key(path, options) if enabled() else None
    if key is None:
        return None
    try:
        record = marshal.loads(_read_bytes(_entry_path(key)))
        if not isinstance(record, dict):
            return None
        if any(_digest(_read_bytes(f)) != h for f, h in record["hashes"].items()):
            return None
        return _decode(record["result"])
    except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
        return None


def store(path: str | Path, options: Options, compiled: CompiledHandler) -> None:
    key = _key(path, options) if enabled() else None
    if key is None:
        return
    try:
        hashes = {f: _digest(_read_bytes(f)) for f in compiled.files}
        result = asdict(compiled)
        del result["bytecode"]  # engine-specific: compiled from `code` at load
        record = {"hashes": hashes, "result": result}
    except OSError:
        return
    write_atomically(_entry_path(key), marshal.dumps(record))


def _decode(data: dict[str, Any]) -> CompiledHandler:
    return CompiledHandler(
        filename=data["filename"],
        code=data["code"],
        diagnostics=tuple(Diagnostic(**d) for d in data["diagnostics"]),
        modules=tuple(data["modules"]),
        files=tuple(data["files"]),
        line_map=tuple(LineSpan(**s) for s in data["line_map"]),
    )
