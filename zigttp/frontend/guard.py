"""Call-depth guard: every JS function body counts its frames against a 1,024 limit.

QuickJS's own limit is a native-stack budget, not a frame count; the spec promises a typed
`CallStackOverflow` beyond 1,024 frames while depth 1,000 still works. Each function body
becomes `{ if (++__zd > 1024) __zdo(); try { BODY } finally { __zd--; } }` on the same lines
(an arrow's expression body becomes `return (EXPR);` inside the same wrapper). `__zd` and
`__zdo` come from the runtime prelude. Loop bodies get a deadline tick (`TICK`).

Block bodies are rewritten as byte splices on their braces (`facts.splices`, applied
whenever the emitter copies source), so the walk never has to enter a function just
to guard it; expression-bodied arrows need a real rewrite and have a handler.
"""

from __future__ import annotations

from tree_sitter import Node

from zigttp.frontend.transform import Emitter, Handler

LIMIT = 1024
OPEN = f"{{ if (++__zd > {LIMIT}) __zdo(); try {{".encode()
CLOSE = b"} finally { __zd--; } }"
# Loop bodies: a countdown, and every 4,096 iterations `__ztick()` compares the clock with the
# request's deadline (prelude.js) — the per-request timeout that also works for handlers
# calling host modules, where quickjs-ng cannot arm its own CPU-time limit.
TICK = b" if (--__zb < 0) __ztick(); "


def _arrow(em: Emitter, node: Node) -> bytes:
    body = node.child_by_field_name("body")
    if not em.options.depth_guard or body is None or body.type == "statement_block":
        # Block bodies are rewritten by `facts.splices`.
        return em.default(node)
    wrapped = OPEN + b" return (" + em.emit(body) + b"); " + CLOSE
    return em.default(node, lambda c: wrapped if c.id == body.id else None)


HANDLERS: dict[str, Handler] = {"arrow_function": _arrow}
