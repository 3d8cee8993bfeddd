"""The body mixin with every BodyInit kind, and what WPT's fetch/FileAPI files check that CI
(which lacks the WPT suite) would otherwise not: Blob and FormData bodies, one body stream
per Response, clone() of a stream body, locked streams refused, data: URLs in fetch(),
Headers record conversion order, Request's no-cors and referrer rules, Blob.slice rounding."""

from __future__ import annotations

import pytest

from tests.web.cryptojs import run_js
from zigttp.web import NativeError, data_url


def test_blob_and_form_data_bodies_keep_their_bytes_and_content_type() -> None:
    out = run_js("""
      const blob = new Blob(["blob ", new Uint8Array([0xe2, 0x82, 0xac])], {type: "Text/Plain"});
      const fd = new FormData();
      fd.append("a", "1");
      fd.append("f", new File(["xyz"], "f.txt", {type: "text/x"}));
      const r1 = new Response(blob), r2 = new Request("http://x/", {method: "POST", body: blob});
      const r3 = new Response(fd), untyped = new Response(new Blob(["u"]));
      const type3 = r3.headers.get("content-type");
      const back = await r3.formData();
      const asBlob = await new Response("hi", {headers: {"content-type": "A/B"}}).blob();
      return Response.json([r1.headers.get("content-type"), await r1.text(), await r2.text(),
        untyped.headers.get("content-type"), type3.startsWith("multipart/form-data; boundary="),
        back.get("a"), back.get("f").name, back.get("f").type, await back.get("f").text(),
        asBlob.type, await asBlob.text()]);
    """)
    assert out == ["text/plain", "blob €", "blob €", None, True, "1", "f.txt", "text/x", "xyz", "a/b", "hi"]


def test_response_body_is_one_stream_and_reading_it_uses_the_body() -> None:
    out = run_js("""
      const r = new Response("abc");
      const same = r.body === r.body;
      const reader = r.body.getReader();
      let locked;
      try { await r.text(); locked = "read"; } catch (e) { locked = e.constructor.name; }
      const chunk = await reader.read();
      return Response.json([same, locked, r.bodyUsed, new TextDecoder().decode(chunk.value)]);
    """)
    assert out == [True, "TypeError", True, "abc"]


def test_a_consumed_bodys_stream_is_there_but_locked() -> None:
    out = run_js("""
      const r = new Response("abc");
      await r.text();
      let reader;
      try { r.body.getReader(); reader = "got one"; } catch (e) { reader = e.constructor.name; }
      return Response.json([r.body !== null, r.body === r.body, r.bodyUsed, reader]);
    """)
    assert out == [True, True, True, "TypeError"]


def test_clone_of_a_stream_body_tees_it_and_clones_the_chunks() -> None:
    out = run_js("""
      const chunk = new Uint8Array([1, 2, 3]);
      const r = new Response(new ReadableStream({start(c) { c.enqueue(chunk); c.close(); }}));
      const copy = r.clone();
      const a = await r.body.getReader().read(), b = await copy.body.getReader().read();
      return Response.json([a.value === chunk, b.value !== chunk, [...b.value]]);
    """)
    assert out == [True, True, [1, 2, 3]]


def test_a_locked_or_read_stream_cannot_become_a_body() -> None:
    out = run_js("""
      const locked = new ReadableStream();
      locked.getReader();
      const out = [];
      for (const make of [() => new Response(locked), () => new Request("http://x/", {method: "POST", body: locked})]) {
        try { make(); out.push("made"); } catch (e) { out.push(e.constructor.name); }
      }
      return Response.json(out);
    """)
    assert out == ["TypeError", "TypeError"]


def test_fetch_of_a_data_url_needs_no_outbound_host() -> None:
    out = run_js("""
      const plain = await fetch("data:,a%20b");
      const b64 = await fetch("data:image/png;base64,aGk=");
      let bad;
      try { await fetch("data:no-comma"); bad = "fetched"; } catch (e) { bad = e.constructor.name; }
      return Response.json([plain.status, plain.statusText, plain.type, plain.headers.get("content-type"),
        await plain.text(), b64.headers.get("content-type"), await b64.text(), bad]);
    """)
    assert out == [200, "OK", "basic", "text/plain;charset=US-ASCII", "a b", "image/png", "hi", "TypeError"]


