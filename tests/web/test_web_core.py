"""Web-core behaviour the WPT files check (tests/wpt: not in CI, their suite/ is git-ignored),
pinned here in a real runtime: URLSearchParams' parser, WHATWG's single-byte and Big5
decoders, event dispatch details, globalThis.onerror, structuredClone of Blob/File and
resizable buffers, and the console namespace."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.jsrun import call_json, runtime
from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits


def run(body: str) -> Any:
    """The JSON answer of a handler whose (async) body is `body`."""
    return call_json(runtime(f"export default {{ async fetch() {{ {body} }} }};"))


def test_record_keys_that_become_equal_as_usvstrings_keep_the_first_place_and_last_value() -> None:
    pairs = run(
        'return Response.json([...new URLSearchParams({"\\uD835x": "1", "xx": "2", "\\uD83Dx": "3"})]);'
    )
    assert pairs == [["\ufffdx", "3"], ["xx", "2"]]


def test_a_percent_encoded_bom_survives_urlsearchparams_parsing() -> None:
    assert run('return Response.json([...new URLSearchParams("%EF%BB%BFa=%EF%BB%BF")]);') == [
        ["\ufeffa", "\ufeff"]
    ]


def test_urlencoded_form_bodies_decode_bad_escapes_leniently() -> None:
    entries = run(
        'const type = { "content-type": "application/x-www-form-urlencoded" };'
        'const form = await new Response("b=%%2a&%C2=x&c=%2sf", { headers: type }).formData();'
        "return Response.json([...form]);"
    )
    assert entries == [["b", "%*"], ["\ufffd", "x"], ["c", "%2sf"]]


def decode(label: str, data: list[int], fatal: bool = False) -> Any:
    return run(
        f"try {{ return Response.json(new TextDecoder({json.dumps(label)}, {{ fatal: {json.dumps(fatal)} }})"
        f".decode(new Uint8Array({json.dumps(data)}))); }}"
        " catch (e) { return Response.json({ error: e.name }); }"
    )


@pytest.mark.parametrize(
    ("label", "data", "text"),
    [
        ("windows-1252", [0x81, 0x80, 0x9D], "\u0081\u20ac\u009d"),  # C1 controls where cp1252 has none
        ("windows-1253", [0xAA], "\ufffd"),  # no code point in WHATWG's table either
        ("koi8-u", [0xAE, 0xBE], "\u045e\u040e"),  # WHATWG's KOI8-U is KOI8-RU
        ("windows-1255", [0xCA], "\u05ba"),
        ("big5", [0x81, 0x81], "\ufffd"),  # an unmapped pair is one error
        ("big5", [0x81, 0x40], "\ufffd@"),  # ... unless its trail byte is ASCII
    ],
)
def test_legacy_decoders_follow_whatwg_tables(label: str, data: list[int], text: str) -> None:
    assert decode(label, data) == text


def test_fatal_single_byte_decoding_throws_only_where_the_table_has_no_code_point() -> None:
    assert decode("windows-1252", [0x81], fatal=True) == "\u0081"
    assert decode("iso-8859-3", [0xA5], fatal=True) == {"error": "TypeError"}


def test_stop_propagation_before_dispatch_does_not_skip_a_lone_targets_listeners() -> None:
    calls = run(
        "const target = new EventTarget(); let calls = 0;"
        "target.addEventListener('x', () => calls++);"
        "const stopped = new Event('x'); stopped.stopPropagation(); target.dispatchEvent(stopped);"
        "const halted = new Event('x'); halted.stopImmediatePropagation(); target.dispatchEvent(halted);"
        "return Response.json(calls);"
    )
    assert calls == 1


def test_init_custom_event_requires_a_type() -> None:
    assert (
        run(
            "try { new CustomEvent('a').initCustomEvent(); return Response.json('no error'); }"
            " catch (e) { return Response.json(e.name); }"
        )
        == "TypeError"
    )


def test_global_onerror_gets_an_error_events_five_arguments_and_true_cancels_it() -> None:
    answer = run(
        "const seen = []; const error = new RangeError('r');"
        "globalThis.onerror = (...args) => { seen.push(args.length === 1 ? 'event' : args); return true; };"
        "const event = new ErrorEvent('error', { message: 'm', filename: 'f', lineno: 1, colno: 2, error, cancelable: true });"
        "const notCanceled = dispatchEvent(event);"
        "const plainNotCanceled = dispatchEvent(new Event('error', { cancelable: true }));"
        "seen[0][4] = seen[0][4] === error;"
        "return Response.json({ seen, notCanceled, plainNotCanceled });"
    )
    assert answer == {
        "seen": [["m", "f", 1, 2, True], "event"],
        "notCanceled": False,
        "plainNotCanceled": True,
    }


def test_structured_clone_copies_files_blobs_and_resizable_buffers() -> None:
    answer = run(
        "const file = structuredClone(new File(['héllo'], 'a.txt', { type: 'text/plain', lastModified: 42 }));"
        "const blob = structuredClone(new Blob(['xyz'], { type: 'a/b' }));"
        "const buffer = structuredClone(new ArrayBuffer(4, { maxByteLength: 16 }));"
        "return Response.json({ file: [file instanceof File, file.name, file.type, file.lastModified, await file.text()],"
        " blob: [blob instanceof File, blob.type, await blob.text()], buffer: [buffer.resizable, buffer.maxByteLength] });"
    )
    assert answer == {
        "file": [True, "a.txt", "text/plain", 42, "héllo"],
        "blob": [False, "a/b", "xyz"],
        "buffer": [True, 16],
    }


def test_structured_clone_refuses_an_out_of_bounds_view() -> None:
    assert (
        run(
            "const buffer = new ArrayBuffer(16, { maxByteLength: 32 }); const view = new Uint8Array(buffer, 8);"
            "buffer.resize(0);"
            "try { structuredClone(view); return Response.json('cloned'); } catch (e) { return Response.json(e.name); }"
        )
        == "DataCloneError"
    )


def test_console_is_a_namespace_with_counters_and_timers() -> None:
    lines: list[str] = []
    source = (
        "export default { fetch() {"
        " console.count(); console.count({ toString() { return 'k'; } }); console.count();"
        " console.countReset('k'); console.count('k'); console.countReset('nope');"
        " console.time('t'); console.timeEnd('t'); console.timeEnd('t');"
        " console.group('g'); console.log('inner'); console.groupEnd(); console.log('outer');"
        " console.assert(1 === 2, 'why');"
        " const d = Object.getOwnPropertyDescriptor(globalThis, 'console');"  # a data property once used
        " return Response.json([String(console), d.enumerable, d.writable, Object.getPrototypeOf(Object.getPrototypeOf(console)) === Object.prototype]);"
        " } };"
    )
    handler = load_handler(
        compile_source(source, "console.js"),
        RuntimeLimits(timeout=10.0),
        console=lambda _level, _request, text: lines.append(text),
    )
    rt = handler.new_runtime()
    assert json.loads(bytes(rt.dispatch("GET", "/", "host\0test", None).body)) == [
        "[object console]",
        False,
        True,
        True,
    ]
    timing = [line for line in lines if line.startswith("t: ")]
    assert lines[:6] == [
        "default: 1",
        "k: 1",
        "default: 2",
        "k: 1",
        "Count for 'nope' does not exist",
        timing[0],
    ]
    assert timing[0].endswith("ms") and lines[6] == "Timer 't' does not exist"
    assert lines[7:] == ["g", "  inner", "outer", "Assertion failed: why"]
