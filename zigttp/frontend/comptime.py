"""The comptime() evaluator: a tiny interpreter over tree-sitter expression nodes.

Only the deterministic subset of spec §5 / reference §1.12 is accepted: literals, operators,
ternaries, Math, string methods, `parseInt`/`parseFloat`/`JSON.parse`/`hash`. Anything else
raises `ComptimeFailure` naming the reason (unknown identifier, call not allowed, ...), which
the pass turns into a `file:line:col` diagnostic. No JS engine is involved.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from tree_sitter import Node

from zigttp import __version__
from zigttp.frontend import comptime_builtins as builtins
from zigttp.frontend.comptime_strings import STRING_METHODS
from zigttp.frontend.jsvalues import (
    UNDEFINED,
    JsValue,
    loose_equals,
    strict_equals,
    to_int32,
    to_number,
    to_string,
    to_uint32,
    truthy,
)
from zigttp.frontend.parser import field

MAX_DEPTH = 64
MAX_LENGTH = 8 * 1024
CONSTANTS: dict[str, JsValue] = {
    "undefined": UNDEFINED,
    "NaN": math.nan,
    "Infinity": math.inf,
    "__VERSION__": __version__,
}
NONDETERMINISTIC = {"Date.now", "Math.random", "performance.now", "crypto.randomUUID"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class ComptimeFailure(Exception):
    """Why a comptime expression cannot be folded, and where."""

    def __init__(self, node: Node, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.node, self.kind, self.reason = node, kind, reason


class Evaluator:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8")

    def eval(self, node: Node, depth: int = 0) -> JsValue:
        if depth > MAX_DEPTH:
            raise ComptimeFailure(node, "DepthExceeded", f"expression nested deeper than {MAX_DEPTH}")
        method = getattr(self, "eval_" + node.type, None)
        if method is None:
            raise ComptimeFailure(node, "UnsupportedOp", f"`{_describe(node)}` is not allowed")
        return method(node, depth + 1)

    def eval_number(self, node: Node, _: int) -> JsValue:
        text = self.text(node).replace("_", "").lower()
        if text.endswith("n"):
            raise ComptimeFailure(node, "UnsupportedOp", "BigInt literals are not allowed")
        if text.startswith(("0x", "0o", "0b")):
            return float(int(text, 0))
        if re.fullmatch(r"0[0-7]+", text):
            return float(int(text, 8))
        return float(text)

    def eval_string(self, node: Node, _: int) -> JsValue:
        parts = []
        for child in node.named_children:
            raw = self.text(child)
            parts.append(_unescape(raw) if child.type == "escape_sequence" else raw)
        return "".join(parts)

    def eval_template_string(self, node: Node, depth: int) -> JsValue:
        if any(c.type == "template_substitution" for c in node.named_children):
            raise ComptimeFailure(node, "UnsupportedOp", "template interpolation is not allowed")
        return self.eval_string(node, depth)

    def eval_true(self, node: Node, _: int) -> JsValue:
        return True

    def eval_false(self, node: Node, _: int) -> JsValue:
        return False

    def eval_null(self, node: Node, _: int) -> JsValue:
        return None

    def eval_undefined(self, node: Node, _: int) -> JsValue:
        return UNDEFINED

    def eval_identifier(self, node: Node, _: int) -> JsValue:
        name = self.text(node)
        if name in CONSTANTS:
            return CONSTANTS[name]
        raise ComptimeFailure(
            node, "UnknownIdentifier", f"unknown identifier `{name}` (variables are not allowed)"
        )

    def eval_parenthesized_expression(self, node: Node, depth: int) -> JsValue:
        return self.eval(node.named_children[0], depth)

    def eval_array(self, node: Node, depth: int) -> JsValue:
        return [self.eval(c, depth) for c in node.named_children]

    def eval_object(self, node: Node, depth: int) -> JsValue:
        result: dict[str, JsValue] = {}
        for child in node.named_children:
            if child.type != "pair":
                raise ComptimeFailure(child, "UnsupportedOp", f"`{_describe(child)}` is not allowed")
            key = field(child, "key")
            name = self.eval(key, depth) if key.type in ("string", "number") else self.text(key)
            result[to_string(name)] = self.eval(field(child, "value"), depth)
        return result

    def eval_unary_expression(self, node: Node, depth: int) -> JsValue:
        op = self.text(field(node, "operator"))
        value = self.eval(field(node, "argument"), depth)
        unary: dict[str, Callable[[JsValue], JsValue]] = {
            "-": lambda v: -to_number(v),
            "+": to_number,
            "!": lambda v: not truthy(v),
            "~": lambda v: float(~to_int32(v)),
        }
        if op not in unary:
            raise ComptimeFailure(node, "UnsupportedOp", f"operator `{op}` is not allowed")
        return unary[op](value)

    def eval_binary_expression(self, node: Node, depth: int) -> JsValue:
        op = self.text(field(node, "operator"))
        left = self.eval(field(node, "left"), depth)
        right_node = field(node, "right")
        if op in ("&&", "||", "??"):
            short = {
                "&&": not truthy(left),
                "||": truthy(left),
                "??": left is not None and left is not UNDEFINED,
            }[op]
            return left if short else self.eval(right_node, depth)
        return binary(node, op, left, self.eval(right_node, depth))

    def eval_ternary_expression(self, node: Node, depth: int) -> JsValue:
        test = self.eval(field(node, "condition"), depth)
        branch = "consequence" if truthy(test) else "alternative"
        return self.eval(field(node, branch), depth)

    def eval_member_expression(self, node: Node, depth: int) -> JsValue:
        obj_node = field(node, "object")
        prop = self.text(field(node, "property"))
        if obj_node.type == "identifier" and self.text(obj_node) == "Math":
            if prop in builtins.MATH_CONSTANTS:
                return builtins.MATH_CONSTANTS[prop]
            raise ComptimeFailure(node, "UnknownIdentifier", f"`Math.{prop}` is not a constant")
        value = self.eval(obj_node, depth)
        if prop == "length" and isinstance(value, str | list):
            return float(len(value))
        raise ComptimeFailure(node, "UnsupportedOp", f"property `.{prop}` is not allowed")

    def eval_call_expression(self, node: Node, depth: int) -> JsValue:
        from zigttp.frontend.comptime_calls import evaluate_call

        return evaluate_call(self, node, depth)


def binary(node: Node, op: str, a: JsValue, b: JsValue) -> JsValue:
    if op == "+":
        if isinstance(a, list | dict) or isinstance(b, list | dict):
            raise ComptimeFailure(node, "TypeMismatch", "`+` on arrays or objects is not allowed")
        if isinstance(a, str) or isinstance(b, str):
            return to_string(a) + to_string(b)
        return to_number(a) + to_number(b)
    if op in _COMPARE:
        return _COMPARE[op](a, b)
    x, y = to_number(a), to_number(b)
    if op in ("/", "%") and y == 0:
        raise ComptimeFailure(node, "DivisionByZero", "division by zero")
    if op not in _ARITH:
        raise ComptimeFailure(node, "UnsupportedOp", f"operator `{op}` is not allowed")
    return _ARITH[op](x, y)


def _relational(test: Callable[[JsValue, JsValue], bool]) -> Callable[[JsValue, JsValue], bool]:
    def compare(a: JsValue, b: JsValue) -> bool:
        if isinstance(a, str) and isinstance(b, str):
            return test(a, b)
        x, y = to_number(a), to_number(b)
        return not (math.isnan(x) or math.isnan(y)) and test(x, y)

    return compare


_COMPARE: dict[str, Callable[[JsValue, JsValue], bool]] = {
    "===": strict_equals,
    "!==": lambda a, b: not strict_equals(a, b),
    "==": loose_equals,
    "!=": lambda a, b: not loose_equals(a, b),
    "<": _relational(lambda a, b: a < b),
    "<=": _relational(lambda a, b: a <= b),
    ">": _relational(lambda a, b: a > b),
    ">=": _relational(lambda a, b: a >= b),
}
_ARITH: dict[str, Callable[[float, float], float]] = {
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
    "%": math.fmod,
    "**": builtins.js_pow,
    "|": lambda x, y: float(to_int32(to_int32(x) | to_int32(y))),
    "&": lambda x, y: float(to_int32(x) & to_int32(y)),
    "^": lambda x, y: float(to_int32(x) ^ to_int32(y)),
    "<<": lambda x, y: float(to_int32((to_int32(x) << (to_uint32(y) & 31)) & 0xFFFFFFFF)),
    ">>": lambda x, y: float(to_int32(x) >> (to_uint32(y) & 31)),
    ">>>": lambda x, y: float(to_uint32(x) >> (to_uint32(y) & 31)),
}


def _unescape(raw: str) -> str:
    body = raw[1:]
    if body[:1] in _ESCAPES and not body[1:2].isdigit():
        return _ESCAPES[body[0]]
    if body.startswith("x"):
        return chr(int(body[1:3], 16))
    if body.startswith("u{"):
        return chr(int(body[2:-1], 16))
    if body.startswith("u"):
        return chr(int(body[1:5], 16))
    if body[:1] in "\r\n":
        return ""
    return body


def _describe(node: Node) -> str:
    text = node.text.decode("utf-8", "replace") if node.text else node.type
    return text if len(text) <= 40 else text[:37] + "..."


__all__ = ["NONDETERMINISTIC", "STRING_METHODS", "ComptimeFailure", "Evaluator"]
