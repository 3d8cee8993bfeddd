"""One tree-sitter query per file that finds everything every pass needs.

A query costs a full traversal in C (~5 ms for 1,000 lines), so the transforms' triggers and
all analyzer patterns share one query; capture names say who uses a node: `n` = a node the
emitter must visit, `ZTxxx` and lower-case names = analyzer findings. Patterns whose text
cannot occur (no `comptime(` in the file, no `Date` ...) are left out by a cheap substring
test, which also keeps Python from materialising thousands of irrelevant nodes.
"""

from __future__ import annotations

import re
from functools import cache

from tree_sitter import Node

from zigttp.frontend import parser
from zigttp.frontend.source import SourceFile

Facts = dict[str, list[Node]]

# Node types that make a subtree worth walking for the emitter.
TRIGGER_TYPES = (
    "type_annotation",
    "type_parameters",
    "type_arguments",
    "interface_declaration",
    "type_alias_declaration",
    "ambient_declaration",
    "accessibility_modifier",
    "implements_clause",
    "function_signature",
    "abstract_method_signature",
    "index_signature",
    "method_signature",
    "override_modifier",
    "asserts_annotation",
    "type_predicate_annotation",
    "omitting_type_annotation",
    "adding_type_annotation",
    "opting_type_annotation",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "type_assertion",
    "optional_parameter",
    "public_field_definition",
    "abstract_class_declaration",
    "decorator",
    "import_require_clause",
    "enum_declaration",
    "internal_module",
    "module",
    "import_statement",
    "export_statement",
    "jsx_element",
    "jsx_self_closing_element",
)
BASE = """
(required_parameter "readonly" @n)
(method_definition "?" @n)
(required_parameter pattern: (this)) @n
(variable_declarator "!" @n)
(variable_declaration) @ZT101
(with_statement) @ZT102
(new_expression constructor: (identifier) @box (#match? @box "^(Number|String|Boolean)$"))
(binary_expression operator: ["==" "!="] @ZT203)
(variable_declarator name: (identifier) @declared)
(variable_declarator name: (object_pattern (shorthand_property_identifier_pattern) @declared))
(variable_declarator name: (array_pattern (identifier) @declared))
(import_specifier name: (identifier) @declared .)
(import_specifier alias: (identifier) @declared)
(import_clause (identifier) @declared)
(namespace_import (identifier) @declared)
(statement_block (function_declaration name: (identifier) @declared))
[(class_declaration) (class) (abstract_class_declaration)] @ZT301
(this) @ZT302
(new_expression) @ZT303
(while_statement) @ZT304
(do_statement) @ZT305
(for_statement) @ZT306
(for_in_statement) @forin
(switch_statement) @ZT308
(try_statement) @ZT309
(throw_statement) @ZT310
(update_expression) @ZT312
(null) @ZT313
(regex) @ZT314
(unary_expression operator: "delete") @ZT315
"""
OPTIONAL = {  # pattern → the source text that must occur for it to match anything
    '(call_expression function: (identifier) @n (#eq? @n "comptime"))': b"comptime",
    '((identifier) @eval (#eq? @eval "eval"))': b"eval",
    '((identifier) @date (#eq? @date "Date"))': b"Date",
}
GUARD = "[(statement_block) (arrow_function)] @n"
HOLE = re.compile(rb"[\[,]\s*,")


def collect(source: SourceFile, root: Node, depth_guard: bool) -> Facts:
    present = tuple(p for p, needle in OPTIONAL.items() if needle in source.data)
    holes = HOLE.search(source.data) is not None
    query = _query_text(source.jsx, depth_guard, present, holes)
    return parser.captures(source, root, query)


@cache
def _query_text(jsx: bool, depth_guard: bool, present: tuple[str, ...], holes: bool) -> str:
    lang = parser.language(jsx)
    known = " ".join(f"({t})" for t in TRIGGER_TYPES if lang.id_for_node_kind(t, True))
    parts = [f"[{known} (ERROR)] @n", BASE, *present]
    if depth_guard:
        parts.append(GUARD)
    if holes:
        parts.append("(array) @array")
    return "\n".join(parts)
