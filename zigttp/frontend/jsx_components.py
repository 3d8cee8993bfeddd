"""Components that only read their props: their elements skip the props copy.

Rendering a component element calls `tag(props)` with a copy of the element's props plus
`children` (jsx_runtime.js `vnode`), so that what the component does to its props never
reaches the element. A component that cannot tell the copy from the element's own props
may be given those: the front end then compiles `<Row index={i}/>` to `$j.e(Row, {index:
i})`, an element the renderer calls with its props as they are (one object, one copy and
one `children` property fewer per element). The element itself is the same `{tag, props,
children}` as `h()` makes.

A file's component qualifies when all of this holds, checked on its syntax tree:
* it is a top-level `function Name(props) { ... }` with one plain parameter (or none), and `Name` is
  written nowhere else in the file except as a JSX tag (never reassigned, shadowed, passed
  around or declared twice), so the tag of `<Name/>` is that function;
* inside it, every use of the parameter is a read `props.key` of a named key other than
  `children` (it never sees the missing key): not assigned, updated, deleted, destructured
  into, called as a method (which would hand it over as `this`), read by a nested function
  (which could outlive the call) or used whole;
* it uses neither `this` (the element), `arguments` nor `eval`.
The element qualifies when its props are a literal the compiler wrote (own data properties,
so reading them late reads what the copy would have read): no children, no `__proto__`.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from zigttp.frontend.transform import Emitter

FUNCTIONS = frozenset(("function_declaration", "function_expression", "arrow_function", "method_definition"))
FUNCTIONS |= {"generator_function_declaration", "generator_function", "function"}
FORBIDDEN = frozenset((b"arguments", b"eval"))
JSX_NAMES = frozenset(("jsx_opening_element", "jsx_closing_element", "jsx_self_closing_element"))
WRITES = frozenset(("assignment_expression", "augmented_assignment_expression"))
PATTERNS = frozenset(
    ("array_pattern", "object_pattern", "pair_pattern", "assignment_pattern", "rest_pattern")
)


def direct_components(em: Emitter) -> frozenset[bytes]:
    """The names of the file's components that only read their props (memoised per file)."""
    if em.jsx_direct is None:
        em.jsx_direct = frozenset(_qualifying(em.root))
    return em.jsx_direct


def _qualifying(root: Node) -> Iterator[bytes]:
    uses: dict[bytes, list[Node]] = {}
    for node in _walk(root):
        if node.type == "identifier" and node.text:
            uses.setdefault(node.text, []).append(node)
    for statement in root.named_children:
        function = statement.named_children[0] if statement.type == "export_statement" else statement
        if function is None or function.type != "function_declaration":
            continue
        name = function.child_by_field_name("name")
        if name is None or not name.text:
            continue
        others = [n for n in uses.get(name.text, []) if n != name]
        if all(n.parent is not None and n.parent.type in JSX_NAMES for n in others) and _reads_only(function):
            yield name.text


def _reads_only(function: Node) -> bool:
    params = function.child_by_field_name("parameters")
    body = function.child_by_field_name("body")
    if params is None or body is None or function.child_by_field_name("type_parameters") is not None:
        return False
    named = [p for p in params.named_children if p.type != "comment"]
    if len(named) > 1:
        return False
    if not named:  # `function Page()`: no props to see
        return not any(_forbidden(node) for node in _walk(body))
    param = named[0]
    if param.type == "required_parameter":  # TypeScript: `props: {...}`
        if param.child_by_field_name("value") is not None:
            return False
        param = param.child_by_field_name("pattern") or param
    if param.type != "identifier" or not param.text:
        return False
    for node in _walk(body):
        if _forbidden(node):
            return False
        if node.type == "identifier" and node.text == param.text and not _a_read(node, body):
            return False
    return True


def _forbidden(node: Node) -> bool:
    """`this` (the element), `arguments` (the props), `eval` (anything)."""
    return node.type == "this" or (node.type == "identifier" and node.text in FORBIDDEN)


def _a_read(use: Node, body: Node) -> bool:
    """`props.key` read in place (see the module docstring)."""
    member = use.parent
    if member is None or member.type != "member_expression" or member.child_by_field_name("object") != use:
        return False
    key = member.child_by_field_name("property")
    if key is None or key.type != "property_identifier" or key.text == b"children":
        return False
    outer = member.parent
    while outer is not None and outer.type == "parenthesized_expression":
        outer = outer.parent
    if outer is None or outer.type in PATTERNS or outer.type == "update_expression":
        return False
    if outer.type in WRITES and outer.child_by_field_name("left") in (member, member.parent):
        return False
    if outer.type == "unary_expression" and outer.children[0].type == "delete":
        return False
    if outer.type == "call_expression" and outer.child_by_field_name("function") in (member, member.parent):
        return False
    if outer.type in ("for_in_statement",) and outer.child_by_field_name("left") in (member, member.parent):
        return False
    scope = member.parent
    while scope is not None and scope != body:  # a nested function could read it later
        if scope.type in FUNCTIONS:
            return False
        scope = scope.parent
    return True


def _walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
