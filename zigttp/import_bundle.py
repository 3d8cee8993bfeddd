"""One file of compiled modules for a cold start: zigttp's own modules without a finder each.

Why: a `zigttp serve` imports ~55 of our modules before its first answer, and for each one
CPython's path finder and source loader run in Python (directory caches, a stat of the
source, an open and a read of its .pyc, header checks): ~50 µs a module, ~3 ms of a ~20 ms
start (bench/README.md, session 7). This module keeps the compiled code of those modules in
one file in the cache directory, and a finder at the front of `sys.meta_path` serves them
from it: per module a dict lookup, one `stat` of the source, `marshal.loads` and the module's
own code, which is what the .pyc path does minus its Python-level machinery.

Validation is the .pyc's, stricter: an entry is used only while its source file has the size
and the nanosecond mtime recorded with it (a .pyc checks whole seconds), so an edited, moved
or deleted source is imported the usual way. The bundle is keyed by the interpreter's bytecode
magic number and by the package directory it belongs to. Like `__pycache__`, the file is
trusted as far as the user's own cache directory is.

One bundle per command that starts a server (`install(profile)`: `zigttp serve`, `zigttp
lambda`, `python APP.pyz`), each the set of modules that start imports: `entry.py` and
`build/launch.py` install it before their other imports; a supervisor `release`s it before it
forks. It is written (`refresh`) after the start, once the imports are done (a supervisor's
workers are ready; Lambda's first answer is out), when it is not exactly what this start
imported (a module new, edited, or no longer imported): so after an install or an edit, once.
`ZIGTTP_NO_CACHE=1` reads and writes none (PYTHONDONTWRITEBYTECODE does not stop it: that is
about `__pycache__` beside the sources, which container images turn off; this file lives in
the cache directory, as the bytecode cache does). Only the package's own `.py` files are
bundled: the standard library and third-party code are left to their own loaders.

(Builtins only here, `os`, `sys`, the frozen import machinery and zigttp/cache_dir.py, which
uses nothing else: this runs before any other module of ours.)
"""

from __future__ import annotations

import marshal
import os
import sys

from zigttp.cache_dir import cache_root, enabled, write_atomically

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from types import CodeType, ModuleType

_bootstrap = sys.modules["_frozen_importlib"]
_external = sys.modules["_frozen_importlib_external"]

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
FORMAT = 2  # bumped when the layout of the file changes
# name -> (path relative to PACKAGE_DIR, is a package, st_mtime_ns, st_size, marshalled code)
Entry = tuple  # (str, bool, int, int, bytes | memoryview)


def bundle_path(profile: str, package_dir: str = PACKAGE_DIR) -> str | None:
    """Where the bundle of `profile` (the command: each imports its own set) of `package_dir`
    lives (None: the caches are off)."""
    if not enabled():
        return None
    tag = sys.implementation.cache_tag or "python"
    name = f"{tag}-{profile}-{_fnv1a(package_dir.encode()):016x}.bundle"
    return os.path.join(cache_root(), "imports", name)


