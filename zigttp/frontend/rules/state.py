"""ZT201: the handler writes module-level state.

Module state lives in one pooled runtime: it is not shared with other pool slots or worker
processes and is lost on recycle, so a handler that counts requests in a top-level `let`
silently gives wrong answers. Found by name: inside the handler's function (and the
top-level functions it calls, transitively), an assignment, update or mutating method call
(`push`, `set`, ...) whose root identifier is a top-level binding the function does not
itself declare.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from zigttp.frontend import parser
from zigttp.frontend.source import SourceFile

WRITES = """
(assignment_expression left: (_) @target)
(augmented_assignment_expression left: (_) @target)
(update_expression argument: (_) @target)
(call_expression function: (member_expression
  object: (_) @target property: (property_identifier) @method
  (#match? @method "^(push|pop|shift|unshift|splice|sort|reverse|fill|set|add|delete|clear)$")))
"""
LOCALS = """
(variable_declarator name: (_) @local)
(required_parameter pattern: (_) @local)
(optional_parameter pattern: (_) @local)
(arrow_function parameter: (identifier) @local)
(function_declaration name: (identifier) @local)
(for_in_statement left: (_) @local)
(catch_clause parameter: (_) @local)
"""
CALLS = "(call_expression function: (identifier) @callee)"
DECLARATIONS = ("lexical_declaration", "variable_declaration")


def module_bindings(root: Node) -> set[str]:
    names: set[str] = set()
    for statement in root.named_children:
        decl = (
            statement.child_by_field_name("declaration")
            if statement.type == "export_statement"
            else statement
        )
        if decl is not None and decl.type in DECLARATIONS:
            for declarator in decl.named_children:
                name = declarator.child_by_field_name("name")
                if name is not None:
                    names |= _identifiers(name)
    return names


def handler_functions(root: Node) -> Iterator[Node]:
    """The functions that serve requests: `handler`, a default-exported function, or the
    methods of a default-exported object (`export default { fetch(req) {...} }`)."""
    for statement in root.named_children:
        target: Node | None = statement
        is_default = False
        if statement.type == "export_statement":
            is_default = any(c.type == "default" for c in statement.children)
            target = statement.child_by_field_name("declaration") or statement.child_by_field_name("value")
        if target is None:
            continue
        yield from _serving(target, is_default)


def _serving(target: Node, is_default: bool) -> Iterator[Node]:
    name = target.child_by_field_name("name")
    if target.type in ("function_declaration", "function_expression"):
        if is_default or (name is not None and name.text == b"handler"):
            yield target
    elif target.type in DECLARATIONS:
        for declarator in target.named_children:
            bound = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if bound is not None and bound.text == b"handler" and value is not None:
                yield value
    elif target.type == "object" and is_default:
        yield from (m for m in target.named_children if m.type == "method_definition")


def state_writes(source: SourceFile, root: Node) -> Iterator[tuple[Node, str]]:
    module = module_bindings(root)
    if not module:
        return
    for function in _reachable(source, root, list(handler_functions(root))):
        local = set().union(
            *(_identifiers(n) for n in parser.captures(source, function, LOCALS).get("local", []))
        )
        for target in parser.captures(source, function, WRITES).get("target", []):
            name = _root_name(target)
            if name is not None and name in module and name not in local:
                yield target, name


def _reachable(source: SourceFile, root: Node, handlers: list[Node]) -> list[Node]:
    """The handlers plus the top-level functions they call by name, transitively: a write
    in `function bump() { count++ }` called from the handler is still per-request state."""
    top: dict[bytes | None, Node] = {}
    for statement in root.named_children:
        name = statement.child_by_field_name("name")
        if statement.type == "function_declaration" and name is not None:
            top[name.text] = statement
    seen = {f.id for f in handlers}
    queue = list(handlers)
    for function in queue:
        for callee in parser.captures(source, function, CALLS).get("callee", []):
            target = top.get(callee.text)
            if target is not None and target.id not in seen:
                seen.add(target.id)
                queue.append(target)
    return queue


def _root_name(node: Node) -> str | None:
    while node.type in (
        "member_expression",
        "subscript_expression",
        "parenthesized_expression",
        "non_null_expression",
    ):
        inner = node.child_by_field_name("object") or (
            node.named_children[0] if node.named_children else None
        )
        if inner is None:
            return None
        node = inner
    return node.text.decode() if node.type == "identifier" and node.text else None


def _identifiers(pattern: Node) -> set[str]:
    if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
        return {pattern.text.decode()} if pattern.text else set()
    found: set[str] = set()
    for child in pattern.named_children:
        if child.type not in ("property_identifier", "type_annotation"):
            found |= _identifiers(child)
    return found
