"""quickjs-ng patch 7 (vendor/quickjs-ng/VENDOR.md): the shapes of plain objects that died are
kept for the next object built the same way. Kept shapes must never leak one object's layout
into another's, and must hold no object alive."""

from __future__ import annotations

import json

from .harness import load, run_isolated


def test_objects_built_after_their_predecessors_died_keep_their_own_layout() -> None:
    engine = load(
        "function handler(request) {\n"
        "  const out = [];\n"
        "  for (let i = 0; i < 300; i++) {\n"
        "    const o = { a: i, b: 'x', c: null };\n"  # dies each turn: its shape is kept
        "    if (i % 3 === 1) o.d = i;  // grows past the kept shape\n"
        "    if (i % 5 === 2) delete o.b;\n"
        "    if (i % 7 === 3) Object.freeze(o);\n"
        "    const p = { ...o, e: 1 };\n"  # a copy plus one, as a props copy is made
        "    if (i >= 290) out.push([Object.keys(o).join(), Object.isFrozen(o), JSON.stringify(p)]);\n"
        "  }\n"
        "  return Response.json(out);\n}"
    )
    _, _, body = engine.dispatch()
    got = json.loads(body)
    for i, (keys, frozen, copy) in zip(range(290, 300), got, strict=True):
        expected = {"a": i, "b": "x", "c": None}
        if i % 3 == 1:
            expected["d"] = i
        if i % 5 == 2:
            del expected["b"]
        assert keys == ",".join(expected)
        assert frozen == (i % 7 == 3)
        assert json.loads(copy) == {**expected, "e": 1}
    assert engine.dispatch()[2] == body  # the second request, on kept shapes, the same


def test_kept_shapes_hold_no_object_alive() -> None:
    """A prototype with data of its own (here a null-prototype one) and the objects built on it
    are still collected: only shapes of Object.prototype and of null are kept."""
    engine = load(
        "globalThis.ran = [];\nconst registry = new FinalizationRegistry((v) => ran.push(v));\n"
        "function handler(request) {\n"
        "  if (request.url === '/register') {\n"
        "    const proto = Object.create(null); proto.payload = new ArrayBuffer(1 << 20);\n"
        "    const o = Object.create(proto); o.x = 1;\n"
        "    const plain = { y: 2 };\n"
        "    registry.register(proto, 'proto'); registry.register(o, 'o'); registry.register(plain, 'plain');\n"
        "    return 'registered';\n  }\n"
        "  for (let i = 0; i < 20000; i++) ({});  // allocation pressure: the engine collects\n"
        "  return Response.text(ran.slice().sort().join());\n}"
    )
    engine.dispatch(url="/register")
    engine.dispatch(url="/pressure")
    assert engine.runtime.settle_leftovers(10.0) is None
    assert engine.dispatch(url="/count")[2] == b"o,plain,proto"


def test_shapes_of_garbage_cycles_are_freed_by_the_collector_not_kept() -> None:
    """The cycle collector frees a garbage cycle's shapes itself: keeping one there left the
    ring pointing at freed memory (a crash at the next object built that way), so the ring
    takes none while it runs. Run apart: the failure is a segfault."""
    code = (
        "from tests.engine.harness import load\n"
        "engine = load(\n"
        "    'function handler(request) {\\n'\n"
        "    '  let kept = 0;\\n'\n"
        "    '  for (let i = 0; i < 20000; i++) {\\n'\n"
        "    '    const a = { p: i, q: null }; const b = { r: a, s: i }; a.q = b;\\n'\n"  # a cycle
        "    '    const c = { [\"k\" + (i % 97)]: i, t: [a] }; c.t.push(c);\\n'\n"  # many shapes
        "    '    kept += Object.keys(c).length;\\n'\n"
        "    '  }\\n'\n"
        "    '  return Response.text(String(kept));\\n}'\n"
        ")\n"
        "for _ in range(5):\n"
        "    assert engine.dispatch()[2] == b'40000'\n"
        "print('ok')\n"
    )
    done = run_isolated(code)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
