"""Property tests of the engine's marshalling: the real extension with the real prelude.

Random methods, targets, header sets and binary bodies go in; handlers return random hostile
values (throwing getters, proxies, huge or invalid headers, every kind of binary body, lone
surrogates, non-values), synchronously or through a promise. Whatever happens, dispatch gives
a valid `(status, header block, body)` answer or raises a typed Fault: never a crash (the
sanitizer run of native/sanitize.sh runs this file too), never another exception. Exact
round trips are checked where the expected bytes are known.
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.harness import Fault, load

EXAMPLES = int(os.environ.get("ZIGTTP_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = {"exception", "timeout", "memory", "stack", "depth", "handler", "result"}
HEADER_LINE = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+: [^\r\n\x00]*\r\n")

js = json.dumps  # a JSON string is a JS string literal (ensure_ascii: lone surrogates as \uXXXX)
texts = st.text(max_size=12)
no_surrogates = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
small_bytes = st.binary(max_size=64)


def bytes_literal(data: bytes) -> str:
    return f"new Uint8Array({list(data)})"


@st.composite
def binary_bodies(draw: st.DrawFn) -> tuple[str, bytes]:
    """A JS expression of a bytes body and the bytes it must put on the wire."""
    data = draw(small_bytes)
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, len(data)))
    kind = draw(st.sampled_from(["buffer", "u8", "view", "dataview", "detached", "u16", "slice"]))
    source = bytes_literal(data)
    if kind == "buffer":
        return f"{source}.buffer", data
    if kind == "u8":
        return source, data
    if kind == "view":
        return f"new Uint8Array({source}.buffer, {start}, {end - start})", data[start:end]
    if kind == "dataview":
        return f"new DataView({source}.buffer, {start}, {end - start})", data[start:end]
    if kind == "detached":
        return f"(() => {{ const v = {source}; v.buffer.transfer(); return v; }})()", b""
    if kind == "u16":
        even = len(data) - len(data) % 2
        return f"new Uint16Array({source}.buffer, 0, {even // 2})", data[:even]
    return f"{source}.slice({start}, {end})", data[start:end]


def headers_init(draw: st.DrawFn) -> str:
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["x-a", "Set-Cookie", "content-type", "bad name", "x-é"]) | texts, texts
            ),
            max_size=5,
        )
    )
    shape = draw(st.sampled_from(["object", "pairs", "Headers", "proxy", "getter", "number"]))
    if shape == "object":
        return "{" + ", ".join(f"{js(n)}: {js(v)}" for n, v in pairs) + "}"
    if shape == "pairs":
        return "[" + ", ".join(f"[{js(n)}, {js(v)}]" for n, v in pairs) + "]"
    if shape == "Headers":
        return (
            "(() => { const h = new Headers(); "
            + "".join(f"h.append({js(n)}, {js(v)}); " for n, v in pairs)
            + "return h; })()"
        )
    if shape == "proxy":
        return "new Proxy({}, {ownKeys() { throw new Error('trap'); }})"
    if shape == "getter":
        return "{get 'x-g'() { throw new Error('getter'); }}"
    return "42"


@st.composite
def hostile_results(draw: st.DrawFn) -> str:
    """A JS expression a handler returns (`request` in scope)."""
    body_kind = draw(st.sampled_from(["string", "binary", "echo", "number", "object", "proxy"]))
    if body_kind == "string":
        body = js(draw(texts))
    elif body_kind == "binary":
        body = draw(binary_bodies())[0]
    elif body_kind == "echo":
        body = draw(
            st.sampled_from(
                [
                    "request.arrayBuffer()",
                    "request.text()",
                    "request.bytes()",
                    "request.body",
                    "JSON.stringify(request)",
                ]
            )
        )
    elif body_kind == "number":
        body = "12"
    elif body_kind == "object":
        body = "({})"
    else:
        body = "new Proxy(new Uint8Array(2), {})"
    status = draw(
        st.sampled_from(
            [
                "200",
                "404",
                "599",
                "199",
                "600",
                "200.5",
                "'200'",
                "undefined",
                "{valueOf() { return 201; }}",
                "-1",
            ]
        )
    )
    shape = draw(
        st.sampled_from(
            [
                "Response",
                "plain",
                "json",
                "text",
                "redirect",
                "string",
                "getters",
                "proxy",
                "primitive",
                "throw",
            ]
        )
    )
    if shape == "Response":
        return f"new Response({body}, {{status: {status}, headers: {headers_init(draw)}}})"
    if shape == "plain":
        return f"({{status: {status}, headers: {headers_init(draw)}, body: {body}}})"
    if shape == "json":
        return f"Response.json({{t: {js(draw(texts))}, n: [1, null]}}, {{headers: {headers_init(draw)}}})"
    if shape == "text":
        return f"Response.text({js(draw(texts))})"
    if shape == "redirect":
        return f"Response.redirect({js(draw(texts))}, {status})"
    if shape == "string":
        return js(draw(texts))
    if shape == "getters":
        return "({get status() { throw new Error('s'); }, body: 'x'})"
    if shape == "proxy":
        return f"new Proxy(new Response({body}), {{}})"
    if shape == "primitive":
        return draw(st.sampled_from(["42", "null", "undefined", "Symbol()", "() => 1", "[]", "12n"]))
    thrown = draw(st.sampled_from(["new Error('e')", "42", "null", "{}", "Symbol()"]))
    return f"(() => {{ throw {thrown}; }})()"


requests_ = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS"]) | no_surrogates,
        "url": st.builds(lambda path: "/" + path, no_surrogates),
        "headers": st.lists(st.tuples(no_surrogates, no_surrogates), max_size=6).map(
            lambda pairs: "".join(f"{n}\0{v}\0" for n, v in pairs)
        ),
        "body": st.none() | st.binary(max_size=256),
    }
)


def check_answer(answer: object) -> tuple[int, bytes, bytes]:
    assert isinstance(answer, tuple) and len(answer) == 3
    status, head, body = answer
    assert isinstance(status, int) and 200 <= status <= 599
    assert isinstance(head, bytes) and isinstance(body, bytes)
    assert HEADER_LINE.sub(b"", head) == b"", head
    return status, head, body


def dispatch_or_fault(engine: object, request: dict[str, object]) -> tuple[int, bytes, bytes] | None:
    try:
        return check_answer(engine.dispatch(**request))  # type: ignore[attr-defined]
    except Fault as exc:
        kind, message = exc.args
        assert kind in KINDS and isinstance(message, str)
        return None


@FUZZ
@given(hostile_results(), requests_, st.booleans())
def test_any_handler_result_is_an_answer_or_a_typed_fault(
    result: str, request: dict[str, object], asynchronous: bool
) -> None:
    prefix = (
        "async function handler(request) { await null; " if asynchronous else "function handler(request) { "
    )
    engine = load(prefix + f"return {result}; }}")
    dispatch_or_fault(engine, request)
    reason = engine.runtime.settle_leftovers(10.0)
    assert reason is None or isinstance(reason, str)
    dispatch_or_fault(engine, {"url": "/again"})  # the same runtime takes the next request


@FUZZ
@given(binary_bodies(), st.sampled_from(["new Response(B)", "({status: 200, body: B})"]))
def test_binary_bodies_arrive_exactly(case: tuple[str, bytes], shape: str) -> None:
    expression, wire = case
    engine = load(f"function handler() {{ return {shape.replace('B', expression)}; }}")
    assert engine.dispatch()[2] == wire


@FUZZ
@given(texts)
def test_string_bodies_are_utf8_with_lone_surrogates_replaced(text: str) -> None:
    engine = load(f"function handler() {{ return new Response({js(text)}); }}")
    expected = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").encode()
    assert engine.dispatch()[2] == expected


@FUZZ
@given(st.binary(max_size=512))
def test_request_bodies_arrive_raw_and_decode_like_whatwg(data: bytes) -> None:
    engine = load(
        "function handler(request) {\n"
        "  return request.url === '/raw' ? new Response(request.arrayBuffer()) : request.text();\n}"
    )
    assert engine.dispatch(data, method="POST", url="/raw")[2] == data
    text = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    assert engine.dispatch(data, method="POST")[2] == text.decode("utf-8", "replace").encode()


@FUZZ
@given(st.lists(st.tuples(texts, texts), max_size=8))
def test_response_headers_are_valid_lines_or_a_handler_error(pairs: list[tuple[str, str]]) -> None:
    init = "[" + ", ".join(f"[{js(n)}, {js(v)}]" for n, v in pairs) + "]"
    engine = load(f"function handler() {{ return new Response('', {{headers: {init}}}); }}")
    answer = dispatch_or_fault(engine, {})
    if answer is not None:
        lines = answer[1].split(b"\r\n")[:-1]
        names = {line.split(b": ", 1)[0] for line in lines}
        assert names <= {n.lower().encode("latin-1", "replace") for n, _ in pairs} | {b"content-type"}
