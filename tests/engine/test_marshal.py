"""Responses read in C (marshal.c) and requests built for the prelude, with hostile values.

Through the real prelude: what a handler can return. Through a stand-in prelude that hands C
any array at all: the C reader's own checks (defence in depth behind the prelude's)."""

from __future__ import annotations

import json

import pytest

from tests.engine.harness import Fault, load, responder
from zigttp.runtime import _engine

FFFD = "\ufffd".encode()

# ---- bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ("a\\ud800b", b"a" + FFFD + b"b"),
        ("\\udfff", FFFD),
        ("x\\ud83d", b"x" + FFFD),
        ("\\ude00\\ud83d", FFFD + FFFD),  # a pair in the wrong order is two lone halves
        ("\\ud83d\\ude00", "\U0001f600".encode()),  # a real pair stays one code point
        ("\\u00e9\\u0000\\uffff", "\u00e9\x00\uffff".encode()),
    ],
)
def test_string_bodies_are_utf8_with_lone_surrogates_replaced(text: str, wire: bytes) -> None:
    assert responder(f'new Response("{text}")').dispatch()[2] == wire
    assert responder(f'({{status: 200, body: "{text}"}})').dispatch()[2] == wire


@pytest.mark.parametrize(
    ("expression", "wire"),
    [
        ("new Uint8Array([0, 255, 128, 10]).buffer", b"\x00\xff\x80\n"),
        ("new Uint8Array(new Uint8Array([9, 1, 2, 3, 4, 5]).buffer, 1, 3)", b"\x01\x02\x03"),
        ("new Uint8Array([1, 2, 3, 4, 5, 6]).subarray(2, 4)", b"\x03\x04"),
        ("new Uint16Array(new Uint8Array([1, 2, 3, 4, 5, 6]).buffer, 2, 2)", b"\x03\x04\x05\x06"),
        ("new Float64Array([1.5])", b"\x00\x00\x00\x00\x00\x00\xf8\x3f"),
        ("new DataView(new Uint8Array([7, 8, 9, 10]).buffer, 1, 2)", b"\x08\x09"),
        ("new DataView(new Uint8Array([7, 8, 9]).buffer)", b"\x07\x08\x09"),
        ("new ArrayBuffer(0)", b""),
        # detached: the bytes are gone; read as empty, as fetch() does
        ("(() => { const b = new ArrayBuffer(4); b.transfer(); return b; })()", b""),
        (
            "(() => { const b = new ArrayBuffer(4), v = new Uint8Array(b, 1); b.transfer(); return v; })()",
            b"",
        ),
        ("(() => { const b = new ArrayBuffer(4), v = new DataView(b); b.transfer(); return v; })()", b""),
        # resizable buffers: a view left out of bounds is empty, a length-tracking one follows
        (
            "(() => { const b = new ArrayBuffer(8, {maxByteLength: 8}), v = new Uint8Array(b, 4, 4);"
            " b.resize(2); return v; })()",
            b"",
        ),
        (
            "(() => { const b = new ArrayBuffer(2, {maxByteLength: 8}), v = new Uint8Array(b);"
            " b.resize(4); v[3] = 65; return v; })()",
            b"\x00\x00\x00A",
        ),
        (
            "(() => { const b = new ArrayBuffer(8, {maxByteLength: 8}), v = new DataView(b, 2);"
            " b.resize(4); return v; })()",
            b"\x00\x00",
        ),
    ],
)
def test_binary_bodies_pass_raw(expression: str, wire: bytes) -> None:
    assert responder(f"new Response({expression})").dispatch()[2] == wire
    assert responder(f"({{status: 201, body: {expression}}})").dispatch()[:3:2] == (201, wire)


