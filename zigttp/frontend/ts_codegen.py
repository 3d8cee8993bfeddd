"""TypeScript constructs that produce values: `enum` and `namespace`, generated as plain JS.

Both keep line numbers: the generated statement for an enum member sits on the member's line,
and a namespace body is emitted in place inside an IIFE whose parameter is the namespace
object. `enum E { A = 1, B }` → `const E = {}; E[E["A"] = 1] = "A"; E[E["B"] = 2] = "B";`
(string members get no reverse mapping, as in tsc). A namespace with only types vanishes.
"""

from __future__ import annotations

import json

from tree_sitter import Node

from zigttp.frontend.parser import field
from zigttp.frontend.transform import Emitter, Handler, Out

TYPE_DECLS = frozenset({"interface_declaration", "type_alias_declaration", "ambient_declaration"})


def _enum(em: Emitter, node: Node) -> bytes:
    name = em.text(field(node, "name")).decode()
    body = field(node, "body")
    out = Out(node.start_point.row)
    out.add(f"const {name} = {{}};".encode())
    members = [c for c in body.named_children if c.type in ("property_identifier", "enum_assignment")]
    keys = [_member_name(em, m) for m in members]
    names = set(keys)
    previous: str | None = "-1"
    for member, key in zip(members, keys, strict=True):
        out.pad_to(member.start_point.row)
        value, previous, numeric = _member_value(em, member, name, names, previous)
        if value is None:
            em.report(
                member,
                "ZT014",
                f"enum member `{key}` needs an initializer",
                "give every member after a string member an explicit value",
            )
            continue
        k = json.dumps(key)
        stmt = f" {name}[{name}[{k}] = {value}] = {k};" if numeric else f" {name}[{k}] = {value};"
        out.add(stmt.encode())
    out.pad_to(node.end_point.row)
    return out.bytes()


def _member_name(em: Emitter, member: Node) -> str:
    key = member if member.type == "property_identifier" else field(member, "name")
    text = em.text(key).decode()
    return text[1:-1] if text[:1] in "\"'" else text


def _member_value(
    em: Emitter, member: Node, enum: str, names: set[str], previous: str | None
) -> tuple[str | None, str | None, bool]:
    """(JS value, value for the next auto member, numeric?) for one member."""
    if member.type == "property_identifier":
        if previous is None:
            return None, None, True
        value = str(int(previous) + 1) if previous.lstrip("-").isdigit() else f"{previous} + 1"
        return value, value, True
    init = field(member, "value")
    kind = init.type
    if kind == "string":
        return em.text(init).decode(), None, False
    if kind == "number":
        value = em.text(init).decode()
        return value, value, True
    value = _rename(em, init, enum, names).decode()
    return value, f"({value})", True


def _rename(em: Emitter, node: Node, enum: str, names: set[str]) -> bytes:
    """Emit an initializer with sibling member names qualified (`B = A * 2` → `E["A"] * 2`)."""
    if node.type == "identifier" and em.text(node).decode() in names:
        return f"{enum}[{json.dumps(em.text(node).decode())}]".encode()
    if node.type in em.table:
        return em.emit(node)
    return em.default(node, lambda c: _rename(em, c, enum, names))


def _namespace(em: Emitter, node: Node) -> bytes:
    name_node = field(node, "name")
    body = node.child_by_field_name("body")
    if name_node.type != "identifier":
        em.report(
            node,
            "ZT012",
            "dotted or string namespace names are not supported",
            "nest one `namespace` per level, or use a plain object",
        )
        return em.blank(node)
    statements = body.named_children if body is not None else []
    if all(_type_only(s) for s in statements):
        return em.blank(node)
    name = em.text(name_node).decode()
    out = Out(node.start_point.row)
    out.add(f"const {name} = (function ({name}) {{".encode())
    for statement in statements:
        out.pad_to(statement.start_point.row)
        out.add(_namespace_statement(em, statement, name))
    out.pad_to(node.end_point.row)
    out.add(f" return {name}; }})({{}});".encode())
    return out.bytes()


def _type_only(statement: Node) -> bool:
    if statement.type == "export_statement":
        decl = statement.child_by_field_name("declaration")
        return decl is None or decl.type in TYPE_DECLS
    return statement.type in TYPE_DECLS or statement.type == "empty_statement"


def _namespace_statement(em: Emitter, statement: Node, ns: str) -> bytes:
    if statement.type != "export_statement":
        return em.emit(statement)
    decl = statement.child_by_field_name("declaration")
    if decl is None:
        em.report(
            statement,
            "ZT012",
            "only `export <declaration>` is supported in a namespace",
            "export the declaration itself",
        )
        return em.blank(statement)
    names = declared_names(em, decl)
    assigns = "".join(f" {ns}.{n} = {n};" for n in names)
    return em.blank_range(statement.start_byte, decl.start_byte) + em.emit(decl) + assigns.encode()


def declared_names(em: Emitter, decl: Node) -> list[str]:
    """Names a declaration binds (functions, classes, enums, namespaces, `let/const` patterns)."""
    if decl.type in TYPE_DECLS:
        return []
    if decl.type in ("lexical_declaration", "variable_declaration"):
        names: list[str] = []
        for declarator in decl.named_children:
            if declarator.type == "variable_declarator":
                names.extend(pattern_names(em, field(declarator, "name")))
        return names
    if decl.type == "expression_statement":
        decl = decl.named_children[0]
    name = decl.child_by_field_name("name")
    return [em.text(name).decode()] if name is not None else []


def pattern_names(em: Emitter, pattern: Node) -> list[str]:
    """Identifiers bound by a binding pattern (`{a, b: [c, ...d]}` → a, c, d)."""
    if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
        return [em.text(pattern).decode()]
    names: list[str] = []
    for child in pattern.named_children:
        if child.type == "pair_pattern":
            child = field(child, "value")
        elif child.type in ("object_assignment_pattern", "assignment_pattern"):
            child = field(child, "left")
        if child is not None and child.type not in ("property_identifier", "type_annotation"):
            names.extend(pattern_names(em, child))
    return names


HANDLERS: dict[str, Handler] = {
    "enum_declaration": _enum,
    "internal_module": _namespace,
    "module": _namespace,
}
