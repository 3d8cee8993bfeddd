"""The comptime() pass: fold each `comptime(expr)` call into a literal, line-preserving.

Runs at load for every command (serve, build, check). A failure is a ZT4xx diagnostic at the
offending sub-expression: `handler.ts:3:22: error[ZT402]: comptime: unknown identifier ...`.
"""

from __future__ import annotations

from tree_sitter import Node

from zigttp.frontend.comptime import MAX_LENGTH, ComptimeFailure, Evaluator
from zigttp.frontend.comptime_strings import MAX_STRING
from zigttp.frontend.jsvalues import literal
from zigttp.frontend.transform import Emitter, Handler, Out

CODES = {
    "UnsupportedOp": "ZT401",
    "UnknownIdentifier": "ZT402",
    "CallNotAllowed": "ZT403",
    "TypeMismatch": "ZT404",
    "DivisionByZero": "ZT405",
    "DepthExceeded": "ZT406",
    "ExpressionTooLong": "ZT407",
    "SyntaxError": "ZT408",
    "OutputTooLarge": "ZT409",
    "TimeExceeded": "ZT410",
}
HINT = (
    "comptime() accepts literals, operators, Math, string methods, parseInt/parseFloat, "
    "JSON.parse and hash(); compute anything else at run time"
)
MAX_FILE_OUTPUT = 8 * MAX_STRING  # bytes of folded literals in one file: bounds the bundle
HINTS = {
    "OutputTooLarge": "comptime() results are capped (1 MiB per string, 8 MiB per file): build "
    "large values at run time, or serve big assets with --static",
    "TimeExceeded": "comptime() is for small constant expressions; compute this at run time",
}


def is_comptime(em: Emitter, node: Node) -> bool:
    callee = node.child_by_field_name("function")
    return callee is not None and callee.type == "identifier" and em.text(callee) == b"comptime"


def fold(em: Emitter, node: Node) -> bytes | None:
    """The literal for a comptime call, or None after reporting why it cannot be folded."""
    args = node.child_by_field_name("arguments")
    exprs = args.named_children if args is not None else []
    try:
        if args is None or args.type != "arguments" or len(exprs) != 1:
            raise ComptimeFailure(node, "SyntaxError", "comptime() takes exactly one expression")
        if exprs[0].end_byte - exprs[0].start_byte > MAX_LENGTH:
            raise ComptimeFailure(node, "ExpressionTooLong", "expression longer than 8 KiB")
        folded = literal(Evaluator(em.data).eval(exprs[0])).encode()
        em.comptime_bytes += len(folded)
        if em.comptime_bytes > MAX_FILE_OUTPUT:
            raise ComptimeFailure(
                node,
                "OutputTooLarge",
                f"comptime() results in this file exceed {MAX_FILE_OUTPUT // MAX_STRING} MiB",
            )
        return folded
    except ComptimeFailure as failure:
        hint = HINTS.get(failure.kind, HINT)
        em.report(failure.node, CODES[failure.kind], f"comptime: {failure.reason}", hint)
        return None


def _call(em: Emitter, node: Node) -> bytes:
    if not is_comptime(em, node):
        return em.default(node)
    value = fold(em, node)
    if value is None:
        return em.text(node)
    if value.startswith(b"-") and em.data[node.start_byte - 1 : node.start_byte] in (b"-", b"+"):
        value = b" " + value
    out = Out(node.start_point.row)
    out.add(value)
    out.pad_to(node.end_point.row)
    return out.bytes()


HANDLERS: dict[str, Handler] = {"call_expression": _call}
