"""Syntactic subset rules (default profile ZT101-106, ZT203; strict ZT3xx), all found by
the shared query in `facts` over the one parse tree; a little Python decides the borderline cases
(`eval` only when called directly, `Date` unless it is `Date.now()`, `for...in` vs `for...of`).
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from zigttp.frontend.facts import Facts

Finding = tuple[str, Node]  # (rule code, node to point at)


def default_findings(found: Facts) -> Iterator[Finding]:
    for code in ("ZT101", "ZT102", "ZT203"):
        yield from ((code, n) for n in found.get(code, []))
    for array in found.get("array", []):
        yield from (("ZT103", hole) for hole in array_holes(array))
    yield from (("ZT104", n) for n in found.get("eval", []) if _is_direct_call(n))
    yield from (("ZT105", n.parent) for n in found.get("box", []) if n.parent is not None)
    yield from (("ZT106", n) for n in found.get("date", []) if not _is_date_now(n))


def strict_findings(found: Facts) -> Iterator[Finding]:
    for code, nodes in found.items():
        if code.startswith("ZT3"):
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
    return (
        obj is not None
        and obj.id == node.id
        and prop is not None
        and prop.text == b"now"
        and call is not None
        and call.type == "call_expression"
    )
