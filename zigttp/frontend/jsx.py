"""JSX lowering: intrinsic elements → string templates, components → `h()` calls.

An HTML element (or fragment) whose attributes can be joined at compile time becomes one
template (`jsx_template`): its static markup is built here, its expressions are evaluated in
place and escaped by the runtime. Everything else stays `h(tag, props, ...children)`: a
component call (`<Card/>` → `h(Card, ...)`), and an HTML element with a spread, `children`,
`dangerouslySetInnerHTML`, a repeated or `__proto__` attribute, whose props only exist at
run time. `h()` props are `null` when there are none, else an object literal in source order
(spreads kept, bare attributes `true`, dashed or namespaced names quoted). Every emitted
piece is padded onto its source line.
"""

from __future__ import annotations

import re
from functools import cache

from tree_sitter import Node

from zigttp.frontend import jsx_template
from zigttp.frontend.jsx_syntax import (
    attribute_expression,
    child_groups,
    clean_text,
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
    tag = _tag(em, name)
    parts = [b"h(", tag, b", "]
    row = node.start_point.row + tag.count(b"\n")
    row = _props(em, parts, row, attributes)
    for child_row, code in _children(em, children):
        parts.append(b", ")
        row = _place(parts, row, child_row, code)
    row = _place(parts, row, node.end_point.row, b")")
    return b"".join(parts)


def _place(parts: list[bytes], row: int, target: int, code: bytes) -> int:
    """Append `code` starting on source row `target` (padding with newlines); new row."""
    if target > row:
        parts.append(b"\n" * (target - row))
        row = target
    parts.append(code)
    return row + code.count(b"\n")


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


def _props(em: Emitter, parts: list[bytes], row: int, attributes: list[Node]) -> int:
    if not attributes:
        parts.append(b"null")
        return row
    parts.append(b"{")
    for i, attribute in enumerate(attributes):
        if i:
            parts.append(b", ")
        row = _place(parts, row, attribute.start_point.row, _attribute(em, attribute))
    parts.append(b"}")
    return row


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


def _children(em: Emitter, children: list[Node]) -> list[tuple[int, bytes]]:
    """(source row, code) for each rendered child, text runs merged and cleaned."""
    items: list[tuple[int, bytes]] = []
    for group in child_groups(children):
        if isinstance(group, list):
            text = run_text(em, group)
            if text:
                items.append((group[0].start_point.row, js_string(text)))
            continue
        is_container = group.type == "jsx_expression"
        code = expression(em, group) if is_container else em.emit(group)
        if code is not None:
            items.append((group.start_point.row, code))
    return items


HANDLERS: dict[str, Handler] = {
    "jsx_element": _element,
    "jsx_self_closing_element": _element,
}
