r"""HTML elements → string templates: static markup joined at compile time.

`<li class="row">{name}</li>` becomes a call of the file's site function for it,

    $j0(             name)

declared once after the file's code (`site_declarations`, hoisted):

    function $j0(x0){return($j0=$j.site(["<li class=\\"row\\">",0,"</li>"]))(x0)}

The array is the plan: static HTML strings alternating with one kind per hole (0: a child,
rendered and escaped; " name": an attribute, rendered like `h()` props; 1: evaluated and
dropped, as `key` or a void element's children are). The first call compiles it
(`$j.site`, jsx_runtime.js, once per runtime) into a function of the holes that replaces
the declaration, so a template costs one call; the result is a branded HTML value that is
never escaped again. Where the site's name would not fit before the first hole (below), the
element compiles to the tagged form `$j(holes)`plan`` instead: `$j` keeps the holes, the
template literal's cooked text is the plan's JSON, parsed once per call site. Nested HTML
elements and fragments join their parent's template; components and elements with run-time
props are holes (their `h()` calls).

Positions: every hole starts on its source line and column (the callee fits before the
first `{`; `,` before the next), and the output is padded to the element's end, so what
follows a multi-line element keeps its columns too. Only tokens after a tagged plan on the
same line (a one-line element followed by more code) move right, and a fragment's first
child spread (`<>{...xs}`, one column). Columns are bytes, as tree-sitter and quickjs count
them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tree_sitter import Node

from zigttp.frontend.jsx_syntax import (
    Cursor,
    attribute_expression,
    child_groups,
    cursor_at,
    decode_entities,
    expression,
    inner_expression,
    is_intrinsic,
    run_text,
    split_element,
)
from zigttp.frontend.transform import Emitter

CALLEE = b"$j("  # two characters: fits even `<>{x}` (jsx_runtime.js defines it)
SITE_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
MAX_SITE_NAME = 5  # `$j` + 3 digits (facts.py reserves those); later sites are tagged
CHILD, DROP = 0, 1
VOID = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    )
)
NOT_RENDERED = frozenset(("key", "ref", "__self", "__source"))  # evaluated, never markup
RUNTIME_ONLY = frozenset(("children", "dangerouslySetInnerHTML", "__proto__"))
RENAMED = {"className": "class", "htmlFor": "for"}
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: str) -> str:
    """The runtime's `escape()` (jsx_runtime.js), applied at compile time."""
    return text.translate(_ESCAPES)


Position = tuple[int, int]  # (row, byte column) in the source


@dataclass
class Hole:
    """One `$j` argument: code pieces, each to be placed at its source position."""

    pieces: list[tuple[Position, bytes]]
    spread: bool = False  # `[...a, ...b]`: adjacent `{...a}{...b}` children share one array


@dataclass
class Plan:
    """Static HTML strings around the holes; `statics` has one more entry than `holes`."""

    statics: list[str] = field(default_factory=lambda: [""])
    kinds: list[int | str] = field(default_factory=list)
    holes: list[Hole] = field(default_factory=list)

    def text(self, html: str) -> None:
        self.statics[-1] += html

    def hole(self, kind: int | str, at: Node, code: bytes) -> None:
        self.kinds.append(kind)
        self.holes.append(Hole([(at.start_point, code)]))
        self.statics.append("")

    def spread(self, kind: int | str, container: Node, code: bytes) -> None:
        """`{...xs}` renders as the array `[...xs]` (one more piece if one came just before)."""
        row, col = container.start_point
        last = self.holes[-1] if self.holes else None
        if last is not None and last.spread and self.kinds[-1] == kind and not self.statics[-1]:
            last.pieces.append(((row, col + 1), code))  # `...` where it was written
            return
        self.kinds.append(kind)
        self.holes.append(Hole([((row, col), b"[" + code)], spread=True))
        self.statics.append("")

    def items(self) -> str:
        """The plan as JSON, `[static, kind, static, ...]` (ASCII: lone surrogates survive;
        also a JS array literal, the site declarations' form)."""
        items: list[int | str] = [self.statics[0]]
        for kind, static in zip(self.kinds, self.statics[1:], strict=True):
            items += [kind, static]
        return json.dumps(items, separators=(",", ":"))

    def literal(self) -> bytes:
        """The plan as a template literal whose cooked text is its JSON."""
        text = self.items()
        return b"`" + text.replace("\\", "\\\\").replace("`", "\\`").replace("$", "\\$").encode() + b"`"


