"""Blob, File and FormData beyond WPT's files: stream() over the Streams classes, type and
slice rules, File from FormData."""

from __future__ import annotations

from tests.web.cryptojs import run_js


def test_blob_stream_reads_the_bytes_through_a_readable_stream() -> None:
    out = run_js("""
      const blob = new Blob(["hello ", new Uint8Array([119, 111]), "rld"]);
      const reader = blob.stream().getReader(), parts = [];
      for (;;) { const {value, done} = await reader.read(); if (done) break; parts.push(hex(value)); }
      return Response.json([blob.stream() instanceof ReadableStream, parts.join("")]);
    """)
    assert out == [True, b"hello world".hex()]


def test_slice_clamps_like_the_standard_and_keeps_the_parent_intact() -> None:
    out = run_js("""
      const blob = new Blob(["0123456789"], {type: "text/plain"});
      const cases = [[2, 5], [-3], [5, 2], [undefined, -8], [-100, 100]];
      const texts = [];
      for (const args of cases) texts.push(await blob.slice(...args).text());
      return Response.json([texts, blob.slice(0, 1).type, blob.slice(0, 1, "A/B").type, await blob.text()]);
    """)
    assert out == [["234", "789", "", "01", "0123456789"], "", "a/b", "0123456789"]


def test_form_data_turns_blobs_into_files_and_keeps_strings_as_usv() -> None:
    out = run_js("""
      const fd = new FormData();
      fd.append("s", "a\\uD800b");
      fd.append("b", new Blob(["x"], {type: "text/x"}), "n.txt");
      const file = fd.get("b");
      return Response.json([fd.get("s").charCodeAt(1), file instanceof File, file.name, file.type, await file.text()]);
    """)
    assert out == [0xFFFD, True, "n.txt", "text/x", "x"]
