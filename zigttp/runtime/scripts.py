"""The engine scripts every runtime is built from, compiled once per process.

A runtime gets, in order: the prelude (it evaluates to the hook-taking installer), the plain
runtime scripts (JSX runtime, the dialect's helpers) and the web-platform API
(`js/web/*.js`, each a `function (hooks)`). What most handlers never touch is *lazy*: it
sits in the runtime's lazy table and is compiled on the process's first use, then read into
a runtime with `hooks.load(i, ...args)` only when that runtime's handler first needs it, so
building a runtime (and starting a process) pays nothing for it. Two kinds share the table:

* a web file whose first line is `// lazy: Name ...`: its place among the eager scripts takes
  a one-line stub (`hooks.lazyGlobals`, web/00-lazy.js) that loads it when handler code
  first reads one of those globals (its function returns `{Name: value}`);
* a bundle, the files of one of the folders `js/web/streams/`, `js/web/crypto/`,
  `js/web/file/` (sorted by name): the large algorithms behind an eager shell file, read in
  by `hooks.loadBundle(folder, ...args)` (each file is `function (hooks, ...args)`).

Everything is compiled through the on-disk bytecode cache (runtime/bytecode_cache.py).
"""

from __future__ import annotations

import marshal
import os

from zigttp.lean import cache
from zigttp.lean_threads import Lock
from zigttp.runtime.bytecode_cache import cached_compile, cached_compile_file

# package data (not importlib.resources: ~10 ms to import); paths are strings, as pathlib is
# ~9 ms of a cold start (bench/README.md)
JS = os.path.join(os.path.dirname(__file__), "js")
BUNDLES = ("streams", "crypto", "file")
LAZY_HEADER = "// lazy: "  # a web script's first line "// lazy: NAME ...": loaded on first use


def compiled(text: str, name: str) -> bytes:
    """Bytecode of one of our own scripts, named `zigttp:<name>` in stack traces."""
    from zigttp.runtime.engine import compile_script  # the engine module imports this one

    return cached_compile(
        text, f"zigttp:{name}\0stripped", lambda: compile_script(text, f"zigttp:{name}", strip_source=True)
    )


def compiled_file(path: str, name: str) -> bytes:
    """`compiled` of the script in `path`, read only when the cache has no bytecode for it."""
    from zigttp.runtime.engine import compile_script

    def compile_() -> bytes:
        with open(path, encoding="utf-8") as file:
            return compile_script(file.read(), f"zigttp:{name}", strip_source=True)

    return cached_compile_file(path, f"zigttp:{name}\0stripped", compile_)


class LazyScript:
    """One entry of the lazy table: called (from hooks.load, with the GIL) for its bytecode,
    which it compiles on the first call in this process and keeps."""

    __slots__ = ("_code", "_lock", "name", "path")

    def __init__(self, path: str, name: str) -> None:
        self.path = path
        self.name = name
        self._code: bytes | None = None
        self._lock = Lock()

    def __call__(self) -> bytes:
        code = self._code
        if code is None:
            with self._lock:  # two runtimes' threads loading at once compile it once
                if self._code is None:
                    self._code = compiled_file(self.path, self.name)
                code = self._code
        return code

    @property
    def loaded(self) -> bool:
        """Whether some runtime of this process has needed this script yet."""
        return self._code is not None


@cache
def runtime_bytecode() -> tuple[bytes, tuple[bytes, ...], tuple[bytes, ...], tuple[LazyScript, ...]]:
    """(prelude, plain scripts, eager web scripts, the lazy table), built once per process.

    From one cache entry keyed by the path, size and mtime of every script file (a start reads
    one file, not one per script and each web script's header line); on a miss, script by
    script through their own entries, then stored as one."""
    files = _script_files()
    identity = "\0".join(f"{path}\0{size}:{mtime}" for path, size, mtime in files)

    def build() -> bytes:
        prelude, plain, web, lazy = _build()
        return marshal.dumps((prelude, plain, web, tuple((script.path, script.name) for script in lazy)))

    try:
        prelude, plain, web, table = marshal.loads(cached_compile(identity, "zigttp:runtime-scripts", build))
    except (EOFError, ValueError, TypeError):  # (the CRC passed, the layout did not: not ours)
        return _build()
    return prelude, plain, web, tuple(LazyScript(path, name) for path, name in table)


def _script_files() -> list[tuple[str, int, int]]:
    """(path, size, mtime_ns) of every script `_build` reads, sorted: what the combined entry
    is keyed by (a file added, removed or edited is a miss)."""
    found: list[tuple[str, int, int]] = []
    for folder in (JS, os.path.join(JS, "web"), *(os.path.join(JS, "web", name) for name in BUNDLES)):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.endswith(".js"):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found.append((path, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def _build() -> tuple[bytes, tuple[bytes, ...], tuple[bytes, ...], tuple[LazyScript, ...]]:
    """`runtime_bytecode` script by script (each through its own cache entry)."""
    plain = tuple(compiled_file(os.path.join(JS, f"{n}.js"), n) for n in ("jsx_runtime", "dialect"))
    web: list[bytes] = []
    lazy: list[LazyScript] = []
    stubs: list[str] = []
    for path, stem in _scripts(os.path.join(JS, "web")):
        with open(path, encoding="utf-8") as file:
            header = _lazy_names(file.readline())
        if not header:
            web.append(compiled_file(path, f"web/{stem}"))
            continue
        names = ", ".join(f'"{name}"' for name in header)
        stubs.append(f"lazy([{names}], () => load({len(lazy)}));")
        lazy.append(LazyScript(path, f"web/{stem}"))
    bundles: list[str] = []
    for folder in BUNDLES:
        start = len(lazy)
        files = _scripts(os.path.join(JS, "web", folder))
        lazy.extend(LazyScript(path, f"web/{folder}/{stem}") for path, stem in files)
        bundles.append(f"{folder}: [{', '.join(str(i) for i in range(start, len(lazy)))}]")
    # after web/00-lazy.js (it sorts first and defines hooks.lazyGlobals)
    web.insert(1, compiled(_table_script(stubs, bundles), "web/lazy-table"))
    return compiled_file(os.path.join(JS, "prelude.js"), "prelude"), plain, tuple(web), tuple(lazy)


def _lazy_names(line: str) -> list[str]:
    """The global names a lazy script's header line declares ([] for an eager script). (String
    methods, not a regex: `re` is ~2 ms of a cold start, bench/README.md.)"""
    if not (line.startswith(LAZY_HEADER) and line.endswith("\n")):
        return []
    declared = line[len(LAZY_HEADER) : -1]
    return declared.split() if declared.replace("_", "").replace("$", "").replace(" ", "").isalnum() else []


def _scripts(folder: str) -> list[tuple[str, str]]:
    """(path, name without .js) of the scripts directly in `folder`, sorted by path."""
    names = sorted(name for name in os.listdir(folder) if name.endswith(".js"))
    return [(os.path.join(folder, name), name[:-3]) for name in names]


def _table_script(stubs: list[str], bundles: list[str]) -> str:
    """The eager script that declares the lazy globals and defines hooks.loadBundle."""
    return (
        "(function (hooks) {\n"
        "const lazy = hooks.lazyGlobals, load = hooks.load;\n"
        + "\n".join(stubs)
        + f"\nconst bundles = {{ __proto__: null, {', '.join(bundles)} }};\n"
        # indexed loop: no array iterator a handler could have replaced is involved
        "hooks.loadBundle = (name, a, b) => {\n"
        "  const list = bundles[name];\n"
        "  for (let i = 0; i < list.length; i++) load(list[i], a, b);\n"
        "};\n"
        "})"
    )
