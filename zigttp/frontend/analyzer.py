"""The subset analyzer: rule findings → Diagnostics, for a profile.

Runs on the same tree as the transforms (no second parse), reading the shared query
results (`facts`). Profiles:
* `default` (always on, also for `serve`): full JavaScript; only what would really
  misbehave: module-state writes (ZT201, per runtime, not shared) and unknown globals (ZT204,
  a ReferenceError at request time), plus the reserved names (ZT108);
* `portable` (`check --profile portable`, alias `strict`): code that must also run on the
  original zigttp: its subset as errors (ZT101-106, ZT3xx, `==`), unused bindings (ZT202).
`require_handler` (set by `check` for the entry file) makes a missing handler ZT107.
"""

from __future__ import annotations

from tree_sitter import Node

from zigttp.diagnostics import Diagnostic
from zigttp.frontend.facts import Facts
from zigttp.frontend.rules.catalogue import RULES
from zigttp.frontend.rules.globals import unknown_globals
from zigttp.frontend.rules.state import state_writes
from zigttp.frontend.rules.subset import default_findings, strict_findings
from zigttp.frontend.rules.unused import unused_bindings
from zigttp.frontend.source import SourceFile
from zigttp.frontend.transform import Exports, Options

PROFILES = ("default", "strict", "portable")
# `portable` (the issue tracker's and the original zigttp's word) is the strict profile: code
# that passes it also runs on the original's engine, dialect included.
ALIASES = {"portable": "strict"}


def analyze(
    source: SourceFile, root: Node, facts: Facts, options: Options, is_entry: bool, exports: Exports
) -> list[Diagnostic]:
    strict = options.profile == "strict"
    findings: list[tuple[str, Node]] = []
    if strict:
        findings = list(default_findings(facts)) + list(strict_findings(facts))
    findings += [("ZT108", node) for node in facts.get("reserved", [])]  # `$j`, `$j0`: every profile
    out = [_diagnostic(source, code, node, strict) for code, node in findings]
    for node, name in state_writes(source, root):
        out.append(_diagnostic(source, "ZT201", node, strict, f" (`{name}`)"))
    for node in unknown_globals(root):
        out.append(
            _diagnostic(source, "ZT204", node, strict, f" `{node.text.decode()}`" if node.text else "")
        )
    if strict:
        named = set(exports.named.values()) | set(exports.named)
        for node in unused_bindings(source, facts, named):
            out.append(
                _diagnostic(source, "ZT202", node, strict, f" `{node.text.decode()}`" if node.text else "")
            )
    if is_entry and options.require_handler and not has_handler(root, exports):
        out.append(source.diagnostic_at(1, 1, "ZT107", RULES["ZT107"].message, RULES["ZT107"].hint))
    return out


def _diagnostic(source: SourceFile, code: str, node: Node, strict: bool, detail: str = "") -> Diagnostic:
    rule = RULES[code]
    severity = "error" if strict and code == "ZT203" else rule.severity
    return source.diagnostic(node, code, rule.message + detail, rule.hint, severity)


def has_handler(root: Node, exports: Exports) -> bool:
    if "handler" in exports.named or "default" in exports.named:
        return True
    for statement in root.named_children:
        name = statement.child_by_field_name("name")
        if statement.type == "function_declaration" and name is not None and name.text == b"handler":
            return True
        if statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                bound = declarator.child_by_field_name("name")
                if bound is not None and bound.text == b"handler":
                    return True
    return False
