"""import/export → plain script statements, on the same lines.

* `import {a, b as c} from "zigttp:NAME"` → `const { a, b: c } = __zigttp_import("NAME");`
  (unknown module or export: ZT501/ZT502 at the import);
* relative imports → the bundler's memoised module loader (`__zigttp_mod_N()`);
* `export <decl>` keeps the declaration; `export default <expr>` binds `__zigttp_default`;
  `export {..}` lists and re-exports only record names. The bundler writes the collected
  `Emitter.exports` out (entry: `globalThis.__zigttp_exports`, dependency: `return`).
* type-only imports/exports are blanked (TypeScript elision).
"""

from __future__ import annotations

from tree_sitter import Node

from zigttp.frontend.parser import field
from zigttp.frontend.transform import Emitter, Handler, ModuleRef, Out
from zigttp.frontend.ts_codegen import TYPE_DECLS, declared_names
from zigttp.modules import find_module, is_module_specifier

DEFAULT = "__zigttp_default"


def known_modules() -> list[str]:
    """Every `zigttp:*` specifier an import may name: built-in and registered user modules."""
    from zigttp.modules import builtin_modules, user_modules

    return sorted(f"zigttp:{name}" for name in {*builtin_modules(), *user_modules()})


def resolve(em: Emitter, source_node: Node) -> ModuleRef | None:
    """The JS expression for a module's namespace object, or None (diagnostic reported)."""
    specifier = em.text(source_node).decode("utf-8")[1:-1]
    if is_module_specifier(specifier):
        spec = find_module(specifier)
        if spec is None:
            em.report(
                source_node,
                "ZT501",
                f"unknown module `{specifier}`",
                f"available: {', '.join(known_modules())} (docs/modules.md)",
            )
            return None
        em.modules.add(spec.name)
        return f'__zigttp_import("{spec.name}")', frozenset(spec.exports)
    if specifier.startswith(("./", "../")):
        if em.resolver is None:
            em.report(
                source_node,
                "ZT503",
                "relative imports need a handler file",
                "serve a file instead of inline code",
            )
            return None
        return em.resolver.resolve(em, source_node, specifier)
    em.report(
        source_node,
        "ZT503",
        f"cannot import `{specifier}`",
        'import relative files ("./utils.ts") or zigttp:* modules',
    )
    return None


def _replace(node: Node, code: str) -> bytes:
    out = Out(node.start_point.row)
    out.add(code.encode("utf-8"))
    out.pad_to(node.end_point.row)
    return out.bytes()


def _is_type_only(node: Node) -> bool:
    return any(c.type == "type" for c in node.children)


def _import(em: Emitter, node: Node) -> bytes:
    if _is_type_only(node):
        return em.blank(node)
    alias = next((c for c in node.named_children if c.type == "import_require_clause"), None)
    if alias is not None:
        return em.emit(alias)
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    pairs, namespace = _bindings(em, clause) if clause is not None else ([], None)
    if clause is not None and not pairs and namespace is None:
        return em.blank(node)  # every specifier was `type X`
    ref = resolve(em, field(node, "source"))
    if ref is None:
        return em.blank(node)
    expr, known = ref
    _check_names(em, [(n, p) for n, _, p in pairs], known)
    return _replace(node, _import_code(pairs, namespace, expr))


def _import_code(pairs: list[tuple[str, str, Node]], namespace: str | None, expr: str) -> str:
    if namespace is not None and pairs:
        return f"const {namespace} = {expr}, {{ {_pattern(pairs)} }} = {namespace};"
    if namespace is not None:
        return f"const {namespace} = {expr};"
    if pairs:
        return f"const {{ {_pattern(pairs)} }} = {expr};"
    return f"{expr};"


def _pattern(pairs: list[tuple[str, str, Node]]) -> str:
    return ", ".join(name if name == local else f"{name}: {local}" for name, local, _ in pairs)


