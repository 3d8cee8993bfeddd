"""One tree-sitter query per file that finds everything every pass needs.

A query costs a full traversal in C (~5 ms for 1,000 lines), so the transforms' triggers and
all analyzer patterns share one query; capture names say who uses a node: `n` = a node the
emitter must visit, `ZTxxx` and lower-case names = analyzer findings. Patterns whose text
cannot occur (no `comptime(` in the file, no `Date` ...) are left out by a cheap substring
test, which also keeps Python from materialising thousands of irrelevant nodes. `body` =
function bodies the call-depth guard rewrites, `blank`/`token` = type-only nodes and modifier
tokens to turn into spaces, `tail` = `x as T`-style nodes whose part after the expression is
type-only. Those are applied as byte splices while copying (`splices()`), without walking.
"""

from __future__ import annotations

import re
from functools import cache

from tree_sitter import Node

from zigttp.frontend import parser
from zigttp.frontend.source import SourceFile

Facts = dict[str, list[Node]]

# Node types that make a subtree worth walking for the emitter (they need a handler).
TRIGGER_TYPES = (
    "public_field_definition",
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
# Pure type information: blanked by byte splices while copying, never walked into.
BLANK_TYPES = (
    "type_annotation",
    "type_parameters",
    "type_arguments",
    "interface_declaration",
    "type_alias_declaration",
    "ambient_declaration",
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
)
TAIL_TYPES = ("as_expression", "satisfies_expression", "non_null_expression")
BLANK_TOKENS = """
(optional_parameter "?" @token)
(method_definition "?" @token)
(variable_declarator "!" @token)
(abstract_class_declaration "abstract" @token)
(class_body (method_definition (accessibility_modifier) @blank))
(class_body (public_field_definition (accessibility_modifier) @blank))
(required_parameter (accessibility_modifier) @n)
(optional_parameter (accessibility_modifier) @n)
"""
BASE = """
(required_parameter "readonly" @n)
(required_parameter pattern: (this)) @n
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
"""
STRICT = """
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
    # compiled JSX: `$j` (jsx_runtime.js) and the site functions `$j0`, `$jZ`, `$j10` ...
    '((identifier) @reserved (#match? @reserved "^[$]j[0-9A-Za-z_$]{0,3}$"))': b"$j",
    '((identifier) @date (#eq? @date "Date"))': b"Date",
}
HOLE = re.compile(rb"[\[,]\s*,")


def collect(source: SourceFile, root: Node, strict: bool = False) -> Facts:
    present = tuple(p for p, needle in OPTIONAL.items() if needle in source.data)
    holes = HOLE.search(source.data) is not None
    query = _query_text(source.jsx, present, holes, strict)
    return parser.captures(source, root, query)


@cache
def _query_text(jsx: bool, present: tuple[str, ...], holes: bool, strict: bool) -> str:
    lang = parser.language(jsx)

    def alternation(types: tuple[str, ...]) -> str:
        return " ".join(f"({t})" for t in types if lang.id_for_node_kind(t, True))

    parts = [
        f"[{alternation(TRIGGER_TYPES)} (ERROR)] @n",
        f"[{alternation(BLANK_TYPES)}] @blank",
        f"[{alternation(TAIL_TYPES)}] @tail",
        BLANK_TOKENS,
        BASE,
        STRICT if strict else "",
        *present,
    ]
    if holes:
        parts.append("(array) @array")
    return "\n".join(parts)


def splices(found: Facts) -> list[tuple[int, int, bytes | None]]:
    """Non-overlapping (start, end, code) edits; code None = blank the range (keep newlines)."""
    ranges: list[tuple[int, int, bytes | None]] = []
    for node in found.get("blank", []) + found.get("token", []):
        ranges.append((node.start_byte, node.end_byte, None))
    for node in found.get("tail", []):
        first = node.child(0)
        if first is not None:
            ranges.append((first.end_byte, node.end_byte, None))
    ranges.sort(key=lambda r: (r[0], -r[1]))
    outermost: list[tuple[int, int, bytes | None]] = []
    for edit in ranges:
        if outermost and edit[0] < outermost[-1][1]:
            continue  # nested inside a range already blanked
        outermost.append(edit)
    return outermost
