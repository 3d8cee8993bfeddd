"""Syntactic subset rules (default profile ZT101-106, ZT203; strict ZT3xx), all found with
tree-sitter queries over the one parse tree; a little Python decides the borderline cases
(`eval` only when called directly, `Date` unless it is `Date.now()`, `for...in` vs `for...of`).
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from zigttp.frontend import parser
from zigttp.frontend.source import SourceFile

DEFAULT_QUERY = """
(variable_declaration) @ZT101
(with_statement) @ZT102
(array) @array
((identifier) @eval (#eq? @eval "eval"))
(new_expression constructor: (identifier) @box
  (#match? @box "^(Number|String|Boolean)$"))
((identifier) @date (#eq? @date "Date"))
(binary_expression operator: ["==" "!="] @ZT203)
"""
STRICT_QUERY = """
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
Finding = tuple[str, Node]  # (rule code, node to point at)


def default_findings(source: SourceFile, root: Node) -> Iterator[Finding]:
    found = parser.captures(source, root, DEFAULT_QUERY)
    for code in ("ZT101", "ZT102", "ZT203"):
        yield from ((code, n) for n in found.get(code, []))
    for array in found.get("array", []):
        yield from (("ZT103", hole) for hole in array_holes(array))
    yield from (("ZT104", n) for n in found.get("eval", []) if _is_direct_call(n))
    yield from (("ZT105", n.parent) for n in found.get("box", []) if n.parent is not None)
    yield from (("ZT106", n) for n in found.get("date", []) if not _is_date_now(n))


def strict_findings(source: SourceFile, root: Node) -> Iterator[Finding]:
    found = parser.captures(source, root, STRICT_QUERY)
    for code, nodes in found.items():
        if code.startswith("ZT"):
            yield from ((code, n) for n in nodes)
    for loop in found.get("forin", []):
        if any(c.type == "in" for c in loop.children):
            yield "ZT307", loop


def array_holes(array: Node) -> Iterator[Node]:
    """Commas with no element before them: `[1,,3]`, `[,1]`."""
    previous = ""
    for child in array.children:
        if child.type == "," and previous in ("[", ","):
            yield child
        if child.type != "comment":
            previous = child.type


def _is_direct_call(node: Node) -> bool:
    parent = node.parent
    if parent is None or parent.type != "call_expression":
        return False
    callee = parent.child_by_field_name("function")
    return callee is not None and callee.id == node.id


def _is_date_now(node: Node) -> bool:
    member = node.parent
    if member is None or member.type != "member_expression":
        return False
    prop = member.child_by_field_name("property")
    obj = member.child_by_field_name("object")
    call = member.parent
    return (obj is not None and obj.id == node.id and prop is not None
            and prop.text == b"now" and call is not None and call.type == "call_expression")
