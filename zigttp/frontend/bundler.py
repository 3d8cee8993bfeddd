"""Module graph: relative imports compiled and bundled into the one script.

Layout (the entry keeps its exact lines; everything else goes after its last line):

    line 1..N   "use strict"; entry code            (imports → `const {x} = __zigttp_mod_1();`)
    then, per dependency:
                function __zigttp_mod_1() { if (...) return cached; <dep line 1>
                <dep lines 2..M>
                return (__zigttp_mod_1.m = {x: x, default: ...}); }
    last line   globalThis.__zigttp_exports = {...}; (only if the entry exports anything)

Dependency wrappers are hoisted function declarations, so an import on line 3 can call a
loader defined on line 900; each loader memoises, so a module runs once, when first imported
(ESM order for imports at the top of a file). Rules: imports may not leave the project root
(the entry's directory, or the nearest parent with zigttp.json/package.json); a missing file
or an import cycle is a diagnostic at the import.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

from zigttp.diagnostics import Diagnostic
from zigttp.frontend.transform import Emitter, Exports

EXTENSIONS = (".ts", ".tsx", ".js", ".jsx")
ROOT_MARKERS = ("zigttp.json", "package.json")
STAR = "(({{ default: _d, ...rest }}) => rest)({})"


@dataclass
class Unit:
    """One compiled file: its code (line-preserving) and what it exports."""

    path: Path
    display: str
    code: str
    exports: Exports
    known: frozenset[str] | None = None  # export names, None if not knowable
    tail: str = ""  # declarations put after the code, on its last line (JSX site functions)
    index: int = 0


@dataclass
class Graph:
    root: Path
    compile_unit: Callable[[Path, str, bool, Graph], Unit]
    units: dict[Path, Unit] = field(default_factory=dict)
    order: list[Unit] = field(default_factory=list)
    stack: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    modules: set[str] = field(default_factory=set)

    def resolve(self, em: Emitter, node: Node, specifier: str) -> tuple[str, frozenset[str] | None] | None:
        importer = Path(self.stack[-1]).parent
        target = find_file(importer, specifier)
        if target is None:
            em.report(
                node,
                "ZT504",
                f"cannot find module `{specifier}`",
                f"create the file, or fix the path (only {', '.join(EXTENSIONS)} files can be imported)",
            )
            return None
        if not target.is_relative_to(self.root):
            em.report(
                node,
                "ZT505",
                f"`{specifier}` is outside the project root {self.root}",
                "move the file into the project, next to the handler",
            )
            return None
        if target in self.stack:
            chain = " -> ".join(display_path(p) for p in [*self.stack, target])
            em.report(node, "ZT506", f"import cycle: {chain}", "move shared code into a third module")
            return None
        unit = self.units.get(target) or self.load(target)
        return f"__zigttp_mod_{unit.index}()", unit.known

    def load(self, path: Path) -> Unit:
        self.stack.append(path)
        try:
            unit = self.compile_unit(path, display_path(path), False, self)
        finally:
            self.stack.pop()
        unit.index = len(self.order) + 1
        unit.known = known_exports(unit, self.units)
        self.units[path] = unit
        self.order.append(unit)
        return unit


def project_root(entry: Path) -> Path:
    start = entry.resolve().parent
    for folder in (start, *start.parents):
        if any((folder / marker).is_file() for marker in ROOT_MARKERS):
            return folder
    return start


def find_file(folder: Path, specifier: str) -> Path | None:
    base = (folder / specifier).resolve()
    stem = base.with_suffix("") if base.suffix in (".js", ".jsx") else base
    candidates = [
        *([base] if base.suffix in EXTENSIONS else []),
        *(Path(str(base) + ext) for ext in EXTENSIONS),
        *(Path(str(stem) + ext) for ext in (".ts", ".tsx")),
        *(base / f"index{ext}" for ext in EXTENSIONS),
    ]
    return next((c for c in candidates if c.is_file()), None)


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def known_exports(unit: Unit, units: dict[Path, Unit]) -> frozenset[str] | None:
    names = set(unit.exports.named)
    by_expr = {f"__zigttp_mod_{u.index}()": u for u in units.values()}
    for star in unit.exports.stars:
        source = by_expr.get(star)
        if source is None or source.known is None:
            return None
        names |= source.known - {"default"}
    return frozenset(names)


def exports_object(exports: Exports) -> str:
    named = ", ".join(f"{_key(k)}: {v}" for k, v in exports.named.items())
    if not exports.stars:
        return "{" + named + "}"
    stars = ", ".join(STAR.format(s) for s in exports.stars)
    return f"Object.assign({{}}, {stars}, {{{named}}})"


def _key(name: str) -> str:
    return name if name.isidentifier() else f'"{name}"'


def wrap_dependency(unit: Unit) -> str:
    fn = f"__zigttp_mod_{unit.index}"
    head = f"function {fn}() {{ if ({fn}.m) return {fn}.m; {fn}.m = {{}}; "
    return f"{head}{unit.code}\n{unit.tail}return ({fn}.m = {exports_object(unit.exports)}); }}"
