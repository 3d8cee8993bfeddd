"""TextEncoderStream / TextDecoderStream: code points split across chunks at every byte,
surrogate pairs split across string chunks, BOM and fatal handling."""

from __future__ import annotations

import pytest

from tests.web.jsrun import call, call_json, runtime

SAMPLE = "aé€😀z\ufeffq"  # 1-, 2-, 3- and 4-byte sequences and an inner BOM
DECODE = """
async function handler(req) {
  const bytes = req.bytes();
  const cut = Number(req.query.cut), fatal = req.query.fatal === "yes", ignoreBOM = req.query.bom === "keep";
  const chunks = cut > 0 ? [bytes.slice(0, cut), bytes.slice(cut)] : Array.from(bytes, (b) => new Uint8Array([b]));
  let text = "";
  try {
    for await (const part of ReadableStream.from(chunks).pipeThrough(new TextDecoderStream("UTF-8", {fatal, ignoreBOM}))) {
      text += part;
    }
  } catch (e) { return e.name + ": " + e.message; }
  return text;
}
"""


@pytest.fixture(scope="module")
def decoder():
    return runtime(DECODE)


@pytest.mark.parametrize("cut", range(len(SAMPLE.encode())))
def test_decoder_joins_code_points_split_at_any_byte(decoder, cut: int) -> None:
    assert call(decoder, SAMPLE.encode(), f"/?cut={cut}").decode() == SAMPLE


def test_decoder_fed_one_byte_at_a_time(decoder) -> None:
    assert call(decoder, SAMPLE.encode(), "/?cut=0").decode() == SAMPLE


def test_leading_bom_is_dropped_unless_ignore_bom(decoder) -> None:
    data = "\ufeffhi".encode()
    assert call(decoder, data, "/?cut=1").decode() == "hi"  # BOM split across chunks
    assert call(decoder, data, "/?cut=1&bom=keep").decode() == "\ufeffhi"


def test_invalid_bytes_are_replaced_or_fatal(decoder) -> None:
    data = b"ok\xff\xc3"  # an invalid byte, then a truncated sequence at the end
    assert call(decoder, data, "/?cut=3").decode() == "ok\ufffd\ufffd"
    assert call(decoder, data, "/?cut=3&fatal=yes").startswith(b"TypeError: TextDecoderStream")


def test_encoder_pairs_surrogates_split_across_chunks_and_flushes_a_lone_one() -> None:
    source = """
async function handler(req) {
  const out = [];
  for await (const bytes of ReadableStream.from(["a\\uD83D", "\\uDE00b", "\\uD83D"]).pipeThrough(new TextEncoderStream())) {
    out.push(...bytes);
  }
  return Response.json(out);
}
"""
    assert bytes(call_json(runtime(source))) == "a😀b\ufffd".encode()
