"""JSX lowering: intrinsic elements → string templates, components → `h()` calls.

An HTML element (or fragment) whose attributes are all known at compile time becomes one
template (`jsx_template`): its static markup is joined now, its expressions are evaluated
in place and escaped by the runtime. Everything else stays `h(tag, props, ...children)`: a
component call (`<Card/>` → `h(Card, ...)`), and an HTML element with a spread, `children`,
`dangerouslySetInnerHTML`, a repeated or `__proto__` attribute, whose props only exist at
run time. `h()` props are `null` when there are none, else an object literal in source order
(spreads kept, bare attributes `true`, dashed or namespaced names quoted). Every emitted
piece is padded onto its source line and, where it fits, its column.
"""

from __future__ import annotations

import re
from functools import cache

from tree_sitter import Node

from zigttp.frontend import jsx_template
from zigttp.frontend.jsx_components import direct_components
from zigttp.frontend.jsx_syntax import (
    Cursor,
    attribute_expression,
    child_groups,
    clean_text,
    cursor_at,
    decode_entities,
    expression,
    is_intrinsic,
    js_string,
    run_text,
    split_element,
)
from zigttp.frontend.transform import Emitter, Handler

__all__ = ["HANDLERS", "clean_text", "decode_entities", "js_string"]

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _element(em: Emitter, node: Node) -> bytes:
    if jsx_template.applies(em, node):
        return jsx_template.lower(em, node)
    _, children, name, attributes = split_element(node)
    out = cursor_at(em, node)
    items = _children(em, children)
    callee = b"$j.e(" if not items and _direct(em, name, attributes) else b"h("
    out.add(callee + _tag(em, name) + b", ")
    _props(em, out, attributes)
    for position, code in items:
        out.add(b", ")
        out.move_to(*position)
        out.add(code)
    row, col = node.end_point
    out.move_to(row, col - 1)  # `)` where `>` was: what follows keeps its column
    out.add(b")")
    return b"".join(out.parts)


def _direct(em: Emitter, name: Node | None, attributes: list[Node]) -> bool:
    """A component that only reads its props, with props the compiler writes (`jsx_components`)."""
    if name is None or name.type != "identifier" or name.text not in direct_components(em):
        return False
    return all(a.type != "jsx_attribute" or em.text(a.named_children[0]) != b"__proto__" for a in attributes)


def _tag(em: Emitter, name: Node | None) -> bytes:
    if name is None:
        return b"Fragment"
    if is_intrinsic(em, name):  # an HTML element with run-time props: a string
        return _intrinsic(em.text(name))
    return em.emit(name)


@cache
def _intrinsic(raw: bytes) -> bytes:
    """`div` → `"div"` (memoised: a page uses a handful of tag and attribute names)."""
    return js_string(raw.decode("utf-8"))


@cache
def _key(raw: bytes) -> bytes:
    """An attribute name as an object key: `id` bare, `data-x` / `xlink:href` quoted."""
    name = raw.decode("utf-8")
    return raw if _IDENT.match(name) else js_string(name)


def _props(em: Emitter, out: Cursor, attributes: list[Node]) -> None:
    if not attributes:
        out.add(b"null")
        return
    out.add(b"{")
    for i, attribute in enumerate(attributes):
        if i:
            out.add(b", ")
        out.move_to(*attribute.start_point)  # `name: value` keeps value's column from here
        out.add(_attribute(em, attribute))
    out.add(b"}")


def _attribute(em: Emitter, attribute: Node) -> bytes:
    if attribute.type == "jsx_expression":  # {...spread}
        return expression(em, attribute) or b""
    name_node, *rest = attribute.named_children
    key = _key(em.text(name_node))
    if not rest:
        return key + b": true"
    value = rest[0]
    if value.type == "string":
        raw = em.text(value).decode("utf-8")[1:-1]
        code = js_string(decode_entities(raw))
    elif value.type == "jsx_expression":
        code = attribute_expression(em, value)
    else:
        code = em.emit(value)
    return key + b": " + code


def _children(em: Emitter, children: list[Node]) -> list[tuple[tuple[int, int], bytes]]:
    """(source position, code) for each rendered child, text runs merged and cleaned."""
    items: list[tuple[tuple[int, int], bytes]] = []
    for group in child_groups(children):
        if isinstance(group, list):
            text = run_text(em, group)
            if text:
                items.append((group[0].start_point, js_string(text)))
            continue
        is_container = group.type == "jsx_expression"
        code = expression(em, group) if is_container else em.emit(group)
        if code is not None:
            items.append((group.start_point, code))
    return items


HANDLERS: dict[str, Handler] = {
    "jsx_element": _element,
    "jsx_self_closing_element": _element,
}
