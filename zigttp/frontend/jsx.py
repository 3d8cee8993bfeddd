"""JSX → `h(tag, props, ...children)` calls, line-preserving.

Tags: lower-case or dashed names and `a:b` become strings, capitalised names and member
expressions (`UI.Button`) stay references, `<>` is `Fragment`. Props: `null` when there are
none, else an object literal in source order (spreads kept, bare attributes `true`, dashed
or namespaced names quoted). Children follow React's JSX whitespace rules (Babel's
`cleanJSXElementLiteralChild`): a text run is split into lines, each line trimmed except at
the run's outer edges, blank lines dropped and the rest joined with one space; entities such
as `&nbsp;` are decoded. Every emitted piece is padded onto its source line.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache

from tree_sitter import Node

from zigttp.frontend.transform import Emitter, Handler

_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_PLAIN = re.compile(r'[^"\\\x00-\x1f\u2028\u2029]*\Z')
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
TEXT_NODES = ("jsx_text", "html_character_reference")
ATTRIBUTE_NODES = ("jsx_attribute", "jsx_expression")  # a tag name is never one of these


def decode_entities(text: str) -> str:
    """`&amp;`, `&#38;`, `&#x26;`, `&nbsp;` ... → characters; unknown names stay as written."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def clean_text(raw: str) -> str:
    """React/Babel JSX whitespace rule for one text run ('' means: emit no child)."""
    if "\n" not in raw and "\r" not in raw:  # one line: nothing is trimmed
        text = raw.replace("\t", " ")
        return decode_entities(text) if "&" in text else text
    if not raw.strip(" \t\r\n"):  # spaces and a line break vanish (NBSP is not a space)
        return ""
    lines = _LINE_BREAK.split(raw)
    last_non_empty = max((i for i, line in enumerate(lines) if line.strip(" \t")), default=0)
    parts: list[str] = []
    for i, line in enumerate(lines):
        text = line.replace("\t", " ")
        if i != 0:
            text = text.lstrip(" ")
        if i != len(lines) - 1:
            text = text.rstrip(" ")
        if text:
            parts.append(text + (" " if i != last_non_empty else ""))
    return decode_entities("".join(parts))


def js_string(text: str) -> bytes:
    """A JS string literal (fast path for text that needs no escapes)."""
    if _PLAIN.match(text):
        return b'"' + text.encode("utf-8") + b'"'
    return json.dumps(text, ensure_ascii=False).encode("utf-8")


def _element(em: Emitter, node: Node) -> bytes:
    if node.type == "jsx_self_closing_element":
        opening, children = node, []
    else:  # the grammar guarantees: opening element, children..., closing element
        kids = node.children
        opening, children = kids[0], kids[1:-1]
    named = opening.named_children
    name = named[0] if named and named[0].type not in ATTRIBUTE_NODES else None
    tag = _tag(em, name)
    parts = [b"h(", tag, b", "]
    row = node.start_point.row + tag.count(b"\n")
    attributes = [c for c in named if c.type in ATTRIBUTE_NODES]
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
    raw = em.text(name)
    if name.type == "member_expression":  # `<ui.Button>`, `<this.Item>`: always a reference
        return em.emit(name)
    if raw[:1].islower() or b"-" in raw or b":" in raw:  # intrinsic: a string
        return _intrinsic(raw)
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
        return _expression(em, attribute) or b""
    name_node, *rest = attribute.named_children
    key = _key(em.text(name_node))
    if not rest:
        return key + b": true"
    value = rest[0]
    if value.type == "string":
        raw = em.text(value).decode("utf-8")[1:-1]
        code = js_string(decode_entities(raw))
    elif value.type == "jsx_expression":
        code = _expression(em, value) or b""
        if not code:
            em.report(
                value,
                "ZT601",
                "JSX attribute value is an empty expression",
                "put an expression inside the braces, or remove them",
            )
            code = b"undefined"
    else:
        code = em.emit(value)
    return key + b": " + code


def _expression(em: Emitter, container: Node) -> bytes | None:
    """`{expr}` → expr; `{...xs}` → `...xs`; `{}` and `{/* comment */}` → None."""
    if container.named_child_count == 1:
        node = container.named_children[0]
        if node.type == "comment":
            return None
    else:
        inner = [c for c in container.named_children if c.type != "comment"]
        if not inner:
            return None
        node = inner[0]
    if node.type == "spread_element":
        return b"..." + em.emit(node.named_children[0])
    return em.emit(node)


def _children(em: Emitter, children: list[Node]) -> list[tuple[int, bytes]]:
    """(source row, code) for each rendered child, text runs merged and cleaned."""
    items: list[tuple[int, bytes]] = []
    run: list[Node] = []
    for child in children:
        kind = child.type
        if kind in TEXT_NODES:
            run.append(child)
            continue
        if run:
            _flush(em, run, items)
            run = []
        code = _expression(em, child) if kind == "jsx_expression" else em.emit(child)
        if code is not None:
            items.append((child.start_point.row, code))
    if run:
        _flush(em, run, items)
    return items


def _flush(em: Emitter, run: list[Node], items: list[tuple[int, bytes]]) -> None:
    """One text run (text and entity nodes side by side) → a cleaned string child."""
    text = clean_text(em.data[run[0].start_byte : run[-1].end_byte].decode("utf-8"))
    if text:
        items.append((run[0].start_point.row, js_string(text)))


HANDLERS: dict[str, Handler] = {
    "jsx_element": _element,
    "jsx_self_closing_element": _element,
}
