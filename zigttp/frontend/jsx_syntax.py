"""JSX reading rules shared by both lowerings (`jsx` → `h()` calls, `jsx_template` → strings).

Text follows React's JSX whitespace rules (Babel's `cleanJSXElementLiteralChild`): a text run
is split into lines, each line trimmed except at the run's outer edges, blank lines dropped
and the rest joined with one space; entities such as `&nbsp;` are decoded. Tags: lower-case
or dashed names and `a:b` are intrinsic (HTML) elements, capitalised names and member
expressions (`UI.Button`) are component references, `<>` is a fragment.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

from tree_sitter import Node

from zigttp.frontend.transform import Emitter

_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
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


def split_element(node: Node) -> tuple[Node, list[Node], Node | None, list[Node]]:
    """(opening element, children, tag name node or None for `<>`, attribute nodes)."""
    if node.type == "jsx_self_closing_element":
        opening, children = node, []
    else:  # the grammar guarantees: opening element, children..., closing element
        kids = node.children
        opening, children = kids[0], kids[1:-1]
    named = opening.named_children
    name = named[0] if named and named[0].type not in ATTRIBUTE_NODES else None
    return opening, children, name, [c for c in named if c.type in ATTRIBUTE_NODES]


def is_intrinsic(em: Emitter, name: Node) -> bool:
    """`div`, `my-el`, `svg:rect` name HTML elements; `Card`, `ui.Button` are references."""
    if name.type == "member_expression":  # `<ui.Button>`, `<this.Item>`: always a reference
        return False
    raw = em.text(name)
    return raw[:1].islower() or b"-" in raw or b":" in raw


def inner_expression(container: Node) -> Node | None:
    """The expression inside `{...}`; None for `{}` and `{/* comment */}`."""
    if container.named_child_count == 1:
        node = container.named_children[0]
        return None if node.type == "comment" else node
    inner = [c for c in container.named_children if c.type != "comment"]
    return inner[0] if inner else None


def expression(em: Emitter, container: Node) -> bytes | None:
    """`{expr}` → expr; `{...xs}` → `...xs`; `{}` and `{/* comment */}` → None."""
    node = inner_expression(container)
    if node is None:
        return None
    if node.type == "spread_element":
        return b"..." + em.emit(node.named_children[0])
    return em.emit(node)


def attribute_expression(em: Emitter, value: Node) -> bytes:
    """`name={expr}` → expr; `name={}` is ZT601 (and `undefined`, so checking goes on)."""
    code = expression(em, value)
    if code:
        return code
    em.report(
        value,
        "ZT601",
        "JSX attribute value is an empty expression",
        "put an expression inside the braces, or remove them",
    )
    return b"undefined"


def child_groups(children: list[Node]) -> Iterator[Node | list[Node]]:
    """Children with adjacent text and entity nodes grouped into one list (one text run)."""
    run: list[Node] = []
    for child in children:
        if child.type in TEXT_NODES:
            run.append(child)
            continue
        if run:
            yield run
            run = []
        yield child
    if run:
        yield run


def run_text(em: Emitter, run: list[Node]) -> str:
    """One text run (text and entity nodes side by side), cleaned ('' = no child)."""
    return clean_text(em.data[run[0].start_byte : run[-1].end_byte].decode("utf-8"))


class Cursor:
    """Output bytes with their current (row, byte column), so holes land where they were."""

    def __init__(self, row: int, col: int) -> None:
        self.parts: list[bytes] = []
        self.row, self.col = row, col

    def add(self, chunk: bytes) -> None:
        self.parts.append(chunk)
        last = chunk.rfind(b"\n")
        if last < 0:
            self.col += len(chunk)
        else:
            self.row += chunk.count(b"\n")
            self.col = len(chunk) - last - 1

    def move_to(self, row: int, col: int) -> None:
        if row > self.row:
            self.add(b"\n" * (row - self.row))
        if row == self.row and col > self.col:
            self.add(b" " * (col - self.col))


def cursor_at(em: Emitter, node: Node) -> Cursor:
    """A cursor at the element's start; a space first when the element is glued to a word
    (`return<div/>` must not become `return$j(` or `returnh(`)."""
    out = Cursor(*node.start_point)
    before = em.data[node.start_byte - 1 : node.start_byte]
    if before and (before.isalnum() or before in b"_$" or before[0] >= 0x80):
        out.add(b" ")
    return out