def test_headers_record_conversion_touches_only_what_webidl_says() -> None:
    out = run_js("""
      const log = [];
      const record = {a: "1", "b c": "2"};
      const proxy = new Proxy(record, {
        get(t, k, r) { log.push("get " + String(k)); return Reflect.get(t, k, r); },
        ownKeys(t) { log.push("ownKeys"); return Reflect.ownKeys(t); },
        getOwnPropertyDescriptor(t, k) { log.push("gopd " + k); return Reflect.getOwnPropertyDescriptor(t, k); },
        getPrototypeOf(t) { log.push("getPrototypeOf"); return Reflect.getPrototypeOf(t); },
      });
      let error;
      try { new Headers(proxy); } catch (e) { error = e.constructor.name; }
      return Response.json([error, log]);
    """)
    # the invalid name "b c" throws before its value is read; no prototype walk (instanceof)
    assert out == ["TypeError", ["get Symbol(Symbol.iterator)", "ownKeys", "gopd a", "get a", "gopd b c"]]


def test_request_refuses_no_cors_misuse_and_invalid_referrers() -> None:
    out = run_js("""
      const out = [];
      for (const init of [{mode: "no-cors", method: "PUT"}, {mode: "no-cors", integrity: "sha256-x"},
                          {referrer: "http://:bad"}, {mode: "no-cors", method: "POST", referrer: "http://ok.example/"}]) {
        try { out.push(new Request("http://x/", init).referrer); } catch (e) { out.push(e.constructor.name); }
      }
      return Response.json(out);
    """)
    assert out == ["TypeError", "TypeError", "TypeError", "about:client"]


def test_blob_slice_rounds_fractions_to_even_and_stream_is_a_byte_stream() -> None:
    out = run_js("""
      const blob = new Blob(["abcd"]);
      const texts = [];
      for (const args of [[0.5], [1.5], [2.5], [0, 1.5], [1.5, 3.5]]) texts.push(await blob.slice(...args).text());
      const reader = blob.stream().getReader({mode: "byob"});
      const {value} = await reader.read(new Uint8Array(8));
      return Response.json([texts, new TextDecoder().decode(value)]);
    """)
    assert out == [["abcd", "cd", "cd", "ab", "cd"], "abcd"]


def test_new_response_is_the_standards_and_the_factory_keeps_the_originals_defaults() -> None:
    out = run_js("""
      const std = new Response("x", {status: 404}), seed = Response("x", {status: 404});
      return Response.json([std.statusText, std.headers.get("content-type"),
                            seed.statusText, seed.headers.get("content-type"), new Response().statusText]);
    """)
    assert out == ["", "text/plain;charset=UTF-8", "Not Found", "text/plain; charset=utf-8", ""]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("data:,a%2Cb#frag", ["text/plain;charset=US-ASCII", b"a,b"]),
        ("data:;charset=utf-8,x", ["text/plain;charset=utf-8", b"x"]),
        ("data:text/html;base64, aGk g", ["text/html", b"hi "]),
        ("data:x;base64,aGk=", ["text/plain;charset=US-ASCII", b"hi"]),
        ("data:image/png ; BASE64,aA==", ["image/png", b"h"]),
    ],
)
def test_data_url_processor_follows_the_fetch_standard(url: str, expected: list) -> None:
    assert data_url.fetch_data(url) == expected


@pytest.mark.parametrize("url", ["data:no-comma", "data:;base64,a", "data:;base64,a*bc"])
def test_data_url_processor_refuses_what_the_standard_calls_failure(url: str) -> None:
    with pytest.raises(NativeError) as caught:
        data_url.fetch_data(url)
    assert caught.value.js_type == "TypeError"


def test_request_body_stream_and_the_body_methods_use_one_body() -> None:
    """request.body is the body: reading it marks the request used (text() then refuses),
    a locked one refuses text(), and text() leaves the stream locked."""
    out = run_js("""
      const a = new Request("http://x/", {method: "POST", body: "abc"});
      const chunk = await a.body.getReader().read();
      let again;
      try { await a.text(); again = "read twice"; } catch (e) { again = e.constructor.name; }
      const b = new Request("http://x/", {method: "POST", body: "abc"});
      b.body.getReader();
      let locked;
      try { await b.text(); locked = "read"; } catch (e) { locked = e.constructor.name; }
      const c = new Request("http://x/", {method: "POST", body: "abc"});
      const stream = c.body, text = await c.text();
      const d = new Request("http://x/", {method: "POST", body: "abc"});
      await d.text();
      return Response.json([chunk.value.length, a.bodyUsed, again, locked, b.bodyUsed, text,
        stream.locked, c.bodyUsed, d.body.locked]);
    """)
    assert out == [3, True, "TypeError", "TypeError", False, "abc", True, True, True]
