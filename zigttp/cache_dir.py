"""Where zigttp's on-disk caches live, whether they are on, and how an entry is written.

The caches (the front end's compiled handlers, engine bytecode, the import bundle) share one
root: `$ZIGTTP_CACHE_DIR`, else `$XDG_CACHE_HOME/zigttp` or `~/.cache/zigttp`, and one switch,
`ZIGTTP_NO_CACHE=1`. Every entry is written whole or not at all (a temporary file renamed over
it), and any I/O problem only means the entry is not stored: a cache can always be deleted.
(`write_atomically` also stores the workers' metrics snapshots in a state directory.)

(Builtins only, `os` and `_thread`: the import bundle reads this before any other module of
ours is imported. Paths are strings: pathlib is ~9 ms of a cold start.)
"""

from __future__ import annotations

import os
from _thread import get_ident


def cache_root() -> str:
    """`$ZIGTTP_CACHE_DIR`, else `$XDG_CACHE_HOME/zigttp` or `~/.cache/zigttp` (the temporary
    directory's `zigttp` when there is no home directory, as in some containers)."""
    configured = os.environ.get("ZIGTTP_CACHE_DIR")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home == "~":
            import tempfile  # (only without a home directory)

            return os.path.join(tempfile.gettempdir(), "zigttp")
        base = os.path.join(home, ".cache")
    return os.path.join(base, "zigttp")


def enabled() -> bool:
    return os.environ.get("ZIGTTP_NO_CACHE", "") in ("", "0")


def write_atomically(path: str, data: bytes, *, create_folder: bool = True) -> bool:
    """Store `data` at `path` so that a reader sees the old file or the new one, whole: a
    temporary file (named by process and thread, so concurrent writers never share one)
    renamed over it; `create_folder`: make `path`'s folder first if it is missing. False,
    leaving nothing behind, on any I/O error."""
    temporary = f"{path}.{os.getpid()}-{get_ident()}.tmp"
    try:
        if create_folder:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            return False
        return False
    return True