def applies(em: Emitter, node: Node) -> bool:
    """A fragment, or an HTML element whose attributes are all known at compile time."""
    _, _, name, attributes = split_element(node)
    if name is None:
        return True
    if not is_intrinsic(em, name):
        return False
    seen: set[bytes] = set()
    for attribute in attributes:
        if attribute.type == "jsx_expression":  # {...spread}
            return False
        key = em.text(attribute.named_children[0])
        if key in seen or key.decode("utf-8") in RUNTIME_ONLY:
            return False
        seen.add(key)
    return True


def lower(em: Emitter, node: Node) -> bytes:
    """A site function call, `$j0(holes)`, where its name fits before the first hole; else
    the tagged form `$j(holes)`plan`` (same bytes, one call and an arguments object more)."""
    plan = Plan()
    _element(em, node, plan, rendered=True)
    out = cursor_at(em, node)
    name = site_name(len(em.jsx_sites))
    first = plan.holes[0].pieces[0][0] if plan.holes else None
    fits = first is None or first[0] > out.row or first[1] >= out.col + len(name) + 1
    if fits and len(name) <= MAX_SITE_NAME:
        em.jsx_sites.append((plan.items(), len(plan.holes)))
        return _layout(node, plan, out, name + b"(", b")")
    return _layout(node, plan, out, CALLEE, b")" + plan.literal())


def site_name(index: int) -> bytes:
    """`$j` and the index in base 64 (`$j0` ... `$j$`, `$j10` ...): ZT108 reserves them."""
    digits = ""
    while True:
        index, digit = divmod(index, len(SITE_DIGITS))
        digits = SITE_DIGITS[digit] + digits
        if not index:
            return b"$j" + digits.encode()


def site_declarations(sites: list[tuple[str, int]]) -> str:
    """One function declaration per site, put after the file's code (hoisted, so a site runs
    before its line is reached too): the first call compiles the plan (`$j.site`, once per
    runtime) and puts the compiled function in the declaration's place."""
    out = []
    for index, (items, count) in enumerate(sites):
        name = site_name(index).decode()
        params = ",".join(f"x{k}" for k in range(count))
        out.append(f"function {name}({params}){{return({name}=$j.site({items}))({params})}}")
    return "".join(out)


def _element(em: Emitter, node: Node, plan: Plan, rendered: bool) -> None:
    _, children, name, attributes = split_element(node)
    if name is None:
        _children(em, children, plan, rendered)
        return
    tag = em.text(name).decode("utf-8")
    void = tag in VOID
    if rendered:
        plan.text("<" + tag)
    for attribute in attributes:
        _attribute(em, attribute, plan, rendered)
    if rendered:
        plan.text(" />" if void else ">")
    _children(em, children, plan, rendered and not void)  # a void element's are dropped
    if rendered and not void:
        plan.text(f"</{tag}>")


def _attribute(em: Emitter, attribute: Node, plan: Plan, rendered: bool) -> None:
    name_node, *rest = attribute.named_children
    name = em.text(name_node).decode("utf-8")
    shown = rendered and name not in NOT_RENDERED
    spaced = " " + RENAMED.get(name, name)
    if not rest:
        if shown:
            plan.text(spaced)
        return
    value = rest[0]
    if value.type == "string":
        if shown:
            text = decode_entities(em.text(value).decode("utf-8")[1:-1])
            plan.text(f'{spaced}="{escape(text)}"')
        return
    kind = spaced if shown else DROP
    if value.type == "jsx_expression":
        at = inner_expression(value) or value
        plan.hole(kind, at, attribute_expression(em, value))
    else:  # `name=<b/>`: an element as a value
        plan.hole(kind, value, em.emit(value))


def _children(em: Emitter, children: list[Node], plan: Plan, rendered: bool) -> None:
    kind = CHILD if rendered else DROP
    for group in child_groups(children):
        if isinstance(group, list):
            if rendered:
                plan.text(escape(run_text(em, group)))
        elif group.type == "jsx_expression":
            _container(em, group, plan, kind)
        elif applies(em, group):
            _element(em, group, plan, rendered)
        else:
            plan.hole(kind, group, em.emit(group))


def _container(em: Emitter, container: Node, plan: Plan, kind: int) -> None:
    inner = inner_expression(container)
    if inner is None:
        return
    code = expression(em, container) or b""
    if inner.type == "spread_element":
        plan.spread(kind, container, code)
    else:
        plan.hole(kind, inner, code)


def _layout(node: Node, plan: Plan, out: Cursor, callee: bytes, close: bytes) -> bytes:
    out.add(callee)
    for i, hole in enumerate(plan.holes):
        for j, (position, code) in enumerate(hole.pieces):
            if i or j:
                out.add(b",")
            out.move_to(*position)
            out.add(code)
        if hole.spread:
            out.add(b"]")
    out.add(close)
    out.move_to(*node.end_point)
    return b"".join(out.parts)
