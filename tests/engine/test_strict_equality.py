"""quickjs-ng patch 16 (vendor/quickjs-ng/VENDOR.md): `===` and `!==` on two strings decide by
identity when both are the same string or both interned (an atom's string: `typeof`, literals,
property names); every other pair takes the generic comparison. The answers must stay node's
(the expected list below is node 20's) for equal texts made in different ways (concatenated,
joined, sliced, lower-cased, wide, ropes, property names) and for unequal ones."""

from __future__ import annotations

import json

from .harness import load

CASES = (
    "const out = [];\n"
    'const a = "str", b = "st" + "r".repeat(1), c = ["s", "t", "r"].join(""), key = Object.keys({ str: 1 })[0];\n'
    'const wide = "日本", wide2 = "日" + "本", rope = "x".repeat(300) + "y", rope2 = "x".repeat(300) + "y";\n'
    'for (const [x, y] of [[a, b], [a, c], [b, c], [a, key], [c, key], [typeof a, "string"], [typeof 1, "string"],\n'
    '  [typeof null, "object"], [wide, wide2], [rope, rope2], [rope, rope2 + ""], ["", ""], ["", "".slice(0)],\n'
    '  [a, "STR".toLowerCase()], ["1", 1], [a, new String(a)], [String(12), "12"], [Symbol.for("q").description, "q"]]) {\n'
    "  out.push([x === y, x !== y]);\n"
    "}\n"
    "return Response.json(out);\n"
)

NODE = [True] * 18
for index in (6, 14, 15):
    NODE[index] = False


def test_strict_equality_of_strings_matches_node() -> None:
    engine = load("function handler(request) {\n" + "".join(CASES) + "}")
    got = json.loads(engine.dispatch()[2])
    assert got == [[same, not same] for same in NODE]