def test_a_dataview_outside_its_shrunk_buffer_cannot_be_read() -> None:
    # its byteOffset/byteLength throw in JS too; a typed array there reads as empty instead
    view = "(() => { const b = new ArrayBuffer(8, {maxByteLength: 8}), v = new DataView(b, 4, 4); b.resize(2); return v; })()"
    assert responder(f"new Response({view})").fault() == (
        "result",
        "malformed response from the handler runtime: the body's bytes cannot be read (a view outside its buffer)",
    )
    kind, message = responder(f"new Response({view}).text()").fault()
    assert kind == "exception" and message.startswith("ArrayBuffer is detached or resized\n")


def test_a_large_binary_body() -> None:
    engine = responder("new Response(new Uint8Array(4 << 20).fill(7))")
    assert engine.dispatch()[2] == b"\x07" * (4 << 20)


@pytest.mark.parametrize(
    "body",
    [
        "new Proxy(new Uint8Array(4), {})",
        "new Proxy(new ArrayBuffer(4), {})",
        "new Proxy(new DataView(new ArrayBuffer(4)), {})",
        "new SharedArrayBuffer(4)",
        "Object.create(Uint8Array.prototype)",
        "Object.create(DataView.prototype)",
    ],
)
def test_fake_buffers_are_refused_not_read(body: str) -> None:
    # isBinary() may say yes (instanceof through a proxy); C reads only real buffers
    kind, _ = responder(f"({{status: 200, body: {body}}})").fault()
    assert kind in ("result", "exception")


def test_request_bytes_arrive_unchanged_and_text_decodes_them() -> None:
    engine = load(
        "function handler(request) {\n"
        "  if (request.url === '/raw') return new Response(request.arrayBuffer());\n"
        "  if (request.url === '/bytes') return new Response(request.bytes().subarray(1));\n"
        "  return Response.text(request.text());\n}"
    )
    raw = bytes(range(256)) + b"\xef\xbb\xbf\xed\xa0\x80"
    assert engine.dispatch(raw, method="POST", url="/raw")[2] == raw
    assert engine.dispatch(raw, method="POST", url="/bytes")[2] == raw[1:]
    assert engine.dispatch(b"\xef\xbb\xbfhi\xff", method="POST")[2] == b"hi" + FFFD
    assert engine.dispatch(None)[2] == b""


@pytest.mark.parametrize(
    "data",
    [
        b"\xe1\x80",
        b"\xed\xa0\x80",
        b"\xf0\x9f\x98",
        b"\xc0\xaf",
        b"\xf4\x90\x80\x80",
        b"a\xffb",
        b"\xe0\x80\xaf",
        b"\xf0\x9f\x98\x80\x80",
        b"\xef\xbb\xbf\xef\xbb\xbf",
        b"ok \xc3\xa9",
    ],
)
def test_request_text_decodes_invalid_utf8_like_whatwg(data: bytes) -> None:
    # one U+FFFD per maximal invalid subpart (TextDecoder, Python's "replace"), not per byte
    engine = responder("request.text()")
    expected = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").encode()
    assert engine.dispatch(data, method="POST")[2] == expected


def test_text_of_a_view_decodes_only_its_window() -> None:
    # Response.text() of a bytes body goes through the utf8Decode hook (body_bytes in C)
    for view in ("new DataView(b, 1, 2)", "new Uint8Array(b, 1, 2)"):
        engine = responder(
            f"(() => {{ const b = new Uint8Array([0x78, 0xc3, 0xa9, 0x79]).buffer;"
            f" return new Response({view}).text(); }})()"
        )
        assert engine.dispatch()[2] == "\u00e9".encode(), view


def test_bytes_cross_the_native_hook_as_bodies_do() -> None:
    # values.c reads buffers with the same C as response bodies (body_bytes)
    seen: list[tuple[object, ...]] = []
    runtime = _engine.Runtime(0, 1 << 20, 0, print, None, lambda _name, args: seen.append(args))
    runtime.run(
        _engine.compile("(function (hooks) { globalThis.send = (v) => hooks.native('t', v); })", "<t>"),
        1.0,
        True,
    )
    runtime.eval(
        "const b = new Uint8Array([1, 2, 3, 4]).buffer; send(new DataView(b, 1, 2));"
        " send(new Uint8Array(b, 2)); const d = new ArrayBuffer(3); d.transfer(); send(d); 0"
    )
    assert seen == [(b"\x02\x03",), (b"\x03\x04",), (b"",)]


