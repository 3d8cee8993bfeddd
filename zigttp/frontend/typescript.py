"""TypeScript stripping: remove types, keep every line and column of the remaining code.

Types become spaces (never reflowed), so `x: number = 1` keeps `= 1` at its column. Covered:
annotations, interfaces, type aliases, generics (parameters and arguments), `as`/`satisfies`
(incl. `as const`), non-null `!`, `declare`, access modifiers, `readonly`, `override`,
`implements`, optional `?`, abstract classes and members, overload signatures, index
signatures, `this` parameters, definite assignment `x!: T`. `enum` and value `namespace` are
generated in `ts_codegen`. Parameter properties and decorators need code generation we do
not do: they are errors with a fix hint (never silently mis-run).
"""

from __future__ import annotations

from tree_sitter import Node

from zigttp.frontend.facts import BLANK_TYPES
from zigttp.frontend.transform import Emitter, Handler

# Node types that are nothing but type information: the ones the shared query blanks
# (facts.BLANK_TYPES), plus access modifiers, which the emitter may meet inside a walk.
TYPE_ONLY = frozenset({*BLANK_TYPES, "accessibility_modifier"})
# Tokens that are modifiers in TS and mean nothing at run time.
PARAM_PROPERTY_MODIFIERS = frozenset({"accessibility_modifier", "readonly", "override"})
MODIFIER_TOKENS = frozenset({"?", "!", "readonly", "abstract", "declare", "override"})
PARAM_PROPERTY_HINT = (
    "declare the field in the class body and assign it in the constructor: "
    "`x: T; constructor(x: T) { this.x = x; }`"
)


def _blank(em: Emitter, node: Node) -> bytes:
    return em.blank(node)


def _blank_modifiers(em: Emitter, node: Node) -> bytes:
    """Re-emit `node` with modifier tokens (`?`, `!`, `readonly`, ...) turned into spaces."""
    return em.default(node, lambda c: em.blank(c) if c.type in MODIFIER_TOKENS else None)


def _keep_first(em: Emitter, node: Node) -> bytes:
    """`expr as T`, `expr satisfies T`, `expr!`: keep the expression, blank the rest."""
    first = node.children[0]
    return em.emit(first) + em.blank_range(first.end_byte, node.end_byte)


def _type_assertion(em: Emitter, node: Node) -> bytes:
    """`<T>expr` (.ts only): blank the `<T>`."""
    return em.default(node, lambda c: em.blank(c) if c.type == "type_arguments" else None)


def _parameter(em: Emitter, node: Node) -> bytes:
    first = node.child(0)
    if first is not None and first.type in PARAM_PROPERTY_MODIFIERS:
        em.report(node, "ZT010", "parameter properties are not supported", PARAM_PROPERTY_HINT)
        return em.text(node)
    if node.type == "optional_parameter":
        return _blank_modifiers(em, node)
    return em.default(node)


def _declarator(em: Emitter, node: Node) -> bytes:
    """`let x!: T` — the definite-assignment `!` is the declarator's second token."""
    second = node.child(1)
    if second is not None and second.type == "!":
        return _blank_modifiers(em, node)
    return em.default(node)


def _method(em: Emitter, node: Node) -> bytes:
    """`m?() {}` — only methods with a `?` before the body need the slow path."""
    body = node.child_by_field_name("body")
    head_end = body.start_byte if body is not None else node.end_byte
    if b"?" in em.data[node.start_byte : head_end]:
        return _blank_modifiers(em, node)
    return em.default(node)


def _formal_parameters(em: Emitter, node: Node) -> bytes:
    """`function f(this: Foo, x)`: the `this` pseudo-parameter and its comma vanish."""
    if b"this" not in em.text(node):
        return em.default(node)
    drop: set[int] = set()
    for child in node.named_children:
        pattern = child.child_by_field_name("pattern")
        if pattern is not None and pattern.type == "this":
            drop.add(child.start_byte)
            after = child.next_sibling
            if after is not None and after.type == ",":
                drop.add(after.start_byte)
    if not drop:
        return em.default(node)
    return em.default(node, lambda c: em.blank(c) if c.start_byte in drop else None)


def _field(em: Emitter, node: Node) -> bytes:
    """`declare x: T;` and `abstract x: T;` are type-only; otherwise drop the modifiers."""
    kinds = {c.type for c in node.children}
    if "declare" in kinds or "abstract" in kinds:
        return em.blank(node)
    return _blank_modifiers(em, node)


def _decorator(em: Emitter, node: Node) -> bytes:
    em.report(
        node,
        "ZT011",
        "decorators are not supported",
        "call the wrapping function explicitly, e.g. `const f = logged(function f() {...})`",
    )
    return em.blank(node)


def _import_alias(em: Emitter, node: Node) -> bytes:
    em.report(node, "ZT013", "`import x = require(...)` is not supported", 'use `import x from "./file"`')
    return em.blank(node)


HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(TYPE_ONLY, _blank),
    "as_expression": _keep_first,
    "satisfies_expression": _keep_first,
    "non_null_expression": _keep_first,
    "type_assertion": _type_assertion,
    "required_parameter": _parameter,
    "optional_parameter": _parameter,
    "formal_parameters": _formal_parameters,
    "public_field_definition": _field,
    "method_definition": _method,
    "abstract_class_declaration": _blank_modifiers,
    "variable_declarator": _declarator,
    "decorator": _decorator,
    "import_require_clause": _import_alias,
}
