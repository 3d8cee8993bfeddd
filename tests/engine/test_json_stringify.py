"""quickjs-ng patch 14 (vendor/quickjs-ng/VENDOR.md): JSON.stringify reads an ordinary object's
members from its shape and checks cycles on a list on the C stack. What it writes must stay what
the generic path (and node: the expected texts below are node 20's, error messages aside) writes:
key order with index keys, inherited and hidden keys, a toJSON or getter that deletes, adds,
redefines or hides keys of the object being written, cycles, replacers, indentation, and
the quoting of 8-bit, wide, surrogate, control and rope strings."""

from __future__ import annotations

import json

from .harness import load

CASES = (
    "const out = [];\n"
    'const S = (x, ...a) => { try { return JSON.stringify(x, ...a); } catch (e) { return e.constructor.name + ": " + e.message; } };\n'
    'out.push(S({ a: 1, b: "x\\n\\"", c: null, d: undefined, e: () => 1, f: Symbol("s"), g: [1, undefined, () => 2], h: { i: true } }));\n'
    'out.push(S({ b: 1, 2: "two", a: 2, 1: "one", "-1": 3, "4294967295": 4, "4294967294": 5 }));\n'
    "const o1 = { a: 1, get b() { delete this.c; this.z = 9; return 2; }, c: 3, d: 4 };\n"
    "out.push(S(o1));\n"
    'const o2 = { a: { toJSON() { delete o2.b; Object.defineProperty(o2, "c", { get() { return "getter"; }, enumerable: true }); return "A"; } }, b: 2, c: 3, d: 4 };\n'
    "out.push(S(o2));\n"
    'const o3 = { a: { toJSON() { o3.b = "changed"; o3.e = "added"; return 1; } }, b: 2 };\n'
    "out.push(S(o3));\n"
    "const proto = { inherited: 1 };\n"
    'const o4 = Object.create(proto); o4.own = 2; Object.defineProperty(o4, "hidden", { value: 3, enumerable: false }); o4[Symbol("k")] = 5;\n'
    "out.push(S(o4));\n"
    'const o5 = { a: { toJSON() { delete o5.b; return 1; } }, b: 2 }; Object.setPrototypeOf(o5, { b: "from proto" });\n'
    "out.push(S(o5));\n"
    "const cyc = { a: 1 }; cyc.self = { back: cyc };\n"
    "out.push(S(cyc));\n"
    "const arrcyc = [1]; arrcyc.push({ x: arrcyc });\n"
    "out.push(S(arrcyc));\n"
    'out.push(S({ a: [1, { b: 2 }], c: "d" }, null, 2));\n'
    'out.push(S({ a: 1, b: 2, c: 3 }, ["c", "a"]));\n'
    'out.push(S({ a: 1, b: { c: 2 } }, (k, v) => (k === "c" ? undefined : v)));\n'
    'const big = {}; for (let i = 0; i < 40; i++) big["k" + i] = i;\n'
    "out.push(S(big));\n"
    "const del = { a: 1, b: 2, c: 3 }; delete del.b; del.d = 4;\n"
    "out.push(S(del));\n"
    'out.push(S({ n: new Number(3), s: new String("s"), t: new Boolean(false), date: new Date(0) }));\n'
    'out.push(S({ toJSON(key) { return "top:" + key; } }));\n'
    'out.push(S({ x: { toJSON(key) { return "key=" + key; } } }));\n'
    "const shared = { v: 1 }; out.push(S({ a: shared, b: shared, c: [shared, shared] }));\n"
    "out.push(S({ big: 1n }));\n"
    "const deep = {}; let cur = deep; for (let i = 0; i < 50; i++) { cur.n = {}; cur = cur.n; }\n"
    "out.push(S(deep).length);\n"
    "const frozen = Object.freeze({ f: 1, g: [2] }); out.push(S(frozen));\n"
    "out.push(S(Object.assign(Object.create(null), { np: 1 })));\n"
    'const throwing = { a: 1, get b() { throw new Error("boom"); } }; out.push(S(throwing));\n'
    'const wrapped = { a: 1, b: { toJSON() { Object.defineProperty(wrapped, "c", { value: "now hidden", enumerable: false }); return 0; } }, c: "shown?" };\n'
    "out.push(S(wrapped));\n"
    'const ctr = { a: 1 }; Object.defineProperty(ctr, "b", { get: () => "g", enumerable: true }); ctr.c = 3;\n'
    "out.push(S(ctr));\n"
    'out.push(S({ "a\\"b\\\\c\\n": "é ü ÿ \\u0001\\u001f\\u007f", wide: "日本 \\ud83d\\ude00", lone: "\\ud800 x \\udfff", tab: "\\t\\r\\b\\f" }));\n'
    'let rope = "x"; for (let i = 0; i < 12; i++) rope = rope + rope + "\\"";\n'
    'out.push(S({ rope: rope.slice(0, 40), whole: rope.length, r2: "left-" + "right\\n".repeat(3) }).length);\n'
    'out.push(S(["a".repeat(300) + "\\"", "é".repeat(70) + "\\u2028"]));\n'
    'out.push(S("top \\u0000 level"));\n'
    "return Response.text(JSON.stringify(out));\n"
)

EXPECTED = [
    '{"a":1,"b":"x\\n\\"","c":null,"g":[1,null,null],"h":{"i":true}}',
    '{"1":"one","2":"two","4294967294":5,"b":1,"a":2,"-1":3,"4294967295":4}',
    '{"a":1,"b":2,"d":4}',
    '{"a":"A","c":"getter","d":4}',
    '{"a":1,"b":"changed"}',
    '{"own":2}',
    '{"a":1,"b":"from proto"}',
    "TypeError: circular reference",
    "TypeError: circular reference",
    '{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ],\n  "c": "d"\n}',
    '{"c":3,"a":1}',
    '{"a":1,"b":{}}',
    '{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":18,"k19":19,"k20":20,"k21":21,"k22":22,"k23":23,"k24":24,"k25":25,"k26":26,"k27":27,"k28":28,"k29":29,"k30":30,"k31":31,"k32":32,"k33":33,"k34":34,"k35":35,"k36":36,"k37":37,"k38":38,"k39":39}',
    '{"a":1,"c":3,"d":4}',
    '{"n":3,"s":"s","t":false,"date":"1970-01-01T00:00:00.000Z"}',
    '"top:"',
    '{"x":"key=x"}',
    '{"a":{"v":1},"b":{"v":1},"c":[{"v":1},{"v":1}]}',
    "TypeError: BigInt are forbidden in JSON.stringify",
    302,
    '{"f":1,"g":[2]}',
    '{"np":1}',
    "Error: boom",
    '{"a":1,"b":0,"c":"now hidden"}',
    '{"a":1,"b":"g","c":3}',
    '{"a\\"b\\\\c\\n":"é ü ÿ \\u0001\\u001f\x7f","wide":"日本 😀","lone":"\\ud800 x \\udfff","tab":"\\t\\r\\b\\f"}',
    116,
    '["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\"","éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\u2028"]',
    '"top \\u0000 level"',
]


def test_stringify_matches_the_generic_path_and_node() -> None:
    engine = load("function handler(request) {\n" + "".join(CASES) + "}")
    got = json.loads(engine.dispatch()[2])
    assert len(got) == len(EXPECTED)
    for index, (text, expected) in enumerate(zip(got, EXPECTED, strict=True)):
        assert text == expected, f"case {index}"