# ---- headers ---------------------------------------------------------------------------


def test_header_values_go_out_as_latin1() -> None:
    engine = responder('new Response("", {headers: {"x-a": "caf\\u00e9"}})')
    _, head, _ = engine.dispatch()
    assert b"x-a: caf\xe9\r\n" in head  # a ByteString: U+00E9 is the byte E9


def test_header_values_above_latin1_are_refused_as_the_fetch_standard_says() -> None:
    kind, message = responder('new Response("", {headers: {"x-b": "\\u20ac"}})').fault()
    assert kind == "exception"
    assert 'Headers: value of "x-b" contains NUL, CR, LF or a character above U+00FF' in message


@pytest.mark.parametrize("value", ["a\\rb", "a\\nb", "a\\u0000b", "x\\r\\nset-cookie: y=1"])
def test_header_values_with_cr_lf_nul_are_refused(value: str) -> None:
    kind, message = responder(f'new Response("", {{headers: {{"x-a": "{value}"}}}})').fault()
    assert kind == "exception"
    assert "contains NUL, CR, LF" in message


def test_leading_and_trailing_whitespace_of_a_value_is_stripped() -> None:
    """Fetch "normalize": HTTP whitespace (CR, LF, tab, space) around a value goes, so a bare
    CRLF is an empty value, never a line break on the wire."""
    _, head, _ = responder('new Response("", {headers: {"x-a": "\\r\\n", "x-b": " v\\t"}})').dispatch()
    assert b"x-a: \r\n" in head and b"x-b: v\r\n" in head


def test_an_own_body_getter_on_a_response_is_not_what_is_sent() -> None:
    """The host reads a Response's body through its private field (brand), not `.body`."""
    engine = responder(
        "Object.defineProperty(new Response('x'), 'body', {get() { throw new Error('own getter'); }})"
    )
    assert engine.dispatch()[2] == b"x"


@pytest.mark.parametrize("name", ["bad name", "a:b", "", "\\u00e9", "x\\r\\ny"])
def test_invalid_header_names_are_refused(name: str) -> None:
    kind, message = responder(f'({{status: 200, headers: {{"{name}": "v"}}, body: ""}})').fault()
    assert kind == "exception"
    assert "invalid header name" in message


def test_a_huge_header_block() -> None:
    engine = responder(
        "(() => { const h = new Headers(); for (let i = 0; i < 5000; i++) "
        "h.append('x-' + i, 'v'.repeat(50) + i); h.set('x-big', 'b'.repeat(1 << 20));"
        " return new Response('ok', {headers: h}); })()"
    )
    status, head, body = engine.dispatch()
    lines = head.split(b"\r\n")
    assert (status, body, len(lines)) == (200, b"ok", 5003)  # + content-type, + the final ""
    assert b"content-type: text/plain;charset=UTF-8" in lines  # new Response(string): the standard's type
    assert b"x-4999: " + b"v" * 50 + b"4999" in lines
    assert b"x-big: " + b"b" * (1 << 20) in lines


def test_framing_headers_of_the_handler_are_dropped() -> None:
    _, head, _ = responder(
        'new Response("x", {headers: {"content-length": "99", "x-k": "1", "transfer-encoding": "chunked"}})'
    ).dispatch()
    assert b"x-k: 1\r\n" in head
    assert b"content-length" not in head and b"transfer-encoding" not in head


