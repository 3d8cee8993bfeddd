"""ReadableStream / WritableStream / TransformStream in a real runtime: laziness, behaviour the
glue depends on, and hostile builtins planted by the handler's top level (WPT covers the rest:
tests/wpt/areas/streams.txt)."""

from __future__ import annotations

from tests.web.jsrun import call, call_json, runtime

LAZY = """
const before = Object.getOwnPropertyDescriptor(globalThis, "ReadableStream");
const beforeAccessor = typeof before.get === "function";
function handler(req) {
  const kind = typeof ReadableStream;
  const after = Object.getOwnPropertyDescriptor(globalThis, "ReadableStream");
  return Response.json({beforeAccessor, kind, data: "value" in after, writable: after.writable,
    enumerable: after.enumerable, configurable: after.configurable,
    others: typeof TransformStream + typeof CompressionStream + typeof ByteLengthQueuingStrategy});
}
"""


def test_stream_classes_load_on_first_use_as_webidl_data_properties() -> None:
    out = call_json(runtime(LAZY))
    assert out == {
        "beforeAccessor": True,
        "kind": "function",
        "data": True,
        "writable": True,
        "enumerable": False,
        "configurable": True,
        "others": "functionfunctionfunction",
    }


def test_a_handlers_own_global_assignment_wins_over_the_lazy_class() -> None:
    source = """
globalThis.ReadableStream = function Polyfill() {};
function handler(req) {
  new TransformStream();  // loads the real classes
  return Response.json({name: ReadableStream.name, ts: typeof TransformStream});
}
"""
    assert call_json(runtime(source)) == {"name": "Polyfill", "ts": "function"}


PIPELINE = """
async function handler(req) {
  const seen = [];
  const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
  await ReadableStream.from(["a", "b", "c"]).pipeThrough(upper)
    .pipeTo(new WritableStream({ write(chunk) { seen.push(chunk); } }));
  const [one, two] = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } }).tee();
  const left = [], right = [];
  for await (const x of one) left.push(x);
  for await (const x of two) right.push(x);
  const bytes = new ReadableStream({ type: "bytes", pull(c) {
    const view = c.byobRequest.view; view[0] = 42; view[1] = 43; c.byobRequest.respond(2); c.close(); } });
  const read = await bytes.getReader({ mode: "byob" }).read(new Uint8Array(8));
  return Response.json({seen, left, right, byob: Array.from(read.value)});
}
"""


def test_pipe_through_tee_and_byob_reads_deliver_every_chunk_in_order() -> None:
    assert call_json(runtime(PIPELINE)) == {
        "seen": ["A", "B", "C"],
        "left": [1, 2],
        "right": [1, 2],
        "byob": [42, 43],
    }


def test_backpressure_holds_pull_until_the_reader_asks() -> None:
    source = """
async function handler(req) {
  let pulls = 0;
  const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } }, { highWaterMark: 2 });
  await null; await null;
  const idle = pulls;
  const reader = rs.getReader();
  await reader.read(); await reader.read(); await reader.read();
  await null;
  return Response.json({idle, after: pulls});
}
"""
    out = call_json(runtime(source))
    assert out["idle"] == 2  # filled to the high-water mark, then stopped
    assert out["after"] == 5  # three reads: refilled to the mark again


HOSTILE = """
let thenCalls = 0;
const realThen = Promise.prototype.then;
Promise.prototype.then = function (...args) { thenCalls++; return realThen.apply(this, args); };
Object.defineProperty(Object.prototype, "then", { get() { thenCalls++; return undefined; },
                                                  configurable: true });
Array.prototype.push = function () { throw new Error("hijacked push"); };
Object.defineProperty(Array.prototype, "0", { set(v) { throw new Error("hijacked [0]"); },
                                              configurable: true });
Object.create = function () { throw new Error("hijacked Object.create"); };
async function handler(req) {
  const chunks = {};
  let n = 0;
  const sink = new WritableStream({ write(chunk) { chunks[n++] = String.fromCharCode(...chunk); } });
  await ReadableStream.from(["alpha", "beta"]).pipeThrough(new TextEncoderStream())
    .pipeThrough(new CompressionStream("gzip")).pipeThrough(new DecompressionStream("gzip"))
    .pipeTo(sink);
  // (the answer as text: JSON.stringify itself trips over the planted Array.prototype[0])
  return new Response(n + "|" + chunks[0] + (chunks[1] || "") + "|" + thenCalls);
}
"""


def test_streams_the_glue_pipes_survive_builtins_replaced_at_the_top_level() -> None:
    count, text, then_calls = call(runtime(HOSTILE)).decode().split("|")
    assert count == "1"
    assert text == "alphabeta"
    assert then_calls == "0"  # the glue chained with the captured `then` only
