"""quickjs-ng patch 7 (vendor/quickjs-ng/VENDOR.md): the shapes of plain objects that died are
kept for the next object built the same way. Kept shapes must never leak one object's layout
into another's, and must hold no object alive."""

from __future__ import annotations

import json

from .harness import load, run_isolated

PRESSURE = "  for (let i = 0; i < 20000; i++) ({});  // allocation pressure: the engine collects\n"
GROWING = "  const junk = [];\n  for (let i = 0; i < 20000; i++) junk.push({ i });  // the live size grows: a collection\n"


def finalized(top: str, routes: str, pressure: str, urls: tuple[str, ...]) -> bytes:
    """What a FinalizationRegistry (`registry`, its callbacks' values sorted) saw after the
    requests `urls` (the handler's `routes` answer them) and one more under `pressure`."""
    engine = load(
        "globalThis.ran = [];\nconst registry = new FinalizationRegistry((v) => ran.push(v));\n"
        + top
        + "function handler(request) {\n"
        + routes
        + pressure
        + "  return Response.text(ran.slice().sort().join());\n}"
    )
    for url in urls:
        engine.dispatch(url=url)
    engine.dispatch(url="/pressure")
    assert engine.runtime.settle_leftovers(10.0) is None
    return engine.dispatch(url="/count")[2]


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


def registering(body: str) -> str:
    """A `/register` route whose `body` registers objects with the finalization registry."""
    return "  if (request.url === '/register') {\n" + body + "    return 'registered';\n  }\n"


def test_kept_shapes_hold_no_object_alive() -> None:
    """A prototype with data of its own (here a null-prototype one) and the objects built on it
    are still collected: only shapes of Object.prototype and of null are kept."""
    routes = registering(
        "    const proto = Object.create(null); proto.payload = new ArrayBuffer(1 << 20);\n"
        "    const o = Object.create(proto); o.x = 1;\n"
        "    const plain = { y: 2 };\n"
        "    registry.register(proto, 'proto'); registry.register(o, 'o'); registry.register(plain, 'plain');\n"
    )
    assert finalized("", routes, PRESSURE, ("/register",)) == b"o,plain,proto"


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


def test_instances_of_the_handlers_classes_keep_their_own_layout() -> None:
    """Patch 13: the shapes of instances of classes the loaded code made (private fields,
    public fields, subclasses, the prelude's Request/Response) are kept too; a later instance
    that grows, loses or freezes fields never shows another one's layout."""
    engine = load(
        "class Base { #a; b = 2; constructor(a) { this.#a = a; } get a() { return this.#a; } }\n"
        "class Sub extends Base { #c = 3; d; constructor(a) { super(a); this.d = a * 2; }\n"
        "  get c() { return this.#c; } }\n"
        "function handler(request) {\n"
        "  const out = [];\n"
        "  for (let i = 0; i < 300; i++) {\n"
        "    const o = i % 2 ? new Sub(i) : new Base(i);\n"  # both die each turn: shapes kept
        "    if (i % 3 === 1) o.e = i;\n"
        "    if (i % 5 === 2) delete o.b;\n"
        "    if (i % 7 === 3) Object.freeze(o);\n"
        "    const r = Response.json({ i });\n"
        "    if (i >= 290) out.push([Object.keys(o).join(), o.a, o instanceof Sub ? o.c : null,\n"
        "      Object.isFrozen(o), r.status, request.path]);\n"
        "  }\n"
        "  return Response.json(out);\n}"
    )
    _, _, body = engine.dispatch(url="/p?q=1")
    for i, (keys, a, c, frozen, status, path) in zip(range(290, 300), json.loads(body), strict=True):
        expected = ["b"] if i % 5 != 2 else []
        if i % 2:
            expected.append("d")
        if i % 3 == 1:
            expected.append("e")
        assert (keys, a, c, frozen, status, path) == (
            ",".join(expected),
            i,
            3 if i % 2 else None,
            i % 7 == 3,
            200,
            "/p",
        )
    assert engine.dispatch(url="/p?q=1")[2] == body  # the next request, on kept shapes


def test_a_class_made_per_request_is_collected() -> None:
    """A class made inside a request (its prototype made after the handler's top level) and
    its instances are collected: no kept shape holds that prototype (a class is a cycle: the
    collector frees it, so the pressure grows the live size)."""
    routes = registering(
        "    class Local { x = 1; y = new ArrayBuffer(1 << 20); }\n"
        "    const o = new Local();\n"
        "    registry.register(Local.prototype, 'proto'); registry.register(o, 'o');\n"
    )
    assert finalized("", routes, GROWING, ("/register",)) == b"o,proto"


def test_a_dropped_top_level_class_is_collected_under_memory_pressure() -> None:
    """A top-level class's instances' shapes are kept (they hold its prototype), but the
    collector, which runs under allocation pressure, empties the ring first: once the handler
    drops the class, the prototype goes."""
    top = "let Kept = class { x = 1; y = 2; };\nregistry.register(Kept.prototype, 'proto');\n"
    routes = (
        "  if (request.url === '/use') { new Kept(); new Kept(); return 'used'; }\n"
        "  if (request.url === '/drop') { Kept = null; return 'dropped'; }\n"
    )
    assert finalized(top, routes, GROWING, ("/use", "/drop")) == b"proto"


def test_kept_class_shapes_under_a_memory_ceiling() -> None:
    """With -m, a request that runs out of memory while the ring holds class shapes is a typed
    memory fault, and the runtime's next requests answer on the kept shapes as before."""
    engine = load(
        "class Item { #id; name; constructor(id) { this.#id = id; this.name = 'n' + id; }\n"
        "  get id() { return this.#id; } }\n"
        "function handler(request) {\n"
        "  if (request.url === '/oom') { const all = []; for (;;) all.push(new Item(all.length)); }\n"
        "  let sum = 0;\n"
        "  for (let i = 0; i < 100; i++) sum += new Item(i).id;\n"
        "  return Response.json({ sum });\n}",
        memory=8 << 20,
    )
    assert engine.dispatch()[2] == b'{"sum":4950}'
    assert engine.fault(url="/oom")[0] == "memory"
    assert engine.dispatch()[2] == b'{"sum":4950}'