# ---- hostile response objects ----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "({get status() { throw new Error('status getter'); }, body: 'x'})",
        "({status: 200, get body() { throw new Error('body getter'); }})",
        "({status: 200, body: 'x', get headers() { throw new Error('headers getter'); }})",
        "({status: 200, headers: {get 'x-a'() { throw new Error('value getter'); }}, body: ''})",
        "({status: 200, headers: new Proxy({}, {ownKeys() { throw new Error('ownKeys trap'); }}), body: ''})",
        "new Proxy({}, {getOwnPropertyDescriptor() { throw new Error('gopd trap'); }})",
        "new Proxy(new Response('x'), {})",  # passes instanceof, fails the private-field brand check
        "({status: 200, headers: {'x-a': {toString() { throw new Error('toString'); }}}, body: ''})",
        "({status: {valueOf() { throw new Error('valueOf'); }}, body: ''})",
    ],
)
def test_throwing_getters_and_proxies_are_handler_errors(value: str) -> None:
    kind, _ = responder(value).fault()
    assert kind in ("exception", "result")


def test_a_getter_that_never_returns_hits_the_deadline() -> None:
    engine = responder("({status: 200, get body() { for (;;); }})")
    assert engine.fault(timeout=0.2)[0] == "timeout"


def test_a_proxy_that_answers_each_read_differently_cannot_smuggle_a_header() -> None:
    engine = responder(
        "(() => { let n = 0; return {status: 200, body: '', headers: new Proxy({}, {"
        " ownKeys: () => ['x-a'], getOwnPropertyDescriptor: () => ({value: 1, enumerable: true,"
        " configurable: true}), get: () => (n++ ? 'evil\\r\\nx: 1' : 'fine')})}; })()"
    )
    try:
        _, head, _ = engine.dispatch()
    except Fault as exc:
        assert exc.args[0] == "exception"
    else:
        assert b"\r\nx: 1" not in head and head.count(b"\r\n") == 1


# ---- requests ----------------------------------------------------------------------------


def test_request_fields_with_odd_wire_headers() -> None:
    engine = responder(
        "Response.json({h: request.headers.x ?? null, u: request.url, m: request.method,"
        " n: Object.keys(request.headers).length})"
    )
    for wire in ("x\0\u00ff\u00e9\0", "x\0", "\0\0\0", "x\0a\0x\0b\0", "x", "\0" * 1000):
        status, _, body = engine.dispatch(headers=wire, url="/\u00e9?\u20ac", method="M\u00e9")
        data = json.loads(body)
        assert status == 200 and data["u"] == "/\u00e9?\u20ac" and data["m"] == "M\u00e9"


def test_a_lone_surrogate_in_a_request_string_is_a_python_error() -> None:
    engine = responder("'ok'")
    with pytest.raises(UnicodeEncodeError):
        engine.dispatch(url="/\ud800")
    assert engine.dispatch()[2] == b"ok"


# ---- the C reader alone, behind a stand-in prelude ---------------------------------------

STAND_IN = (
    "(function (hooks) { return {dispatch(m, u, h, b) { return globalThis.answer; },"
    " settle() { return globalThis.answer; }, intact() { return true; }, snapshot() {},"
    " pull() { return null; }}; })"
)


def raw(answer: str) -> tuple[int, bytes, bytes]:
    runtime = _engine.Runtime(0, 1 << 20, 0, print)
    runtime.install_prelude(_engine.compile(STAND_IN, "<stand-in>"))
    runtime.eval(f"globalThis.answer = {answer}; 0")
    return runtime.dispatch("GET", "/", "", None, 10.0)


def raw_fault(answer: str) -> tuple[str, str]:
    with pytest.raises(Fault) as caught:
        raw(answer)
    return caught.value.args


def test_c_reader_accepts_a_well_formed_answer() -> None:
    assert raw('[204, "a: b\\r\\nc-d: \\u00e9\\u0100\\r\\n", new Uint8Array([1, 2])]') == (
        204,
        b"a: b\r\nc-d: \xe9?\r\n",
        b"\x01\x02",
    )


