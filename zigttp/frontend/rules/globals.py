"""ZT204: a name used as a global that is neither declared in the file nor a standard or
zigttp global (zigttp/runtime/globals.py): a typo, or an API zigttp does not provide, which
would otherwise fail only at request time with a ReferenceError.

Conservative: a name bound anywhere in the file (any scope, any pattern) is never flagged,
nor one only tested with `typeof` (feature detection) or assigned to (a sloppy global).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from zigttp.runtime.globals import ALL as KNOWN  # generated helpers (dialect, JSX) too

# Parents under which an identifier binds a name rather than reading one.
_BINDING_PARENTS = frozenset(
    {
        "variable_declarator",
        "function_declaration",
        "function_expression",
        "function",
        "generator_function_declaration",
        "generator_function",
        "class_declaration",
        "class",
        "formal_parameters",
        "required_parameter",
        "optional_parameter",
        "rest_pattern",
        "array_pattern",
        "object_pattern",
        "pair_pattern",
        "assignment_pattern",
        "object_assignment_pattern",
        "catch_clause",
        "import_specifier",
        "namespace_import",
        "import_clause",
        "export_specifier",
        "arrow_function",
        "method_definition",
        "abstract_class_declaration",
        "interface_declaration",
        "type_alias_declaration",
        "enum_declaration",
        "internal_module",
        "module",
        "labeled_statement",
        "for_in_statement",
        "function_signature",
        "ambient_declaration",
        "import_require_clause",
        "import_alias",
    }
)
# Subtrees whose names do not resolve like ordinary scopes: `with` bodies, enum members,
# comptime(...) arguments (evaluated by the front end, with its own builtins) and types.
_OPAQUE = frozenset(
    {
        "with_statement",
        "enum_body",
        "type_annotation",
        "index_signature",
        "object_type",
        "type_alias_declaration",
        "interface_declaration",
        "type_arguments",
        "type_parameters",
    }
)
# TypeScript names classes with type_identifier nodes: these bind a value too.
_CLASS_PARENTS = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_TOKEN = re.compile(r"[A-Za-z_$][\w$]*")
_IMPLICIT = frozenset({"arguments", "require", "exports", "module"})  # require/exports: bundler


def unknown_globals(root: Node) -> Iterator[Node]:
    """Identifier reads of names nothing declares, first occurrence of each name."""
    declared: set[str] = set()
    reads: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "import_statement":  # every name it mentions (zigttp: imports are rewritten)
            declared.update(_TOKEN.findall(node.text.decode() if node.text else ""))
        elif kind == "type_identifier" and node.parent is not None and node.parent.type in _CLASS_PARENTS:
            declared.add(node.text.decode() if node.text else "")
        elif kind in ("identifier", "shorthand_property_identifier_pattern"):
            name = node.text.decode() if node.text else ""
            parent = node.parent
            ptype = parent.type if parent is not None else ""
            if kind != "identifier" or ptype in _BINDING_PARENTS or _assigned(node, parent):
                declared.add(name)
            elif not ptype.startswith("jsx_") and not _under_typeof(parent):
                reads.append(node)
        if kind in _OPAQUE or _is_comptime(node):
            continue
        stack.extend(reversed(node.children))
    seen: set[str] = set()
    for node in reads:
        name = node.text.decode() if node.text else ""
        if name in declared or name in KNOWN or name in _IMPLICIT or name in seen:
            continue
        seen.add(name)
        yield node


def _is_comptime(node: Node) -> bool:
    if node.type != "call_expression":
        return False
    callee = node.child_by_field_name("function")
    return callee is not None and callee.text == b"comptime"


def _assigned(node: Node, parent: Node | None) -> bool:
    if parent is None or parent.type not in ("assignment_expression", "augmented_assignment_expression"):
        return False
    left = parent.child_by_field_name("left")
    return left is not None and left.id == node.id


def _under_typeof(parent: Node | None) -> bool:
    return parent is not None and parent.type == "unary_expression" and parent.children[0].type == "typeof"