def _bindings(em: Emitter, clause: Node) -> tuple[list[tuple[str, str, Node]], str | None]:
    """(imported name, local name, node) pairs and the `* as ns` name, types dropped."""
    pairs: list[tuple[str, str, Node]] = []
    namespace = None
    for child in clause.named_children:
        if child.type == "identifier":
            pairs.append(("default", em.text(child).decode(), child))
        elif child.type == "namespace_import":
            namespace = em.text(child.named_children[0]).decode()
        elif child.type == "named_imports":
            for spec in child.named_children:
                if spec.type != "import_specifier" or _is_type_only(spec):
                    continue
                name = em.text(field(spec, "name")).decode()
                alias = spec.child_by_field_name("alias")
                local = em.text(alias).decode() if alias is not None else name
                pairs.append((name.strip("\"'"), local, spec))
    return pairs, namespace


def _check_names(em: Emitter, names: list[tuple[str, Node]], known: frozenset[str] | None) -> None:
    if known is None:
        return
    for name, node in names:
        if name not in known:
            em.report(
                node,
                "ZT502",
                f"module has no export named `{name}`",
                f"available: {', '.join(sorted(known)) or '(none)'}",
            )


def _export(em: Emitter, node: Node) -> bytes:
    decl = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    if _is_type_only(node) or (decl is not None and decl.type in TYPE_DECLS):
        return em.blank(node)
    if decl is not None:
        names = declared_names(em, decl)
        for name in names:
            em.exports.named[name] = name
        if names and any(c.type == "default" for c in node.children):
            em.exports.named["default"] = names[0]
        return em.blank_range(node.start_byte, decl.start_byte) + em.emit(decl)
    if value is not None or any(c.type == "default" for c in node.children):
        return _export_default(em, node, value)
    if any(c.type == "=" for c in node.children):
        em.report(node, "ZT013", "`export =` is not supported", "use `export default value`")
        return em.blank(node)
    return _export_list(em, node)


def _export_default(em: Emitter, node: Node, value: Node | None) -> bytes:
    if value is None:  # `export default function name() {}` parses as a declaration
        return em.blank(node)
    head = em.blank_range(node.start_byte, value.start_byte)
    name = value.child_by_field_name("name")
    if value.type in ("function_expression", "generator_function", "class", "function"):
        if name is not None:
            em.exports.named["default"] = em.text(name).decode()
            return head + em.emit(value)
        em.exports.named["default"] = DEFAULT
        return head + _name_anonymous(em, value)
    em.exports.named["default"] = DEFAULT
    prefix = f"const {DEFAULT} = ".encode()
    tail = em.data[value.end_byte : node.end_byte]
    return prefix + em.emit(value) + (tail if tail.strip() else b";")


def _name_anonymous(em: Emitter, value: Node) -> bytes:
    """`function () {}` → `function __zigttp_default() {}` (a hoisted declaration, as in ESM)."""
    code = em.emit(value)
    keyword = b"class" if value.type == "class" else b"function"
    at = code.index(keyword) + len(keyword)
    if code[at : at + 1] == b"*":
        at += 1
    return code[:at] + b" " + DEFAULT.encode() + code[at:]


def _export_list(em: Emitter, node: Node) -> bytes:
    source = node.child_by_field_name("source")
    ref = resolve(em, source) if source is not None else None
    if source is not None and ref is None:
        return em.blank(node)
    expr = ref[0] if ref is not None else None
    for child in node.named_children:
        if child.type == "export_clause":
            _export_clause(em, child, ref)
        elif child.type == "namespace_export" and expr is not None:
            em.exports.named[em.text(child.named_children[0]).decode()] = expr
    if expr is not None and not any(
        c.type in ("export_clause", "namespace_export") for c in node.named_children
    ):
        em.exports.stars.append(expr)
    return _replace(node, f"{expr};") if expr is not None else em.blank(node)


def _export_clause(em: Emitter, clause: Node, ref: ModuleRef | None) -> None:
    checked: list[tuple[str, Node]] = []
    for spec in clause.named_children:
        if spec.type != "export_specifier" or _is_type_only(spec):
            continue
        name = em.text(field(spec, "name")).decode()
        alias = spec.child_by_field_name("alias")
        exported = em.text(alias).decode() if alias is not None else name
        em.exports.named[exported] = f"{ref[0]}.{name}" if ref is not None else name
        checked.append((name, spec))
    if ref is not None:
        _check_names(em, checked, ref[1])


HANDLERS: dict[str, Handler] = {"import_statement": _import, "export_statement": _export}
