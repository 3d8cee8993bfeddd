"""On-disk cache of engine bytecode, so a restart reads what the last start compiled.

Compiling the prelude, the web API scripts and the handler costs a few milliseconds per
process start (the largest share of building the first runtime); reading their bytecode
back costs a file read. Key = SHA-256 of (engine version, the engine extension's size and
mtime, the script's name, its source), so a rebuilt extension or an edited script is a miss.
Our own scripts, files of the package (`cached_compile_file`), are keyed by their path, size
and mtime instead (what a .pyc is checked against): a start then reads none of their 180 KB
of source, only the bytecode.
Each entry carries the CRC-32 of its bytecode: a truncated or corrupted file is a miss, never
bytecode handed to the engine (quickjs-ng trusts the bytecode it reads). (CRC-32, not SHA-256:
a start checks ~80 KB of our own bytecode, 20 µs instead of 300; a digest stored beside the
data it covers stops accidents either way, never a writer of the cache directory.) Location:
`$ZIGTTP_CACHE_DIR/bytecode`, else `~/.cache/zigttp/bytecode`; `ZIGTTP_NO_CACHE=1` disables
it (zigttp/cache_dir.py). Any I/O problem is a miss or a skipped store: the cache can always
be deleted.
"""

from __future__ import annotations

import os
import zlib

from zigttp.cache_dir import cache_root, enabled, write_atomically
from zigttp.lean import cache

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable

try:  # CPython's own SHA-256: `hashlib` loads OpenSSL first (~10 M instructions of a start)
    from _sha256 import sha256  # 3.11
except ImportError:  # pragma: no cover  (3.12 renamed it; a build without it has hashlib's)
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

_CHECK = 4  # bytes of CRC-32 (big-endian) in front of the bytecode


@cache
def _engine_stamp() -> bytes:
    """What identifies the engine build: its version and its extension file's size and mtime."""
    from zigttp.runtime import _engine

    try:
        stat = os.stat(_engine.__file__)
        built = f"{stat.st_size}:{stat.st_mtime_ns}"
    except (OSError, AttributeError, TypeError):
        built = ""
    return f"{_engine.ENGINE_VERSION}\0{built}".encode()


def cached_compile(source: str, name: str, compile_: Callable[[], bytes]) -> bytes:
    """The bytecode of `source` (named `name`): from the cache, else `compile_()`, stored."""
    return _cached(name.encode() + b"\0" + source.encode("utf-8", "surrogatepass"), compile_)


def cached_compile_file(file: str | os.PathLike[str], name: str, compile_: Callable[[], bytes]) -> bytes:
    """The bytecode of the script in `file` (one of the package's own): from the cache, else
    `compile_()` (which reads the file), stored. A file that cannot be stat'ed is compiled."""
    try:
        stat = os.stat(file)
    except OSError:
        return compile_()
    return _cached(f"{name}\0{file}\0{stat.st_size}:{stat.st_mtime_ns}\0file".encode(), compile_)


def _cached(identity: bytes, compile_: Callable[[], bytes]) -> bytes:
    if not enabled():
        return compile_()
    key = sha256(_engine_stamp() + b"\0crc32\0" + identity).hexdigest()
    path = os.path.join(cache_root(), "bytecode", key[:2], key)
    found = _read(path)
    if found is not None:
        return found
    bytecode = compile_()
    _write(path, bytecode)
    return bytecode


def _crc(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(_CHECK, "big")


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    check, bytecode = data[:_CHECK], data[_CHECK:]
    if len(check) != _CHECK or _crc(bytecode) != check:
        return None
    return bytecode


def _write(path: str, bytecode: bytes) -> None:
    write_atomically(path, _crc(bytecode) + bytecode)