def _fnv1a(data: bytes) -> int:
    """A stable 64-bit name for a directory (FNV-1a: `hash()` changes per process, hashlib is
    an import this early path does without)."""
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def read_bundle(path: str, package_dir: str) -> dict[str, Entry]:
    """The entries of the bundle at `path`, or {} if it is missing, of another format,
    interpreter or package directory, or unreadable. The file is an 8-byte index length, the
    marshalled index, then each module's marshalled code; an entry's code is a view into the
    file's bytes, unmarshalled only when its module is imported."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        size = int.from_bytes(data[:8], "little")
        header = marshal.loads(memoryview(data)[8 : 8 + size])
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not (
        isinstance(header, tuple)
        and len(header) == 4
        and header[:3] == (FORMAT, _external.MAGIC_NUMBER, package_dir)
        and isinstance(header[3], dict)
    ):
        return {}
    codes = memoryview(data)[8 + size :]
    try:
        entries = {
            name: (relative, package_like, mtime, length, codes[offset : offset + code_size])
            for name, (relative, package_like, mtime, length, offset, code_size) in header[3].items()
        }
    except (TypeError, ValueError):
        return {}
    whole = all(len(entry[4]) == header[3][name][5] for name, entry in entries.items())
    return entries if whole else {}  # (a short file: its codes are cut)


class BundleFinder:
    """Finds and loads the bundle's modules, each while its source is unchanged; any other
    name (or a changed source) is left to the finders after it."""

    def __init__(self, entries: dict[str, Entry], package_dir: str) -> None:
        self.entries = entries
        self.package_dir = package_dir
        self.served: set[str] = set()  # names this process imported from the bundle

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        entry = self.entries.get(name)
        if entry is None:
            return None
        if not _valid(entry, self.package_dir):
            return None
        origin = os.path.join(self.package_dir, entry[0])
        try:
            code = marshal.loads(entry[4])
        except (EOFError, ValueError, TypeError):  # (damaged: the module comes from its source)
            return None
        spec = _bootstrap.ModuleSpec(name, self, origin=origin, is_package=entry[1])
        spec.loader_state = code
        spec.has_location = True  # (so the module gets __file__, as from its .pyc)
        if entry[1]:
            spec.submodule_search_locations = [os.path.dirname(origin)]
        return spec

    def create_module(self, spec: object) -> None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        spec = module.__spec__
        code, spec.loader_state = spec.loader_state, None  # (the spec outlives the import)
        self.served.add(spec.name)
        exec(code or self.get_code(spec.name), module.__dict__)

    # What tools ask a module's loader (runpy: `python -m zigttp`; linecache, inspect), also
    # after `release`, from the module's source then.
    def get_code(self, name: str) -> CodeType:
        entry = self.entries.get(name)
        if entry is not None:
            return marshal.loads(entry[4])
        return _external.SourceFileLoader(name, self._origin(name)).get_code(name)

    def get_source(self, name: str) -> str:
        with open(self._origin(name), encoding="utf-8") as file:
            return file.read()

    def is_package(self, name: str) -> bool:
        return os.path.basename(self._origin(name)) == "__init__.py"

    def _origin(self, name: str) -> str:
        entry = self.entries.get(name)
        if entry is not None:
            return os.path.join(self.package_dir, entry[0])
        return sys.modules[name].__spec__.origin


class _State:
    """What `install` set up, for `release` and `refresh`."""

    profile: str | None = None
    package = "zigttp"
    package_dir = PACKAGE_DIR
    bootstrap: frozenset[str] = frozenset()  # the package's modules imported before `install`
    finder: BundleFinder | None = None
    bundled: frozenset[str] = frozenset()  # the names the bundle held at `install`
    served: set[str] = set()  # those this process imported from it (the finder's set)


def install(profile: str, package: str = "zigttp", package_dir: str = PACKAGE_DIR) -> BundleFinder | None:
    """Serve `profile`'s bundle, if there is one, from a finder first on `sys.meta_path`, and
    remember `profile` for `refresh` (once per process; returns the finder, or None)."""
    if _State.profile is not None:
        return _State.finder
    _State.profile, _State.package, _State.package_dir = profile, package, package_dir
    _State.bootstrap = frozenset(name for name in sys.modules if _in_package(name, package))
    path = bundle_path(profile, package_dir)
    entries = read_bundle(path, package_dir) if path else {}
    if entries:
        _State.finder = BundleFinder(entries, package_dir)
        _State.bundled, _State.served = frozenset(entries), _State.finder.served
        sys.meta_path.insert(0, _State.finder)
    return _State.finder


def release() -> None:
    """Stop serving from the bundle and let its bytes go (once the start path is imported: a
    supervisor before it forks, so its workers do not inherit the copy)."""
    finder, _State.finder = _State.finder, None
    if finder is not None:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        finder.entries = {}  # (each module's spec keeps its loader: the finder, not the bytes)


def refresh() -> bool:
    """Write the profile's bundle again if it is not exactly the package's modules this process
    has imported since `install` (one is new, edited, or no longer imported): True if it
    wrote. Meant for after the first answer (it may read .pyc files and write ~0.5 MB); when
    nothing changed it costs reading the bundle and a stat per module."""
    profile, package, package_dir = _State.profile, _State.package, _State.package_dir
    path = bundle_path(profile, package_dir) if profile else None
    if path is None:
        return False
    wanted = _imported(package, package_dir)
    if wanted.keys() == _State.bundled == _State.served:  # (all from the bundle, all of it)
        return False
    old = read_bundle(path, package_dir)
    kept = {name: old[name] for name in wanted if name in old and _valid(old[name], package_dir)}
    if len(kept) == len(wanted) == len(old):
        return False
    for name, origin in wanted.items():
        if name not in kept:
            entry = _from_source(name, origin, package_dir)
            if entry is not None:
                kept[name] = entry
    return _write(path, kept, package_dir)


def _in_package(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _imported(package: str, package_dir: str) -> dict[str, str]:
    """name -> source path of the package's modules imported since `install` from .py files
    of `package_dir` (by the source loader or from the bundle)."""
    prefix = package_dir + os.sep
    found: dict[str, str] = {}
    for name, module in list(sys.modules.items()):
        if name in _State.bootstrap or not _in_package(name, package):
            continue
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None)
        loader = getattr(spec, "loader", None)
        from_file = isinstance(loader, (_external.SourceFileLoader, BundleFinder))
        if from_file and isinstance(origin, str) and origin.startswith(prefix) and origin.endswith(".py"):
            found[name] = origin
    return found


def _from_source(name: str, origin: str, package_dir: str) -> Entry | None:
    """A fresh entry for module `name` from its source file (through its .pyc, as an import)."""
    try:
        stat = os.stat(origin)
        code = _external.SourceFileLoader(name, origin).get_code(name)
    except (OSError, ImportError, SyntaxError):
        return None
    package_like = os.path.basename(origin) == "__init__.py"
    return (origin[len(package_dir) + 1 :], package_like, stat.st_mtime_ns, stat.st_size, marshal.dumps(code))


def _valid(entry: Entry, package_dir: str) -> bool:
    try:
        stat = os.stat(os.path.join(package_dir, entry[0]))
    except OSError:
        return False
    return stat.st_mtime_ns == entry[2] and stat.st_size == entry[3]


def _write(path: str, entries: dict[str, Entry], package_dir: str) -> bool:
    """The bundle file of `entries` (False on any I/O error)."""
    index: dict[str, tuple] = {}
    codes: list[bytes] = []
    offset = 0
    for name, (relative, package_like, mtime, size, code) in entries.items():
        index[name] = (relative, package_like, mtime, size, offset, len(code))
        codes.append(bytes(code))
        offset += len(code)
    header = marshal.dumps((FORMAT, _external.MAGIC_NUMBER, package_dir, index))
    return write_atomically(path, len(header).to_bytes(8, "little") + header + b"".join(codes))