def test_c_reader_remembers_a_header_block_only_for_that_very_string() -> None:
    """The reader keeps the last block string's checked bytes (read_response, checked_block):
    the same string again answers them, any other string (equal text, another text, a
    malformed one, a rope) is read and checked afresh."""
    runtime = _engine.Runtime(0, 1 << 20, 0, print)
    runtime.install_prelude(_engine.compile(STAND_IN, "<stand-in>"))
    runtime.eval('globalThis.same = "x-a: 1\\r\\n"; 0')
    answers = [
        ("same", b"x-a: 1\r\n"),
        ("same", b"x-a: 1\r\n"),
        ('"x-a: " + String(1) + "\\r\\n"', b"x-a: 1\r\n"),
        ('"x-b: " + "2".repeat(300) + "\\r\\n"', b"x-b: " + b"2" * 300 + b"\r\n"),
        ("same", b"x-a: 1\r\n"),
        ('"x-c: 3\\r\\n"', b"x-c: 3\r\n"),
        ('"x-c: 3\\r\\n"', b"x-c: 3\r\n"),
        ("same", b"x-a: 1\r\n"),
    ]
    for block, wire in answers:
        runtime.eval(f'globalThis.answer = [200, {block}, "ok"]; 0')
        assert runtime.dispatch("GET", "/", "", None, 10.0) == (200, wire, b"ok"), block
    runtime.eval('globalThis.answer = [200, "bad\\r\\n", ""]; 0')
    with pytest.raises(Fault):
        runtime.dispatch("GET", "/", "", None, 10.0)
    runtime.eval('globalThis.answer = [200, same, "ok"]; 0')
    assert runtime.dispatch("GET", "/", "", None, 10.0) == (200, b"x-a: 1\r\n", b"ok")


@pytest.mark.parametrize(
    "block",
    [
        "a: b",
        "a:b\\r\\n",
        "a b: c\\r\\n",
        ": v\\r\\n",
        "a: b\\nc\\r\\n",
        "a: b\\u0000\\r\\n",
        "a: b\\r\\r\\n",
        "a: b\\r",
        "\\r\\n",
        "a\\u00e9: b\\r\\n",
        "a: b\\r\\nc",
        "a\\r\\n",
    ],
)
def test_c_reader_refuses_malformed_header_blocks(block: str) -> None:
    kind, message = raw_fault(f'[200, "{block}", ""]')
    assert kind == "result"
    assert "header line" in message


@pytest.mark.parametrize(
    "status",
    [
        "199",
        "600",
        "-1",
        "2 ** 31",
        "NaN",
        "'200'",
        "null",
        "1e300",
        "2 ** 32 + 200",
        "200.5",
        "-(2 ** 32) + 404",
    ],
)
def test_c_reader_refuses_statuses_outside_200_599(status: str) -> None:
    assert raw_fault(f'[{status}, "", ""]')[0] == "result"


@pytest.mark.parametrize(
    "answer", ["42", "({0: 200, 1: '', 2: '', length: 3})", "[]", "'[200]'", "undefined"]
)
def test_c_reader_refuses_non_arrays(answer: str) -> None:
    assert raw_fault(answer) == (
        "result",
        "malformed response from the handler runtime: "
        + ("no status" if answer == "[]" else "the dispatcher did not return an array"),
    )


@pytest.mark.parametrize("body", ["5", "null", "({})", "[]", "Symbol()"])
def test_c_reader_refuses_bodies_that_are_not_strings_or_bytes(body: str) -> None:
    assert raw_fault(f'[200, "", {body}]') == (
        "result",
        "malformed response from the handler runtime: the body is neither a string nor bytes",
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('[0, "H", "no handler"]', ("handler", "no handler")),
        ('[0, "R", "bad result"]', ("result", "bad result")),
        ('[0, "X", "threw"]', ("exception", "threw")),
        ('[0, "X", 5]', ("exception", "Internal Server Error")),
        ('[0, 5, "\\ud800"]', ("exception", "\ufffd\ufffd\ufffd")),
    ],
)
def test_c_reader_failure_kinds(answer: str, expected: tuple[str, str]) -> None:
    assert raw_fault(answer) == expected
