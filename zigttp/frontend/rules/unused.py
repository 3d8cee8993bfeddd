"""ZT202: a `let`/`const` binding, import, or nested function that is never read.

Counted by name over the file's identifier-like tokens (including those in strings and
comments), so the rule can miss an unused variable but never flags a used one. Names that
start with `_`, exported names, and `handler` are exempt.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from tree_sitter import Node

from zigttp.frontend.facts import Facts
from zigttp.frontend.source import SourceFile

TOKEN = re.compile(r"[A-Za-z_$][\w$]*")


def unused_bindings(source: SourceFile, found: Facts, exported: set[str]) -> Iterator[Node]:
    declared = found.get("declared", [])
    if not declared:
        return
    counts = Counter(TOKEN.findall(source.text))
    sites = Counter(n.text.decode() for n in declared if n.text)
    for node in declared:
        name = node.text.decode() if node.text else ""
        if name.startswith("_") or name in exported or name == "handler":
            continue
        if counts[name] <= sites[name] and not _is_type_import(node):
            yield node


def _is_type_import(node: Node) -> bool:
    """`import type {X}` / `import {type X}` are erased, never "unused variables"."""
    current: Node | None = node
    while current is not None and current.type != "import_statement":
        if any(c.type == "type" for c in current.children):
            return True
        current = current.parent
    return current is not None and any(c.type == "type" for c in current.children)
