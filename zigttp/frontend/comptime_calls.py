"""Calls inside comptime(): which callees are allowed and how they are dispatched."""

from __future__ import annotations

from tree_sitter import Node

from zigttp.frontend import comptime_builtins as builtins
from zigttp.frontend.comptime import NONDETERMINISTIC, ComptimeFailure, Evaluator
from zigttp.frontend.comptime_strings import STRING_METHODS
from zigttp.frontend.jsvalues import JsValue
from zigttp.frontend.parser import field


def evaluate_call(ev: Evaluator, node: Node, depth: int) -> JsValue:
    callee = field(node, "function")
    name = ev.text(callee)
    if name in NONDETERMINISTIC:
        raise ComptimeFailure(node, "CallNotAllowed", f"`{name}()` is non-deterministic")
    args_node = node.child_by_field_name("arguments")
    if args_node is None or args_node.type != "arguments":
        raise ComptimeFailure(node, "UnsupportedOp", "tagged templates are not allowed")
    args = [ev.eval(a, depth) for a in args_node.named_children]
    try:
        return _dispatch(ev, node, callee, name, args, depth)
    except builtins.BuiltinError as exc:
        raise ComptimeFailure(node, "TypeMismatch", str(exc)) from exc
    except (TypeError, ValueError, OverflowError) as exc:
        raise ComptimeFailure(node, "TypeMismatch", f"bad arguments to `{name}`: {exc}") from exc


def _dispatch(ev: Evaluator, node: Node, callee: Node, name: str, args: list[JsValue], depth: int) -> JsValue:
    if callee.type == "identifier" and name in builtins.GLOBAL_FUNCTIONS:
        return builtins.GLOBAL_FUNCTIONS[name](*args)
    if name == "JSON.parse":
        return builtins.json_parse(*args[:1])
    if callee.type != "member_expression":
        raise ComptimeFailure(node, "CallNotAllowed", f"calling `{name}` is not allowed")
    obj = field(callee, "object")
    method = ev.text(field(callee, "property"))
    if ev.text(obj) == "Math" and method in builtins.MATH_FUNCTIONS:
        return builtins.call_math(method, args)
    if ev.text(obj) == "Math" or method not in STRING_METHODS:
        raise ComptimeFailure(node, "CallNotAllowed", f"calling `{name}` is not allowed")
    target = ev.eval(obj, depth)
    if not isinstance(target, str):
        raise ComptimeFailure(node, "TypeMismatch", f"`.{method}()` needs a string")
    return STRING_METHODS[method](target, *args)
