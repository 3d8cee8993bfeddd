"""formData() parsing for the body mixin: zigttp/web/form.py (the `multipart` package and
urllib.parse) behind hooks.webForm.parse, and FormData's multipart serialization read
back by the same parser."""

from __future__ import annotations

import json

import pytest

from tests.web.cryptojs import handler_source
from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.engine import compile_script
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits
from zigttp.web import NativeError, form

MULTIPART = (
    b'--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nh\xc3\xa9llo\r\n'
    b'--XyZ\r\nContent-Disposition: form-data; name="upload"; filename="a.bin"\r\n'
    b"Content-Type: application/x-thing\r\n\r\n\x00\x01\xff\r\n--XyZ--\r\n"
)


def test_multipart_fields_and_files_come_back_in_order() -> None:
    entries = form.parse_multipart("multipart/form-data; boundary=XyZ", MULTIPART)
    assert entries == [["title", "héllo"], ["upload", b"\x00\x01\xff", "a.bin", "application/x-thing"]]


@pytest.mark.parametrize("body", [MULTIPART[:40], MULTIPART.replace(b"--XyZ--", b"--XyZ"), b"junk"])
def test_a_truncated_or_malformed_multipart_body_is_a_type_error(body: bytes) -> None:
    with pytest.raises(NativeError) as caught:
        form.parse_multipart("multipart/form-data; boundary=XyZ", body)
    assert caught.value.js_type == "TypeError"


def test_multipart_without_a_boundary_is_a_type_error_that_says_so() -> None:
    with pytest.raises(NativeError, match="no boundary"):
        form.parse_multipart("multipart/form-data", MULTIPART)


def _form_runtime(body: str):
    """A runtime whose handler can reach hooks.webForm (as web-fetch's body mixin does)."""
    handler = load_handler(
        compile_source(handler_source(body), "form.js"), RuntimeLimits(), console=lambda *a: None
    )
    runtime = handler.new_runtime()
    runtime._runtime.run(
        compile_script("(function (hooks) { globalThis.__webForm = hooks.webForm; })", "t.js"), 0.0, True
    )
    return runtime


def test_hooks_web_form_parse_builds_a_form_data_with_files() -> None:
    runtime = _form_runtime("""
      const body = new Uint8Array(await req.arrayBuffer());
      const fd = __webForm.parse(req.headers["content-type"], body);
      const file = fd.get("upload");
      return Response.json([fd instanceof FormData, fd.get("title"), file instanceof File, file.name,
                            file.type, hex(await file.arrayBuffer())]);
    """)
    response = runtime.dispatch("POST", "/", "content-type\0multipart/form-data; boundary=XyZ\0", MULTIPART)
    assert json.loads(response.body) == [True, "héllo", True, "a.bin", "application/x-thing", "0001ff"]


def test_urlencoded_bodies_follow_the_whatwg_parser() -> None:
    """Raw UTF-8 bytes, %-escapes (a bad one kept as is), '+', empty names and values, and
    invalid UTF-8 (U+FFFD): one parser, URLSearchParams', for formData() and for URLs."""
    runtime = _form_runtime("""
      const fd = __webForm.parse("application/x-www-form-urlencoded", new Uint8Array(await req.arrayBuffer()));
      return Response.json([...fd]);
    """)
    body = "\ufeffa=1&b=%E2%82%AC+x&c&=d&e=%FF&f=é&g=%zz".encode()
    out = json.loads(runtime.dispatch("POST", "/", "", body).body)
    assert out == [
        ["\ufeffa", "1"],  # a leading BOM is data, not dropped
        ["b", "€ x"],
        ["c", ""],
        ["", "d"],
        ["e", "\ufffd"],
        ["f", "é"],
        ["g", "%zz"],
    ]


def test_hooks_web_form_parse_refuses_other_content_types() -> None:
    runtime = _form_runtime("""
      try { __webForm.parse("text/plain", new Uint8Array(0)); return Response.json("parsed"); }
      catch (e) { return Response.json([e.name, e.message]); }
    """)
    out = json.loads(runtime.dispatch("GET", "/", "", None).body)
    assert out[0] == "TypeError" and "multipart/form-data" in out[1]


def test_serialized_form_data_parses_back_with_the_multipart_package() -> None:
    runtime = _form_runtime("""
      const fd = new FormData();
      fd.append("name", 'a "quoted"\\nline');
      fd.append("file", new File([new Uint8Array([0, 13, 10, 255])], "x.bin", {type: "application/octet-stream"}));
      const [type, bytes] = __webForm.serialize(fd);
      return Response.json([type, hex(bytes)]);
    """)
    content_type, body = json.loads(runtime.dispatch("GET", "/", "", None).body)
    entries = form.parse_multipart(content_type, bytes.fromhex(body))
    assert entries == [
        ["name", 'a "quoted"\r\nline'],
        ["file", b"\x00\r\n\xff", "x.bin", "application/octet-stream"],
    ]
